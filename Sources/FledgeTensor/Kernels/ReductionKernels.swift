import CFledgeKernels

/// An associative combine with an identity, for reductions. `combine` on `SIMD8` lets contiguous
/// runs reduce eight lanes at a time (and, for sums, with eight partial sums, which is also more
/// accurate than one running sum).
protocol ReductionOp {
    var identity: Float { get }
    func combine(_ a: Float, _ b: Float) -> Float
    func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
    /// True when the SIMD combine drops NaN (max/min: a NaN-aware lane select is 3x slower), so
    /// `reduceRun` must notice a NaN separately and return it.
    var vectorCombineSkipsNaN: Bool { get }
    /// out[r] = the reduction of row r, for `rows` contiguous rows of `length`.
    func reduceRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, length: Int)
    /// out[i] = combine(out[i], x[r * stride + i]) over `rows` rows, for i < `columns`.
    func accumulateRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        rows: Int, columns: Int, stride: Int)
}

extension ReductionOp {
    func reduceRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, length: Int) {
        for row in 0..<rows { out[row] = reduceRun(x + row * length, count: length, self) }
    }

    func accumulateRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        rows: Int, columns: Int, stride: Int) {
        for row in 0..<rows {
            let line = x + row * stride
            for column in 0..<columns { out[column] = combine(out[column], line[column]) }
        }
    }
}

/// Sums; the row layouts run in C (CFledgeKernels/reductions.c) with the machine's widest vectors.
struct SumReduction: ReductionOp {
    var identity: Float { 0 }
    var vectorCombineSkipsNaN: Bool { false }
    @inline(__always) func combine(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a + b }

    func reduceRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, length: Int) {
        fledge_sum_rows(x, out, rows, length)
    }

    func accumulateRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        rows: Int, columns: Int, stride: Int) {
        fledge_add_rows(x, out, rows, columns, stride)
    }
}

/// Max that propagates NaN like torch.amax; the row layouts run in C.
struct MaxReduction: ReductionOp {
    var identity: Float { -.infinity }
    var vectorCombineSkipsNaN: Bool { true }
    @inline(__always) func combine(_ a: Float, _ b: Float) -> Float { (b > a || b.isNaN) ? b : a }
    @inline(__always) func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: b .> a)
    }

    func reduceRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, length: Int) {
        fledge_max_rows(x, out, rows, length)
    }

    func accumulateRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        rows: Int, columns: Int, stride: Int) {
        fledge_max_into_rows(x, out, rows, columns, stride)
    }
}

/// Min that propagates NaN like torch.amin; the row layouts run in C.
struct MinReduction: ReductionOp {
    var identity: Float { .infinity }
    var vectorCombineSkipsNaN: Bool { true }
    @inline(__always) func combine(_ a: Float, _ b: Float) -> Float { (b < a || b.isNaN) ? b : a }
    @inline(__always) func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: b .< a)
    }

    func reduceRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, length: Int) {
        fledge_min_rows(x, out, rows, length)
    }

    func accumulateRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        rows: Int, columns: Int, stride: Int) {
        fledge_min_into_rows(x, out, rows, columns, stride)
    }
}

/// Reduces `count` contiguous elements with eight SIMD lanes, then the tail.
@inline(__always)
func reduceRun<Op: ReductionOp>(_ x: UnsafePointer<Float>, count: Int, _ op: Op) -> Float {
    var lanes = SIMD8<Float>(repeating: op.identity)
    // A running sum is NaN iff the run holds a NaN (or both infinities): a cheap NaN detector.
    var check = SIMD8<Float>(repeating: 0)
    var index = 0
    let raw = UnsafeRawPointer(x)
    while index + 8 <= count {
        let values = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        lanes = op.combine(lanes, values)
        if op.vectorCombineSkipsNaN { check += values }
        index += 8
    }
    var result = op.identity
    for lane in 0..<8 { result = op.combine(result, lanes[lane]) }
    if op.vectorCombineSkipsNaN && check.sum().isNaN {
        for position in 0..<index where x[position].isNaN { return x[position] }
    }
    while index < count {
        result = op.combine(result, x[index])
        index += 1
    }
    return result
}

/// Elements per block of a full reduction: blocks reduce independently (in parallel when large)
/// and their partials combine in a fixed order, so the result does not depend on the thread count.
private let fullReductionBlock = 1 << 14

