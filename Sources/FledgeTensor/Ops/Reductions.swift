import CFledgeKernels

// Reductions over any set of axes and their gradient rules. Every reduction computes in the
// keep-dimensions shape (1 along reduced axes) and only then drops those axes, so gradient rules
// broadcast straight back over the input.

extension Tensor {
    /// The keep-dimensions shape and the result shape of reducing `axes` (nil: all axes).
    func reductionShapes(axes: [Int]?, keepingDimensions: Bool, op: String) -> (kept: Shape, output: Shape) {
        var reduced = [Bool](repeating: axes == nil, count: rank)
        for axis in axes ?? [] {
            let resolved = shape.normalizedAxis(axis, op: op)
            guard rank > 0 else { continue }
            precondition(!reduced[resolved], "\(op): axis \(axis) appears more than once in \(axes!) for shape \(shape)")
            reduced[resolved] = true
        }
        let kept = Shape((0..<rank).map { reduced[$0] ? 1 : shape[$0] })
        let output = keepingDimensions ? kept : Shape((0..<rank).filter { !reduced[$0] }.map { shape[$0] })
        return (kept, output)
    }

    /// The same storage under another shape with the same element count, off the tape.
    func viewing(as newShape: Shape) -> Tensor { Tensor(shape: newShape, storage: storage) }

    /// Sum over `axes` (all when nil), dropping them unless `keepingDimensions` (torch.sum).
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let (kept, output) = reductionShapes(axes: axes, keepingDimensions: keepingDimensions, op: "sum")
        let result = reduced(to: kept, SumReduction(), name: "sum").viewing(as: output)
        return Tensor.record(result, op: "sum", inputs: [self]) { g, _ in
            [g.viewing(as: kept).broadcastValues(to: shape)]
        }
    }

    /// Mean over `axes` (all when nil); NaN for an empty reduction (torch.mean).
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let (kept, output) = reductionShapes(axes: axes, keepingDimensions: keepingDimensions, op: "mean")
        let scale = 1 / Float(count / Swift.max(kept.count, 1))
        var result = reduced(to: kept, SumReduction(), name: "mean").viewing(as: output)
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] *= scale }
        }
        return Tensor.record(result, op: "mean", inputs: [self]) { g, _ in
            [(g * scale).viewing(as: kept).broadcastValues(to: shape)]
        }
    }

    /// Largest element over `axes` (torch.amax). The gradient is shared equally among ties.
    public func max(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        extremum(axes: axes, keepingDimensions: keepingDimensions, MaxReduction(), op: "max")
    }

    /// Smallest element over `axes` (torch.amin). The gradient is shared equally among ties.
    public func min(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        extremum(axes: axes, keepingDimensions: keepingDimensions, MinReduction(), op: "min")
    }

    private func extremum<Op: ReductionOp>(axes: [Int]?, keepingDimensions: Bool, _ reduction: Op, op: String) -> Tensor {
        let (kept, output) = reductionShapes(axes: axes, keepingDimensions: keepingDimensions, op: op)
        precondition(count > 0 || kept.count == 0, "\(op): cannot reduce an empty tensor of shape \(shape)")
        let extreme = reduced(to: kept, reduction, name: op)
        return Tensor.record(extreme.viewing(as: output), op: op, inputs: [self]) { g, _ in
            let winners = self.isEqual(to: extreme)
            let ties = winners.reduced(to: kept, SumReduction(), name: op)
            return [(g.viewing(as: kept) / ties).broadcastValues(to: shape) * winners]
        }
    }

    /// Variance over `axes` with `correction` subtracted from the count in the denominator
    /// (1: unbiased, 0: population), as torch.var.
    public func variance(axes: [Int]? = nil, correction: Int = 1, keepingDimensions: Bool = false) -> Tensor {
        let (kept, output) = reductionShapes(axes: axes, keepingDimensions: keepingDimensions, op: "variance")
        let reducedCount = count / Swift.max(kept.count, 1)
        let divisor = Float(Swift.max(reducedCount - correction, 0))
        let mean = reduced(to: kept, SumReduction(), name: "variance").mapped(DivideScalarOp(scalar: Float(reducedCount)))
        let deviation = broadcasting(mean, SubtractOp(), name: "variance")
        let result = deviation.zipped(with: deviation, MultiplyOp())
            .reduced(to: kept, SumReduction(), name: "variance")
            .mapped(DivideScalarOp(scalar: divisor))
            .viewing(as: output)
        return Tensor.record(result, op: "variance", inputs: [self]) { g, _ in
            [deviation * g.viewing(as: kept) * (2 / divisor)]
        }
    }

    /// log(sum(exp(x))) over `axes`, shifted by the maximum so it neither overflows nor underflows
    /// (torch.logsumexp). The gradient is the softmax over the reduced axes.
    public func logSumExp(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let (kept, output) = reductionShapes(axes: axes, keepingDimensions: keepingDimensions, op: "logSumExp")
        let keptResult: Tensor
        if let rows = RepeatedOperand(large: shape, small: kept), !rows.alongRows {
            // Trailing axes reduced: one pass per contiguous row in C.
            keptResult = Tensor(uninitializedShape: kept)
            let x = storage.base, out = keptResult.storage.base
            parallelRows(rows.rows, rowLength: rows.rowLength) { range in
                fledge_log_sum_exp_rows(x + range.lowerBound * rows.rowLength, out + range.lowerBound,
                                        range.count, rows.rowLength)
            }
        } else {
            // An all -inf (or +inf) slice has no finite maximum to subtract: shift it by 0 instead.
            let shift = reduced(to: kept, MaxReduction(), name: "logSumExp").mapped(FiniteOrZeroOp())
            let total = broadcasting(shift, SubtractOp(), name: "logSumExp").mapped(kernel: fledge_exp)
                .reduced(to: kept, SumReduction(), name: "logSumExp")
            keptResult = total.mapped(kernel: fledge_log).zipped(with: shift, AddOp())
        }
        return Tensor.record(keptResult.viewing(as: output), op: "logSumExp", inputs: [self]) { g, _ in
            let softmax = self.broadcasting(keptResult, SubtractOp(), name: "logSumExp").mapped(kernel: fledge_exp)
            return [softmax * g.viewing(as: kept)]
        }
    }
}

