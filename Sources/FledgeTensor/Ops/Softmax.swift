import CFledgeKernels

// Softmax and log-softmax along one axis, max-shifted so large logits neither overflow nor
// underflow, with their gradient rules. The last axis (logits of shape [..., classes]) runs
// whole rows in the C kernels; other axes reuse the reduction kernels.

extension Tensor {
    /// exp(x) / sum(exp(x)) along `axis` (torch.softmax).
    public func softmax(axis: Int = -1) -> Tensor { normalized(axis: axis, logarithmic: false) }

    /// x - log(sum(exp(x))) along `axis` (torch.log_softmax), computed without forming softmax.
    public func logSoftmax(axis: Int = -1) -> Tensor { normalized(axis: axis, logarithmic: true) }

    /// Softmax, or log-softmax when `logarithmic`, with its gradient rule.
    private func normalized(axis: Int, logarithmic: Bool) -> Tensor {
        let op = logarithmic ? "logSoftmax" : "softmax"
        let (resolved, columns) = softmaxLayout(axis: axis, op: op)
        let result: Tensor
        if columns > 0 {
            result = rowsApplying(columns: columns, logarithmic ? fledge_log_softmax_rows : fledge_softmax_rows)
        } else {
            let kept = keptShape(reducing: resolved)
            let shift = reduced(to: kept, MaxReduction(), name: op).mapped(FiniteOrZeroOp())
            let shifted = broadcasting(shift, SubtractOp(), name: op)
            let exponentials = shifted.mapped(kernel: fledge_exp)
            let totals = exponentials.reduced(to: kept, SumReduction(), name: op)
            result = logarithmic
                ? shifted.broadcasting(totals.mapped(kernel: fledge_log), SubtractOp(), name: op)
                : exponentials.broadcasting(totals, DivideOp(), name: op)
        }
        return Tensor.record(result, op: op, inputs: [self]) { g, _ in
            if columns > 0 { return [result.normalizedGradient(g, columns: columns, logarithmic: logarithmic)] }
            // softmax: dx = y (g - sum(g y)); log-softmax: dx = g - exp(y) sum(g), along the axis.
            return logarithmic
                ? [g - result.exp() * g.sum(axes: [resolved], keepingDimensions: true)]
                : [(g - (g * result).sum(axes: [resolved], keepingDimensions: true)) * result]
        }
    }

    /// The gradient rules above for contiguous rows of `columns`, with this tensor the saved
    /// output (y for softmax, log-probabilities for log-softmax): one pass per row, no temporaries.
    private func normalizedGradient(_ g: Tensor, columns: Int, logarithmic: Bool) -> Tensor {
        let gradient = Tensor(uninitializedShape: shape)
        let y = storage.base, dy = g.storage.base, out = gradient.storage.base
        parallelRows(count / columns, rowLength: columns) { rows in
            // exp(y) for all the rows at once: one vectorised call, also for 10-class rows.
            if logarithmic {
                let start = rows.lowerBound * columns
                fledge_exp(y + start, out + start, rows.count * columns)
            }
            for row in rows {
                let offset = row * columns
                let yRow = y + offset, gRow = dy + offset, oRow = out + offset
                if logarithmic {
                    let total = reduceRun(gRow, count: columns, SumReduction())
                    for i in 0..<columns { oRow[i] = gRow[i] - oRow[i] * total }
                } else {
                    for i in 0..<columns { oRow[i] = gRow[i] * yRow[i] }
                    let dot = reduceRun(oRow, count: columns, SumReduction())
                    for i in 0..<columns { oRow[i] = yRow[i] * (gRow[i] - dot) }
                }
            }
        }
        return gradient
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