extension Tensor {
    /// Reduces this tensor to `kept`, a shape that broadcasts to `self.shape` (typically the
    /// keep-dimensions shape: 1 along reduced axes). The result has shape `kept`.
    ///
    /// Fast paths: everything to one value, the last axis of rows (`[N, C] -> [N, 1]`), and the
    /// leading rows (`[N, C] -> [C]`, bias gradients); anything else walks the broadcast plan.
    func reduced<Op: ReductionOp>(to kept: Shape, _ op: Op, name: String) -> Tensor {
        if kept == shape { return detached() }
        // The common layouts are recognised without building a plan (no allocations).
        guard let layout = RepeatedOperand(large: shape, small: kept) else {
            guard let plan = BroadcastPlan(shape, kept), plan.shape == shape else {
                preconditionFailure("\(name): cannot reduce shape \(shape) to \(kept)")
            }
            return reduced(plan: plan, to: kept, op)
        }
        let result = Tensor.full(kept, value: op.identity)
        let source = storage.base, out = result.storage.base
        if kept.count == 1 {
            let blocks = (count + fullReductionBlock - 1) / fullReductionBlock
            var partials = [Float](repeating: op.identity, count: blocks)
            partials.withUnsafeMutableBufferPointer { partial in
                let partial = partial.baseAddress!
                parallelRows(blocks, rowLength: fullReductionBlock) { range in
                    for block in range {
                        let start = block * fullReductionBlock
                        op.reduceRows(source + start, into: partial + block, rows: 1,
                                      length: Swift.min(fullReductionBlock, count - start))
                    }
                }
            }
            out[0] = partials.reduce(op.identity) { op.combine($0, $1) }
        } else if !layout.alongRows {
            // Rows reduced along their contiguous length (trailing axes reduced).
            let length = layout.rowLength
            parallelRows(layout.rows, rowLength: length) { rows in
                op.reduceRows(source + rows.lowerBound * length, into: out + rows.lowerBound, rows: rows.count, length: length)
            }
        } else {
            // Rows accumulated into one row (leading axes reduced, e.g. bias gradients); threads
            // own disjoint column blocks.
            let rows = layout.rows, columns = layout.rowLength
            parallelRows(columns, rowLength: rows) { block in
                op.accumulateRows(source + block.lowerBound, into: out + block.lowerBound,
                                  rows: rows, columns: block.count, stride: columns)
            }
        }
        return result
    }

    /// Reduces along any layout the plan describes (`kept` broadcast to this shape).
    private func reduced<Op: ReductionOp>(plan: BroadcastPlan, to kept: Shape, _ op: Op) -> Tensor {
        let result = Tensor.full(kept, value: op.identity)
        let source = storage.base, out = result.storage.base
        if count == 0 { return result }
        // General layout: different runs may write the same outputs, so each thread reduces
        // its share of the input into a private output and the partial outputs combine after.
        let parts = count >= Threading.parallelThreshold ? Threading.threadCount : 1
        let partLength = (count + parts - 1) / parts
        let partials = (1..<parts).map { _ in Tensor.full(kept, value: op.identity) }
        let targets = [out] + partials.map(\.storage.base)
        parallelRows(parts, rowLength: partLength) { range in
            for part in range {
                let o = targets[part]
                let inputRange = (part * partLength)..<Swift.min(count, (part + 1) * partLength)
                plan.forEachRun(in: inputRange) { start, _, offset, length in
                    if plan.innerStrideB == 0 {
                        o[offset] = op.combine(o[offset], reduceRun(source + start, count: length, op))
                    } else {
                        op.accumulateRows(source + start, into: o + offset, rows: 1, columns: length, stride: length)
                    }
                }
            }
        }
        for partial in partials {
            let p = partial.storage.base
            for index in 0..<kept.count { out[index] = op.combine(out[index], p[index]) }
        }
        return result
    }

    /// The sum of this tensor over the axes along which `target` was broadcast to this shape,
    /// returned in `target`'s shape. Broadcasting ops use it to return gradients in their
    /// inputs' shapes: `[N, C]` summed to `[C]` adds the rows.
    func summed(toShape target: Shape) -> Tensor {
        if target == shape { return detached() }
        // Leading axes that `target` lacks are reduced too; bring target to this rank with ones.
        let padded = Shape([Int](repeating: 1, count: Swift.max(0, rank - target.rank)) + target.dimensions)
        let reduced = reduced(to: padded, SumReduction(), name: "sum to shape")
        return Tensor(shape: target, storage: reduced.storage)
    }
}