/// x / scalar, for scaling reduced sums.
struct DivideScalarOp: ElementwiseUnaryOp {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x / scalar }
}

/// x when finite, else 0: the shift for max-subtracted exponentials.
struct FiniteOrZeroOp: ElementwiseUnaryOp {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x.isFinite ? x : 0 }
}

// MARK: - Arg reductions

extension Tensor {
    /// The index of the largest element along `axis` (the first one on ties; NaN counts as
    /// largest), as torch.argmax.
    public func argmax(axis: Int, keepingDimensions: Bool = false) -> IndexTensor {
        argExtremum(axis: axis, keepingDimensions: keepingDimensions, larger: true, op: "argmax")
    }

    /// The index of the smallest element along `axis` (the first one on ties; NaN counts as
    /// smallest), as torch.argmin.
    public func argmin(axis: Int, keepingDimensions: Bool = false) -> IndexTensor {
        argExtremum(axis: axis, keepingDimensions: keepingDimensions, larger: false, op: "argmin")
    }

    private func argExtremum(axis: Int, keepingDimensions: Bool, larger: Bool, op: String) -> IndexTensor {
        let (kept, output) = reductionShapes(axes: [axis], keepingDimensions: keepingDimensions, op: op)
        guard rank > 0 else { return IndexTensor(shape: output, indices: [0]) }
        let resolved = shape.normalizedAxis(axis, op: op)
        let length = shape[resolved]
        precondition(length > 0, "\(op): axis \(axis) of shape \(shape) is empty")
        let inner = shape.dimensions[(resolved + 1)...].reduce(1, *)
        let outer = count / (length * inner)
        var indices = [Int](repeating: 0, count: kept.count)
        let x = storage.base
        indices.withUnsafeMutableBufferPointer { best in
            let best = best.baseAddress!
            parallelRows(outer, rowLength: length * inner) { blocks in
                var bestValues = [Float](repeating: 0, count: inner)
                for block in blocks {
                    let base = x + block * length * inner
                    let bestIndex = best + block * inner
                    for column in 0..<inner { bestValues[column] = base[column] }
                    // Walk the reduced axis once, updating every column of the block (contiguous reads).
                    for position in 1..<Swift.max(length, 1) {
                        let row = base + position * inner
                        for column in 0..<inner {
                            let candidate = row[column], current = bestValues[column]
                            if current.isNaN { continue }
                            if candidate.isNaN || (larger ? candidate > current : candidate < current) {
                                bestValues[column] = candidate
                                bestIndex[column] = position
                            }
                        }
                    }
                }
            }
        }
        return IndexTensor(shape: output, indices: indices)
    }
}
