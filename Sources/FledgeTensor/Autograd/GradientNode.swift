/// One entry of the define-by-run tape.
///
/// A leaf node belongs to a tensor that requires gradients and accumulates them in `grad`.
/// An op node holds the nodes of its inputs and a pullback that maps the gradient of its output
/// to gradients of those inputs (nil where an input needs none).
final class GradientNode {
    /// Input nodes, parallel to the pullback's results; nil for inputs that need no gradient.
    var inputs: [GradientNode?]
    /// Maps the output gradient to input gradients. Released after `backward` unless retained.
    var pullback: ((Tensor) -> [Tensor?])?
    /// The op that made this node, for error messages.
    let op: String
    /// Leaves: the accumulated gradient. Op nodes: the gradient gathered so far during one backward pass.
    var grad: Tensor?
    let isLeaf: Bool

    init(leafNamed op: String = "leaf") {
        self.inputs = []
        self.pullback = nil
        self.op = op
        self.isLeaf = true
    }

    init(op: String, inputs: [GradientNode?], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.pullback = pullback
        self.op = op
        self.isLeaf = false
    }
}

extension Tensor {
    /// True when gradients flow back to this tensor (it is a leaf that requires them, or was
    /// computed from one while recording).
    public var requiresGradient: Bool { node != nil }

    /// Makes this tensor a leaf that requires gradients (or, with `false`, cuts it off the tape).
    public mutating func setRequiresGradient(_ requires: Bool = true) {
        node = requires ? GradientNode() : nil
    }

    /// A leaf copy of this tensor's values that requires gradients.
    public func requiringGradient() -> Tensor {
        var result = detached()
        result.setRequiresGradient()
        return result
    }

    /// The gradient accumulated on this leaf by `backward()`, or nil.
    public var grad: Tensor? { node?.isLeaf == true ? node?.grad : nil }

    /// Forgets the accumulated gradient of this leaf.
    public func zeroGradient() { if node?.isLeaf == true { node?.grad = nil } }

    /// Sets the gradient of this leaf (optimizers' tests and gradient accumulation use it).
    public func setGradient(_ gradient: Tensor?) {
        precondition(node?.isLeaf == true, "Tensor.setGradient: only leaves that require gradients hold one")
        if let gradient {
            precondition(gradient.shape == shape,
                         "Tensor.setGradient: gradient of shape \(gradient.shape) for tensor of shape \(shape)")
        }
        node?.grad = gradient?.detached()
    }

    /// True when a node of this tensor is the same as another's (same leaf parameter).
    public func sharesGradient(with other: Tensor) -> Bool { node != nil && node === other.node }

    /// Records `result` as the output of `op` on the tape when gradients are enabled and any
    /// input requires them. `pullback` receives the output gradient and, for each input, whether
    /// it needs a gradient; it returns one gradient (or nil) per input, each of the input's shape.
    public static func record(
        _ result: Tensor,
        op: String,
        inputs: [Tensor],
        pullback: @escaping (_ gradient: Tensor, _ needsGradient: [Bool]) -> [Tensor?]
    ) -> Tensor {
        guard GradientMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return result }
        let needs = inputs.map { $0.node != nil }
        var output = result
        output.node = GradientNode(op: op, inputs: inputs.map(\.node)) { pullback($0, needs) }
        return output
    }
}
