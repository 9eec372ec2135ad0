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
        walkRows(indices: indices, indexShape: indexShape, dataShape: dataShape, axis: axis, otherStrides: outStrides) { row in
            let index = row.indices, from = data + row.dataOffset, to = out + row.otherOffset
            for j in 0..<row.length { to[j * row.otherStep] = from[j * row.dataStep + index[j] * row.axisStride] }
        }
    }

    /// data[p with axis → indices[p]] += source[p] for each position p of `indexShape`.
    static func scatterAdd(
        into data: UnsafeMutablePointer<Float>, dataShape: Shape, axis: Int, indices: [Int], indexShape: Shape,
        from source: UnsafePointer<Float>, sourceStrides: [Int]
    ) {
        walkRows(indices: indices, indexShape: indexShape, dataShape: dataShape, axis: axis, otherStrides: sourceStrides) { row in
            let index = row.indices, to = data + row.dataOffset, from = source + row.otherOffset
            for j in 0..<row.length { to[j * row.dataStep + index[j] * row.axisStride] += from[j * row.otherStep] }
        }
    }

    /// One innermost row of an index walk: `length` positions whose indices start at `indices`;
    /// position j pairs data element `dataOffset + j·dataStep + indices[j]·axisStride` with
    /// element `otherOffset + j·otherStep` of the other operand.
    struct IndexRow {
        let indices: UnsafePointer<Int>
        let dataOffset: Int, otherOffset: Int
        let length: Int, dataStep: Int, otherStep: Int, axisStride: Int
    }

    /// Calls `body` for every innermost row of `indexShape`, in row-major order; `otherStrides`
    /// address the paired operand. Per row, not per element, so the inner loops stay tight.
    @inline(__always)
    private static func walkRows(
        indices: [Int], indexShape: Shape, dataShape: Shape, axis: Int, otherStrides: [Int], _ body: (IndexRow) -> Void
    ) {
        let rank = indexShape.rank, total = indexShape.count
        guard rank > 0, total > 0 else { return }
        var dataStrides = dataShape.strides
        let axisStride = dataStrides[axis]
        dataStrides[axis] = 0  // the index supplies the coordinate along `axis`
        let length = indexShape[rank - 1]
        var odometer = Odometer(dimensions: Array(indexShape.dimensions.dropLast()),
                                stridesA: Array(dataStrides.dropLast()), stridesB: Array(otherStrides.dropLast()))
        indices.withUnsafeBufferPointer { all in
            for row in 0..<(total / length) {
                body(IndexRow(indices: all.baseAddress! + row * length, dataOffset: odometer.offsetA,
                              otherOffset: odometer.offsetB, length: length, dataStep: dataStrides[rank - 1],
                              otherStep: otherStrides[rank - 1], axisStride: axisStride))
                odometer.advance()
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

    /// Puts the positions of the `k` largest (or smallest) of `count` values `stride` apart into
    /// `order[0..<k]`, best first; equal values keep their original order and NaN ranks above
    /// every number (as torch.topk). `order` must hold `count` elements.
    static func selectTop(_ k: Int, of lane: UnsafePointer<Float>, stride: Int, count: Int, largest: Bool,
                          into order: inout [Int]) {
        func above(_ x: Float, _ y: Float) -> Bool { x.isNaN ? !y.isNaN : (!y.isNaN && x > y) }
        // Does position i come before position j in the result?
        func precedes(_ i: Int, _ j: Int) -> Bool {
            let x = lane[i * stride], y = lane[j * stride]
            if largest ? above(x, y) : above(y, x) { return true }
            return !above(x, y) && !above(y, x) && i < j
        }
        if k <= 32 && k < count {
            // Few wanted: keep the best k sorted and insert into it; most values fail the
            // comparison with the current k-th and cost one test (torch.topk also selects partially).
            var filled = 0
            for index in 0..<count {
                if filled == k && !precedes(index, order[k - 1]) { continue }
                var place = filled == k ? k - 1 : filled
                if filled < k { filled += 1 }
                while place > 0 && precedes(index, order[place - 1]) {
                    order[place] = order[place - 1]
                    place -= 1
                }
                order[place] = index
            }
        } else {
            for index in 0..<count { order[index] = index }
            order.sort(by: precedes)
        }
    }
}
