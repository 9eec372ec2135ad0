/// How two operands map onto a broadcast output, with axes collapsed as far as possible.
///
/// Output axes of size 1 are dropped and neighbouring axes merged whenever both operands are
/// contiguous (or both broadcast) across them, so `[N, C] + [C]` becomes rows of `C` with
/// strides (1, 1) inside and (C, 0) outside, and a same-shape op becomes one flat row. The
/// innermost stride of each operand is then 1 (contiguous) or 0 (broadcast), which is what lets
/// the inner loops vectorise. Reductions use the same plan with the kept-dimensions output as the
/// second operand (stride 0 along reduced axes). The commonest layouts (`RepeatedOperand` below)
/// skip the plan, whose arrays cost more than the loop on small tensors.
struct BroadcastPlan {
    /// The output shape.
    let shape: Shape
    /// Collapsed outer dimensions (all but the innermost).
    let outerDimensions: [Int]
    let outerStridesA: [Int]
    let outerStridesB: [Int]
    /// Length of the innermost run and each operand's stride along it (0 or 1).
    let inner: Int
    let innerStrideA: Int
    let innerStrideB: Int

    /// The plan for `a` and `b`, or nil when their shapes cannot broadcast.
    init?(_ a: Shape, _ b: Shape) {
        guard let output = Shape.broadcast(a, b) else { return nil }
        shape = output
        let rank = output.rank
        func paddedStrides(_ operand: Shape) -> [Int] {
            let padded = [Int](repeating: 1, count: rank - operand.rank) + operand.dimensions
            var strides = [Int](repeating: 0, count: rank)
            var running = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                strides[axis] = padded[axis] == 1 ? 0 : running
                running *= padded[axis]
            }
            return strides
        }
        let stridesA = paddedStrides(a), stridesB = paddedStrides(b)
        var dimensions: [Int] = [], collapsedA: [Int] = [], collapsedB: [Int] = []
        for axis in 0..<rank where output[axis] != 1 {
            let size = output[axis]
            if let last = dimensions.last,
               collapsedA.last! == stridesA[axis] * size, collapsedB.last! == stridesB[axis] * size {
                // The previous axis steps exactly over this one in both operands: merge them.
                dimensions[dimensions.count - 1] = last * size
                collapsedA[collapsedA.count - 1] = stridesA[axis]
                collapsedB[collapsedB.count - 1] = stridesB[axis]
            } else {
                dimensions.append(size)
                collapsedA.append(stridesA[axis])
                collapsedB.append(stridesB[axis])
            }
        }
        if dimensions.isEmpty {
            // A one-element output (or all size-1 axes): one run of length 1.
            dimensions = [output.count]
            collapsedA = [a.count == 1 ? 0 : 1]
            collapsedB = [b.count == 1 ? 0 : 1]
        }
        inner = dimensions.removeLast()
        innerStrideA = collapsedA.removeLast()
        innerStrideB = collapsedB.removeLast()
        outerDimensions = dimensions
        outerStridesA = collapsedA
        outerStridesB = collapsedB
    }

    /// Calls `body(outputOffset, offsetA, offsetB, length)` for each innermost run that covers
    /// output elements in `range`, in order. Runs are contiguous in the output.
    func forEachRun(in range: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        guard !range.isEmpty, inner > 0 else { return }
        var row = range.lowerBound / inner
        var column = range.lowerBound % inner
        var index = [Int](repeating: 0, count: outerDimensions.count)
        var offsetA = column * innerStrideA, offsetB = column * innerStrideB
        for axis in stride(from: outerDimensions.count - 1, through: 0, by: -1) {
            index[axis] = row % outerDimensions[axis]
            row /= outerDimensions[axis]
            offsetA += index[axis] * outerStridesA[axis]
            offsetB += index[axis] * outerStridesB[axis]
        }
        var position = range.lowerBound
        while position < range.upperBound {
            let length = Swift.min(inner - column, range.upperBound - position)
            body(position, offsetA, offsetB, length)
            position += length
            offsetA -= column * innerStrideA
            offsetB -= column * innerStrideB
            column = 0
            // Advance the odometer over the outer axes.
            var axis = outerDimensions.count - 1
            while axis >= 0 {
                index[axis] += 1
                offsetA += outerStridesA[axis]
                offsetB += outerStridesB[axis]
                if index[axis] < outerDimensions[axis] { break }
                offsetA -= outerStridesA[axis] * outerDimensions[axis]
                offsetB -= outerStridesB[axis] * outerDimensions[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// The plan for broadcasting `self` with `other`, trapping with `op` and both shapes when there is none.
    func broadcastPlan(with other: Tensor, op: String) -> BroadcastPlan {
        guard let plan = BroadcastPlan(shape, other.shape) else {
            preconditionFailure("\(op): shapes \(shape) and \(other.shape) cannot be broadcast together")
        }
        return plan
    }

    /// `op(self, other)` elementwise with NumPy broadcasting. Same shapes, one operand
    /// repeated along rows (`[N, C]` with `[C]` or a scalar) or along columns (`[N, C]` with
    /// `[N, 1]`) take direct loops; everything else runs contiguous inner rows from the plan.
    func broadcasting<Op: ElementwiseBinaryOp>(_ other: Tensor, _ op: Op, name: String) -> Tensor {
        if shape == other.shape { return zipped(with: other, op) }
        if let layout = RepeatedOperand(large: shape, small: other.shape) {
            return repeating(other, layout, smallFirst: false, op)
        }
        if let layout = RepeatedOperand(large: other.shape, small: shape) {
            return other.repeating(self, layout, smallFirst: true, op)
        }
        let plan = broadcastPlan(with: other, op: name)
        let result = Tensor(uninitializedShape: plan.shape)
        let a = storage.base, b = other.storage.base, out = result.storage.base
        Threading.parallelFor(count: result.count) { range in
            plan.forEachRun(in: range) { start, offsetA, offsetB, length in
                let o = out + start, x = a + offsetA, y = b + offsetB
                switch (plan.innerStrideA, plan.innerStrideB) {
                case (1, 1): for i in 0..<length { o[i] = op(x[i], y[i]) }
                case (1, _): let s = y[0]; for i in 0..<length { o[i] = op(x[i], s) }
                case (_, 1): let s = x[0]; for i in 0..<length { o[i] = op(s, y[i]) }
                default: let v = op(x[0], y[0]); for i in 0..<length { o[i] = v }
                }
            }
        }
        return result
    }

    /// `op` over this (the larger) tensor and `small` repeated as `layout` says; the result has
    /// this tensor's shape. `smallFirst` puts `small` on the left of `op`.
    private func repeating<Op: ElementwiseBinaryOp>(
        _ small: Tensor, _ layout: RepeatedOperand, smallFirst: Bool, _ op: Op
    ) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let a = storage.base, b = small.storage.base, out = result.storage.base
        let rowLength = layout.rowLength
        parallelRows(layout.rows, rowLength: rowLength) { rows in
            for row in rows {
                let x = a + row * rowLength, o = out + row * rowLength
                switch (layout.alongRows, smallFirst) {
                case (true, false): for i in 0..<rowLength { o[i] = op(x[i], b[i]) }
                case (true, true): for i in 0..<rowLength { o[i] = op(b[i], x[i]) }
                case (false, false): let s = b[row]; for i in 0..<rowLength { o[i] = op(x[i], s) }
                case (false, true): let s = b[row]; for i in 0..<rowLength { o[i] = op(s, x[i]) }
                }
            }
        }
        return result
    }
}

/// The two broadcasts that need no plan: a small operand that is the trailing row of the large
/// one (`[N, C]` with `[C]`, `[1, C]`, or a one-element tensor), or that holds one value per
/// leading row (`[N, C]` with `[N, 1]`). Detected without allocating, for the per-op overhead.
struct RepeatedOperand {
    /// Rows of the large operand and their length.
    let rows: Int
    let rowLength: Int
    /// True: `small` is a whole row, reused by every row. False: `small[row]` is one value per row.
    let alongRows: Bool

    init?(large: Shape, small: Shape) {
        let largeDims = large.dimensions, smallDims = small.dimensions
        guard smallDims.count <= largeDims.count, large.count > 0 else { return nil }
        let smallCount = small.count
        if smallCount == 1 {
            (rows, rowLength, alongRows) = (1, large.count, false)
            return
        }
        // Trailing row: small without its leading 1s equals the end of large.
        var first = 0
        while first < smallDims.count && smallDims[first] == 1 { first += 1 }
        let offset = largeDims.count - smallDims.count
        var isSuffix = true
        for axis in first..<smallDims.count where smallDims[axis] != largeDims[offset + axis] {
            isSuffix = false
            break
        }
        if isSuffix {
            (rows, rowLength, alongRows) = (large.count / smallCount, smallCount, true)
            return
        }
        // Leading rows: same rank, equal leading axes, then only 1s in small.
        guard offset == 0 else { return nil }
        var axis = 0
        while axis < smallDims.count && smallDims[axis] == largeDims[axis] { axis += 1 }
        for rest in axis..<smallDims.count where smallDims[rest] != 1 { return nil }
        (rows, rowLength, alongRows) = (smallCount, large.count / smallCount, false)
    }
}
