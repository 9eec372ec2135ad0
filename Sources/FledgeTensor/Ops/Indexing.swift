extension Tensor {
    /// Picks, along `axis`, the element each index names: out[p] = self[p with axis → indices[p]]
    /// (torch.gather). `indices` has the rank of `self` and is no larger on the other axes.
    public func gathered(axis: Int, indices: IndexTensor) -> Tensor {
        precondition(rank >= 1, "gathered: needs at least one axis, got a scalar")
        let resolved = shape.normalizedAxis(axis, op: "gathered")
        Self.checkIndexShape(indices.shape, fits: shape, exceptAxis: resolved, op: "gathered", what: "input")
        IndexingKernels.checkRange(indices.indices, size: shape[resolved], axis: axis, op: "gathered")
        let result = Tensor(uninitializedShape: indices.shape)
        IndexingKernels.gather(storage.base, dataShape: shape, axis: resolved, indices: indices.indices,
                               indexShape: indices.shape, into: result.storage.base, outStrides: indices.shape.strides)
        let inputShape = shape
        return Tensor.record(result, op: "gather", inputs: [self]) { gradient, _ in
            let input = Tensor.zeros(inputShape)
            IndexingKernels.scatterAdd(into: input.storage.base, dataShape: inputShape, axis: resolved,
                                       indices: indices.indices, indexShape: indices.shape,
                                       from: gradient.storage.base, sourceStrides: indices.shape.strides)
            return [input]
        }
    }

    /// A copy of `self` with source[p] added at self[p with axis → indices[p]] for every position p
    /// of `indices` (torch.scatter_add). `indices` is no larger than `source` on any axis and no
    /// larger than `self` off `axis`; all three have the same rank.
    public func scatterAdding(axis: Int, indices: IndexTensor, source: Tensor) -> Tensor {
        precondition(rank >= 1, "scatterAdding: needs at least one axis, got a scalar")
        let resolved = shape.normalizedAxis(axis, op: "scatterAdding")
        precondition(source.rank == rank, "scatterAdding: source of shape \(source.shape) and input of shape \(shape) "
                     + "differ in rank")
        Self.checkIndexShape(indices.shape, fits: shape, exceptAxis: resolved, op: "scatterAdding", what: "input")
        Self.checkIndexShape(indices.shape, fits: source.shape, exceptAxis: nil, op: "scatterAdding", what: "source")
        IndexingKernels.checkRange(indices.indices, size: shape[resolved], axis: axis, op: "scatterAdding")
        let result = copied()
        IndexingKernels.scatterAdd(into: result.storage.base, dataShape: shape, axis: resolved,
                                   indices: indices.indices, indexShape: indices.shape,
                                   from: source.storage.base, sourceStrides: source.shape.strides)
        let inputShape = shape, sourceShape = source.shape
        return Tensor.record(result, op: "scatterAdd", inputs: [self, source]) { gradient, needs in
            var sourceGradient: Tensor?
            if needs[1] {
                // Source elements outside the index tensor's extent never reach the output.
                let part = Tensor.zeros(sourceShape)
                IndexingKernels.gather(gradient.storage.base, dataShape: inputShape, axis: resolved,
                                       indices: indices.indices, indexShape: indices.shape,
                                       into: part.storage.base, outStrides: sourceShape.strides)
                sourceGradient = part
            }
            return [needs[0] ? gradient : nil, sourceGradient]
        }
    }

    /// Traps unless `indexShape` has the rank of `shape` and is no larger on every axis but `exceptAxis`.
    private static func checkIndexShape(_ indexShape: Shape, fits shape: Shape, exceptAxis: Int?, op: String, what: String) {
        precondition(indexShape.rank == shape.rank,
                     "\(op): indices of shape \(indexShape) and \(what) of shape \(shape) differ in rank")
        for axis in 0..<shape.rank where axis != exceptAxis {
            precondition(indexShape[axis] <= shape[axis],
                         "\(op): indices of shape \(indexShape) exceed \(what) of shape \(shape) on axis \(axis)")
        }
    }

    /// The slices along `axis` named by a rank-1 `indices`, in that order (torch.index_select).
    public func indexSelected(axis: Int, indices: IndexTensor) -> Tensor {
        precondition(rank >= 1, "indexSelected: needs at least one axis, got a scalar")
        let resolved = shape.normalizedAxis(axis, op: "indexSelected")
        precondition(indices.shape.rank <= 1, "indexSelected: indices must be rank 1, got shape \(indices.shape)")
        let size = shape[resolved]
        IndexingKernels.checkRange(indices.indices, size: size, axis: axis, op: "indexSelected")
        var dims = shape.dimensions
        dims[resolved] = indices.count
        let result = Tensor(uninitializedShape: Shape(dims))
        let inner = dims[(resolved + 1)...].reduce(1, *), outer = dims[..<resolved].reduce(1, *)
        IndexingKernels.selectBlocks(storage.base, sourceAxisSize: size, into: result.storage.base,
                                     indices: indices.indices, outer: outer, inner: inner)
        let inputShape = shape
        return Tensor.record(result, op: "indexSelect", inputs: [self]) { gradient, _ in
            let input = Tensor.zeros(inputShape)
            IndexingKernels.addSelectedBlocks(gradient.storage.base, into: input.storage.base, inputAxisSize: size,
                                              indices: indices.indices, outer: outer, inner: inner)
            return [input]
        }
    }

    /// Elements of `a` where `condition` is nonzero and of `b` elsewhere; all three broadcast
    /// (torch.where). Differentiable in `a` and `b`.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let values = Shape.broadcast(a.shape, b.shape), let target = Shape.broadcast(condition.shape, values) else {
            preconditionFailure("where: shapes \(condition.shape), \(a.shape) and \(b.shape) do not broadcast")
        }
        let mask = condition.broadcastValues(to: target)
        let result = Tensor(uninitializedShape: target)
        // The broadcast copies must outlive the kernel that reads them through raw pointers.
        let x = a.broadcastValues(to: target), y = b.broadcastValues(to: target)
        withExtendedLifetime((x, y)) {
            IndexingKernels.select(mask: mask.storage.base, nonzero: x.storage.base, zero: y.storage.base, fill: 0,
                                   into: result.storage.base, count: target.count)
        }
        let aShape = a.shape, bShape = b.shape
        return record(result, op: "where", inputs: [a, b]) { gradient, needs in
            func part(keepingNonzero: Bool, shape: Shape) -> Tensor {
                let kept = Tensor(uninitializedShape: target)
                IndexingKernels.select(mask: mask.storage.base, nonzero: keepingNonzero ? gradient.storage.base : nil,
                                       zero: keepingNonzero ? nil : gradient.storage.base, fill: 0,
                                       into: kept.storage.base, count: target.count)
                return kept.summed(toShape: shape)
            }
            return [needs[0] ? part(keepingNonzero: true, shape: aShape) : nil,
                    needs[1] ? part(keepingNonzero: false, shape: bShape) : nil]
        }
    }

    /// `self` with `value` wherever `mask` (broadcast to this shape) is nonzero (torch.masked_fill).
    public func maskedFilled(where mask: Tensor, with value: Float) -> Tensor {
        precondition(Shape.broadcast(mask.shape, shape) == shape,
                     "maskedFilled: mask of shape \(mask.shape) does not broadcast to shape \(shape)")
        let fullMask = mask.broadcastValues(to: shape)
        let result = Tensor(uninitializedShape: shape)
        IndexingKernels.select(mask: fullMask.storage.base, nonzero: nil, zero: storage.base, fill: value,
                               into: result.storage.base, count: count)
        let shape = shape
        return Tensor.record(result, op: "maskedFill", inputs: [self]) { gradient, _ in
            let kept = Tensor(uninitializedShape: shape)
            IndexingKernels.select(mask: fullMask.storage.base, nonzero: nil, zero: gradient.storage.base, fill: 0,
                                   into: kept.storage.base, count: shape.count)
            return [kept]
        }
    }

    /// The values of this tensor repeated to `target` (broadcasting rules), off the tape; used by
    /// `expanded`, `where`, `maskedFilled` and gradient rules that spread a reduced gradient back.
    func broadcastValues(to target: Shape) -> Tensor {
        if shape == target { return detached() }
        guard let plan = BroadcastPlan(target, shape), plan.shape == target else {
            preconditionFailure("broadcast: shape \(shape) cannot be broadcast to \(target)")
        }
        let result = Tensor(uninitializedShape: target)
        let source = storage.base, out = result.storage.base
        Threading.parallelFor(count: result.count) { range in
            plan.forEachRun(in: range) { start, _, offset, length in
                if plan.innerStrideB == 1 {
                    (out + start).update(from: source + offset, count: length)
                } else {
                    (out + start).update(repeating: source[offset], count: length)
                }
            }
        }
        return result
    }

    /// The `k` largest (or smallest) elements along `axis`, sorted, and their positions (torch.topk).
    /// Equal values keep their original order. NaN counts as larger than every number, as in torch.
    /// The values are differentiable; the gradient flows back to the selected positions.
    public func topK(_ k: Int, axis: Int = -1, largest: Bool = true) -> (values: Tensor, indices: IndexTensor) {
        let resolved = shape.normalizedAxis(axis, op: "topK")
        var dims = shape.dimensions
        let size = rank == 0 ? 1 : dims[resolved]
        precondition(k >= 0 && k <= size, "topK: k = \(k) is out of range for axis \(axis) of size \(size) (shape \(shape))")
        if rank > 0 { dims[resolved] = k }
        let inner = rank == 0 ? 1 : dims[(resolved + 1)...].reduce(1, *)
        let outer = rank == 0 ? 1 : dims[..<resolved].reduce(1, *)
        let values = Tensor(uninitializedShape: Shape(dims))
        var positions = [Int](repeating: 0, count: values.count)
        var order = [Int](repeating: 0, count: size)
        let source = storage.base, out = values.storage.base
        for row in 0..<outer {
            for column in 0..<inner {
                let lane = source + row * size * inner + column
                IndexingKernels.selectTop(k, of: lane, stride: inner, count: size, largest: largest, into: &order)
                let base = row * k * inner + column
                for place in 0..<k {
                    out[base + place * inner] = lane[order[place] * inner]
                    positions[base + place * inner] = order[place]
                }
            }
        }
        let indices = IndexTensor(shape: values.shape, indices: positions)
        let inputShape = shape
        let recorded = Tensor.record(values, op: "topK", inputs: [self]) { gradient, _ in
            let input = Tensor.zeros(inputShape)
            IndexingKernels.scatterAdd(into: input.storage.base, dataShape: inputShape, axis: resolved,
                                       indices: positions, indexShape: values.shape,
                                       from: gradient.storage.base, sourceStrides: values.shape.strides)
            return [input]
        }
        return (recorded, indices)
    }

}
