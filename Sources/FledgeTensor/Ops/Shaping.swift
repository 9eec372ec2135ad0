extension Tensor {
    /// The same elements with new dimensions; one dimension may be -1 and is then inferred.
    /// Shares storage with `self` (no copy).
    public func reshaped(_ dims: [Int]) -> Tensor {
        let inferred = dims.indices.filter { dims[$0] == -1 }
        precondition(inferred.count <= 1, "reshaped: at most one -1 allowed, got \(dims) for shape \(shape)")
        precondition(dims.allSatisfy { $0 >= -1 }, "reshaped: invalid dimensions \(dims) for shape \(shape)")
        guard let hole = inferred.first else { return reshaped(to: Shape(dims)) }
        let known = dims.enumerated().reduce(1) { $1.offset == hole ? $0 : $0 * $1.element }
        precondition(known > 0 && count % known == 0,
                     "reshaped: cannot reshape shape \(shape) (\(count) elements) to \(dims)")
        var resolved = dims
        resolved[hole] = count / known
        return reshaped(to: Shape(resolved))
    }

    /// The same elements with shape `newShape` (same element count). Shares storage with `self`.
    public func reshaped(to newShape: Shape) -> Tensor {
        precondition(newShape.count == count,
                     "reshaped: cannot reshape shape \(shape) (\(count) elements) to \(newShape) (\(newShape.count) elements)")
        if newShape == shape { return self }
        let original = shape
        return Tensor.record(Tensor(shape: newShape, storage: storage), op: "reshape", inputs: [self]) { gradient, _ in
            [gradient.reshaped(to: original)]
        }
    }

    /// The elements as a rank-1 tensor (shares storage).
    public func flattened() -> Tensor { reshaped(to: [count]) }

    /// Swaps the last two axes (a batched matrix transpose).
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs at least 2 axes, got shape \(shape)")
        return transposed(rank - 2, rank - 1)
    }

    /// Swaps axes `a` and `b` (negative axes count from the end).
    public func transposed(_ a: Int, _ b: Int) -> Tensor {
        let first = shape.normalizedAxis(a, op: "transposed"), second = shape.normalizedAxis(b, op: "transposed")
        var axes = Array(0..<rank)
        axes.swapAt(first, second)
        return permuted(axes)
    }

    /// Reorders the axes: output axis i is input axis `axes[i]` (torch.permute).
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank, "permuted: \(axes) does not list the \(rank) axes of shape \(shape)")
        let resolved = axes.map { shape.normalizedAxis($0, op: "permuted") }
        precondition(Set(resolved).count == rank, "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
        if resolved == Array(0..<rank) { return self }
        let newShape = Shape(resolved.map { shape[$0] })
        var inverse = [Int](repeating: 0, count: rank)
        for (output, input) in resolved.enumerated() { inverse[input] = output }
        // Axes of size 1 hold no elements apart: if the others keep their order, it is a reshape.
        let moved = resolved.filter { shape[$0] != 1 }
        if moved == moved.sorted() { return reshaped(to: newShape) }
        let result = Tensor(uninitializedShape: newShape)
        if let (batch, rows, columns) = Self.batchedTransposeLayout(shape: shape, axes: resolved) {
            LayoutKernels.transpose(storage.base, into: result.storage.base, batch: batch, rows: rows, columns: columns)
        } else {
            LayoutKernels.permute(storage.base, shape: shape, axes: resolved, into: result.storage.base)
        }
        return Tensor.record(result, op: "permute", inputs: [self]) { gradient, _ in [gradient.permuted(inverse)] }
    }

    /// When `axes` keeps a leading block of axes in place and swaps the two groups of axes after
    /// it, the permutation is a batch of matrix transposes: (batch, rows, columns).
    private static func batchedTransposeLayout(shape: Shape, axes: [Int]) -> (Int, Int, Int)? {
        let rank = axes.count
        var lead = 0
        while lead < rank && axes[lead] == lead { lead += 1 }
        guard lead < rank else { return nil }
        // The output starts with input axes split..<rank, then lead..<split, each in order.
        let split = axes[lead]
        let expected = Array(split..<rank) + Array(lead..<split)
        guard Array(axes[lead...]) == expected else { return nil }
        let dims = shape.dimensions
        return (dims[..<lead].reduce(1, *), dims[lead..<split].reduce(1, *), dims[split...].reduce(1, *))
    }

    /// Removes axis `axis` if its size is 1; otherwise returns `self` unchanged (as torch.squeeze(dim)).
    public func squeezed(axis: Int) -> Tensor {
        let resolved = shape.normalizedAxis(axis, op: "squeezed")
        guard rank > 0, shape[resolved] == 1 else { return self }
        var dims = shape.dimensions
        dims.remove(at: resolved)
        return reshaped(to: Shape(dims))
    }

    /// Inserts an axis of size 1 at `axis` (in `-(rank + 1)...rank`).
    public func unsqueezed(axis: Int) -> Tensor {
        let resolved = axis < 0 ? axis + rank + 1 : axis
        precondition(resolved >= 0 && resolved <= rank, "unsqueezed: axis \(axis) is out of range for shape \(shape)")
        var dims = shape.dimensions
        dims.insert(1, at: resolved)
        return reshaped(to: Shape(dims))
    }

    /// Repeats axes of size 1 (and adds leading axes) to reach `target`, as torch.expand. Materialised.
    public func expanded(to target: Shape) -> Tensor {
        precondition(Shape.broadcast(shape, target) == target,
                     "expanded: shape \(shape) cannot be expanded to \(target)")
        if target == shape { return self }
        let original = shape
        return Tensor.record(broadcastValues(to: target), op: "expand", inputs: [self]) { gradient, _ in
            [gradient.summed(toShape: original)]
        }
    }

    /// The elements whose index along `axis` lies in `range` (torch.narrow). Materialised.
    public func sliced(axis: Int, range: Range<Int>) -> Tensor {
        precondition(rank >= 1, "sliced: needs at least one axis, got a scalar")
        let resolved = shape.normalizedAxis(axis, op: "sliced")
        let size = shape[resolved]
        precondition(range.lowerBound >= 0 && range.upperBound <= size,
                     "sliced: range \(range) is out of bounds for axis \(axis) of size \(size) (shape \(shape))")
        if range.count == size { return self }
        var dims = shape.dimensions
        dims[resolved] = range.count
        let result = Tensor(uninitializedShape: Shape(dims))
        let inner = dims[(resolved + 1)...].reduce(1, *)
        let outer = dims[..<resolved].reduce(1, *)
        LayoutKernels.copyBlocks(storage.base + range.lowerBound * inner, sourceStride: size * inner,
                                 into: result.storage.base, destinationStride: range.count * inner,
                                 length: range.count * inner, rows: outer)
        let original = shape
        return Tensor.record(result, op: "slice", inputs: [self]) { gradient, _ in
            let input = Tensor.zeros(original)
            LayoutKernels.copyBlocks(gradient.storage.base, sourceStride: range.count * inner,
                                     into: input.storage.base + range.lowerBound * inner, destinationStride: size * inner,
                                     length: range.count * inner, rows: outer)
            return [input]
        }
    }

    /// Joins tensors along an existing axis; all other dimensions must agree (torch.cat).
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: needs at least one tensor")
        let first = tensors[0].shape
        precondition(first.rank >= 1, "concatenate: scalars cannot be concatenated; stack them instead")
        let resolved = first.normalizedAxis(axis, op: "concatenate")
        for tensor in tensors {
            var expected = first.dimensions, actual = tensor.shape.dimensions
            if tensor.rank == first.rank { expected[resolved] = 0; actual[resolved] = 0 }
            precondition(expected == actual, "concatenate: shape \(tensor.shape) does not match \(first) "
                         + "outside axis \(axis)")
        }
        if tensors.count == 1 { return tensors[0] }
        let sizes = tensors.map { $0.shape[resolved] }
        var dims = first.dimensions
        dims[resolved] = sizes.reduce(0, +)
        let result = Tensor(uninitializedShape: Shape(dims))
        let inner = dims[(resolved + 1)...].reduce(1, *)
        let outer = dims[..<resolved].reduce(1, *)
        let rowLength = dims[resolved] * inner
        var offset = 0
        for (tensor, size) in zip(tensors, sizes) {
            LayoutKernels.copyBlocks(tensor.storage.base, sourceStride: size * inner,
                                     into: result.storage.base + offset, destinationStride: rowLength,
                                     length: size * inner, rows: outer)
            offset += size * inner
        }
        let shapes = tensors.map(\.shape)
        return record(result, op: "concatenate", inputs: tensors) { gradient, needs in
            var offset = 0
            return zip(shapes, sizes).enumerated().map { index, pair in
                let (shape, size) = pair
                defer { offset += size * inner }
                guard needs[index] else { return nil }
                let part = Tensor(uninitializedShape: shape)
                LayoutKernels.copyBlocks(gradient.storage.base + offset, sourceStride: rowLength,
                                         into: part.storage.base, destinationStride: size * inner,
                                         length: size * inner, rows: outer)
                return part
            }
        }
    }

    /// Joins tensors of equal shape along a new axis at `axis` (torch.stack).
    public static func stack(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "stack: needs at least one tensor")
        let shape = tensors[0].shape
        for tensor in tensors {
            precondition(tensor.shape == shape, "stack: shapes \(shape) and \(tensor.shape) differ")
        }
        let resolved = axis < 0 ? axis + shape.rank + 1 : axis
        precondition(resolved >= 0 && resolved <= shape.rank, "stack: axis \(axis) is out of range for shape \(shape)")
        return concatenate(tensors.map { $0.unsqueezed(axis: resolved) }, axis: resolved)
    }
}
