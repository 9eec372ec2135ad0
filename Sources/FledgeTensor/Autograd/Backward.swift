extension Tensor {
    /// Back-propagates from this tensor through the tape, adding to `grad` of every leaf that
    /// requires gradients. Gradients accumulate across calls until `zeroGradient()`.
    ///
    /// - Parameters:
    ///   - seed: the gradient of the final objective with respect to this tensor; defaults to
    ///     ones, which for a scalar loss is d(loss)/d(loss) = 1.
    ///   - retainGraph: keep the pullbacks so `backward` can run again over the same graph.
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false) {
        guard let root = node else {
            preconditionFailure("Tensor.backward: this tensor (shape \(shape)) does not require gradients; "
                + "call setRequiresGradient() on a leaf before computing it")
        }
        if let seed {
            precondition(seed.shape == shape, "Tensor.backward: seed of shape \(seed.shape) for tensor of shape \(shape)")
        }
        let order = Self.topologicalOrder(from: root)
        withoutGradients {
            root.accumulate(seed?.detached() ?? Tensor.ones(shape))
            for node in order.reversed() where !node.isLeaf {
                guard let gradient = node.grad else { continue }
                guard let pullback = node.pullback else {
                    preconditionFailure("Tensor.backward: the graph through '\(node.op)' was already freed by an "
                        + "earlier backward; pass retainGraph: true to run backward twice")
                }
                node.grad = nil
                let inputGradients = pullback(gradient)
                for (input, inputGradient) in zip(node.inputs, inputGradients) {
                    if let input, let inputGradient { input.accumulate(inputGradient) }
                }
                if !retainGraph {
                    node.pullback = nil
                    node.inputs = []
                }
            }
        }
    }

    /// Nodes reachable from `root`, each after all of its inputs (iterative DFS, so deep graphs
    /// do not overflow the stack).
    static func topologicalOrder(from root: GradientNode) -> [GradientNode] {
        var order: [GradientNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradientNode, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                if let input = node.inputs[next], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

extension GradientNode {
    /// Adds `gradient` to what this node has gathered. Never writes into a tensor it did not
    /// create, because pullbacks may return shared storage.
    func accumulate(_ gradient: Tensor) {
        if let existing = grad {
            grad = existing.adding(gradient)
        } else {
            grad = gradient
        }
    }
}

extension Tensor {
    /// Elementwise sum of two tensors of the same shape, off the tape (gradient accumulation).
    func adding(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "backward: gradient of shape \(other.shape) for a tensor of shape \(shape)")
        var result = Tensor(uninitializedShape: shape)
        result.withUnsafeMutableBufferPointer { out in
            let a = storage.base, b = other.storage.base
            for index in 0..<out.count { out[index] = a[index] + b[index] }
        }
        return result
    }
}
