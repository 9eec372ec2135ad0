import CFledgeKernels

// Softmax and log-softmax along one axis, max-shifted so large logits neither overflow nor
// underflow, with their gradient rules. The last axis (logits of shape [..., classes]) runs
// whole rows in the C kernels; other axes reuse the reduction kernels.

extension Tensor {
    /// exp(x) / sum(exp(x)) along `axis` (torch.softmax).
    public func softmax(axis: Int = -1) -> Tensor {
        let (resolved, columns) = softmaxLayout(axis: axis, op: "softmax")
        let result: Tensor
        if columns > 0 {
            result = rowsApplying(columns: columns, fledge_softmax_rows)
        } else {
            let kept = keptShape(reducing: resolved)
            let exponentials = shiftedByMaximum(kept: kept).mapped(kernel: fledge_exp)
            let totals = exponentials.reduced(to: kept, SumReduction(), name: "softmax")
            result = exponentials.broadcasting(totals, DivideOp(), name: "softmax")
        }
        return Tensor.record(result, op: "softmax", inputs: [self]) { g, _ in
            // dx = y * (g - sum(g * y)) along the axis.
            guard columns > 0 else {
                return [(g - (g * result).sum(axes: [resolved], keepingDimensions: true)) * result]
            }
            let gradient = Tensor(uninitializedShape: shape)
            let y = result.storage.base, dy = g.storage.base, out = gradient.storage.base
            parallelRows(count / columns, rowLength: columns) { rows in
                for row in rows {
                    let offset = row * columns
                    let yRow = y + offset, gRow = dy + offset, oRow = out + offset
                    for i in 0..<columns { oRow[i] = gRow[i] * yRow[i] }
                    let dot = reduceRun(oRow, count: columns, SumReduction())
                    for i in 0..<columns { oRow[i] = yRow[i] * (gRow[i] - dot) }
                }
            }
            return [gradient]
        }
    }

    /// x - log(sum(exp(x))) along `axis` (torch.log_softmax), computed without forming softmax.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let (resolved, columns) = softmaxLayout(axis: axis, op: "logSoftmax")
        let result: Tensor
        if columns > 0 {
            result = rowsApplying(columns: columns, fledge_log_softmax_rows)
        } else {
            let kept = keptShape(reducing: resolved)
            let shifted = shiftedByMaximum(kept: kept)
            let logTotals = shifted.mapped(kernel: fledge_exp).reduced(to: kept, SumReduction(), name: "logSoftmax")
                .mapped(kernel: fledge_log)
            result = shifted.broadcasting(logTotals, SubtractOp(), name: "logSoftmax")
        }
        return Tensor.record(result, op: "logSoftmax", inputs: [self]) { g, _ in
            // dx = g - softmax * sum(g) along the axis, softmax = exp(y).
            guard columns > 0 else {
                return [g - result.exp() * g.sum(axes: [resolved], keepingDimensions: true)]
            }
            let gradient = Tensor(uninitializedShape: shape)
            let y = result.storage.base, dy = g.storage.base, out = gradient.storage.base
            parallelRows(count / columns, rowLength: columns) { rows in
                for row in rows {
                    let offset = row * columns
                    let gRow = dy + offset, oRow = out + offset
                    let total = reduceRun(gRow, count: columns, SumReduction())
                    fledge_exp(y + offset, oRow, columns)
                    for i in 0..<columns { oRow[i] = gRow[i] - oRow[i] * total }
                }
            }
            return [gradient]
        }
    }

    /// The resolved axis, and the row length when the axis is the last (contiguous rows), else 0.
    private func softmaxLayout(axis: Int, op: String) -> (axis: Int, columns: Int) {
        let resolved = shape.normalizedAxis(axis, op: op)
        if rank == 0 { return (0, 1) }
        if resolved == rank - 1 && shape[resolved] > 0 { return (resolved, shape[resolved]) }
        // Any axis followed only by size-1 axes is also contiguous.
        if shape.dimensions[(resolved + 1)...].allSatisfy({ $0 == 1 }) && shape[resolved] > 0 {
            return (resolved, shape[resolved])
        }
        return (resolved, 0)
    }

    private func keptShape(reducing axis: Int) -> Shape {
        var dimensions = shape.dimensions
        dimensions[axis] = 1
        return Shape(dimensions)
    }

    /// x minus its maximum over the reduced axis (0 where that maximum is not finite).
    private func shiftedByMaximum(kept: Shape) -> Tensor {
        let shift = reduced(to: kept, MaxReduction(), name: "softmax").mapped(FiniteOrZeroOp())
        return broadcasting(shift, SubtractOp(), name: "softmax")
    }

    /// A row kernel applied to contiguous rows of `columns` elements, rows split across threads.
    private func rowsApplying(
        columns: Int, _ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void
    ) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let x = storage.base, out = result.storage.base
        parallelRows(count / columns, rowLength: columns) { rows in
            kernel(x + rows.lowerBound * columns, out + rows.lowerBound * columns, rows.count, columns)
        }
        return result
    }
}
