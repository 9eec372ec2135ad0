/// Raw loops of gather and scatter-add along one axis (torch.gather / torch.scatter_add_ layout):
/// for every position p of the index tensor, the element of `data` at p with its `axis`
/// coordinate replaced by `indices[p]` pairs with the element of the other operand at p.
enum IndexingKernels {
    /// Traps unless every index lies in `0..<size`, naming the op, the index and the axis.
    static func checkRange(_ indices: [Int], size: Int, axis: Int, op: String) {
        for index in indices where index < 0 || index >= size {
            preconditionFailure("\(op): index \(index) out of range for axis \(axis) of size \(size)")
        }
    }

    /// out[p] = data[p with axis → indices[p]] for each position p of `indexShape`.
    static func gather(
        _ data: UnsafePointer<Float>, dataShape: Shape, axis: Int, indices: [Int], indexShape: Shape,
        into out: UnsafeMutablePointer<Float>, outStrides: [Int]
    ) {
        walk(indexShape: indexShape, dataShape: dataShape, axis: axis, otherStrides: outStrides) { flat, data0, other, axisStride in
            out[other] = data[data0 + indices[flat] * axisStride]
        }
    }

    /// data[p with axis → indices[p]] += source[p] for each position p of `indexShape`.
    static func scatterAdd(
        into data: UnsafeMutablePointer<Float>, dataShape: Shape, axis: Int, indices: [Int], indexShape: Shape,
        from source: UnsafePointer<Float>, sourceStrides: [Int]
    ) {
        walk(indexShape: indexShape, dataShape: dataShape, axis: axis, otherStrides: sourceStrides) { flat, data0, other, axisStride in
            data[data0 + indices[flat] * axisStride] += source[other]
        }
    }

    /// Calls `body(flatIndex, dataOffsetWithoutAxis, otherOffset, axisStride)` for every position
    /// of `indexShape`, in row-major order; `otherStrides` address the paired operand.
    @inline(__always)
    private static func walk(
        indexShape: Shape, dataShape: Shape, axis: Int, otherStrides: [Int],
        _ body: (_ flat: Int, _ dataOffset: Int, _ otherOffset: Int, _ axisStride: Int) -> Void
    ) {
        let rank = indexShape.rank
        var dataStrides = dataShape.strides
        let axisStride = rank > 0 ? dataStrides[axis] : 0
        if rank > 0 { dataStrides[axis] = 0 }
        let total = indexShape.count
        guard total > 0 else { return }
        var position = [Int](repeating: 0, count: rank)
        var dataOffset = 0, otherOffset = 0
        for flat in 0..<total {
            body(flat, dataOffset, otherOffset, axisStride)
            var current = rank - 1
            while current >= 0 {
                position[current] += 1
                dataOffset += dataStrides[current]
                otherOffset += otherStrides[current]
                if position[current] < indexShape[current] { break }
                dataOffset -= dataStrides[current] * indexShape[current]
                otherOffset -= otherStrides[current] * indexShape[current]
                position[current] = 0
                current -= 1
            }
        }
    }

    /// index_select over blocks of `inner` elements: destination[row][i] = source[row][indices[i]]
    /// for each of `outer` rows.
    static func selectBlocks(
        _ source: UnsafePointer<Float>, sourceAxisSize: Int,
        into destination: UnsafeMutablePointer<Float>, indices: [Int], outer: Int, inner: Int
    ) {
        let count = indices.count
        for row in 0..<outer {
            let src = source + row * sourceAxisSize * inner, dst = destination + row * count * inner
            for (position, index) in indices.enumerated() {
                (dst + position * inner).update(from: src + index * inner, count: inner)
            }
        }
    }

    /// The gradient of `selectBlocks`: source[row][indices[i]] += destination[row][i] (index_add).
    static func addSelectedBlocks(
        _ gradient: UnsafePointer<Float>, into input: UnsafeMutablePointer<Float>, inputAxisSize: Int,
        indices: [Int], outer: Int, inner: Int
    ) {
        let count = indices.count
        for row in 0..<outer {
            let src = gradient + row * count * inner, dst = input + row * inputAxisSize * inner
            for (position, index) in indices.enumerated() {
                let from = src + position * inner, to = dst + index * inner
                for element in 0..<inner { to[element] += from[element] }
            }
        }
    }

    /// out[i] = mask[i] != 0 ? nonzero[i] : zero[i], where a nil operand stands for `fill`
    /// (torch.where, masked_fill and their gradients). The branch on nil sits outside the loops.
    static func select(
        mask: UnsafePointer<Float>, nonzero: UnsafePointer<Float>?, zero: UnsafePointer<Float>?, fill: Float,
        into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        switch (nonzero, zero) {
        case let (a?, b?): for i in 0..<count { out[i] = mask[i] != 0 ? a[i] : b[i] }
        case let (a?, nil): for i in 0..<count { out[i] = mask[i] != 0 ? a[i] : fill }
        case let (nil, b?): for i in 0..<count { out[i] = mask[i] != 0 ? fill : b[i] }
        case (nil, nil): out.update(repeating: fill, count: count)
        }
    }
}
