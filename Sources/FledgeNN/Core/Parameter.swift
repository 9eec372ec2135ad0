import FledgeTensor

/// A trainable tensor owned by a module: identity matters (optimizers and state dicts find it by
/// its dotted name), so it is a class around a leaf tensor.
public final class Parameter {
    /// The current values; a leaf that requires gradients while the parameter is trainable.
    public var value: Tensor

    /// False when frozen: the value is then cut off the tape and receives no gradient.
    public var isTrainable: Bool {
        didSet { value.setRequiresGradient(isTrainable) }
    }

    /// Creates a trainable parameter holding `value`.
    public init(_ value: Tensor, isTrainable: Bool = true) {
        self.value = value.detached()
        self.isTrainable = isTrainable
        self.value.setRequiresGradient(isTrainable)
    }

    /// The shape of the value.
    public var shape: Shape { value.shape }

    /// The gradient accumulated by the last `backward()` calls, or nil.
    public var grad: Tensor? { value.grad }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { value.zeroGradient() }

    /// Replaces the values in place (keeping this parameter's identity on the tape).
    public func assign(_ newValue: Tensor) {
        precondition(newValue.shape == value.shape,
                     "Parameter.assign: value of shape \(newValue.shape) for a parameter of shape \(value.shape)")
        let source = newValue.storage.base
        value.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: $0.count) }
    }

    /// Writes the values in place; optimizers use this for their update rule.
    public func updateInPlace(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        value.withUnsafeMutableBufferPointer(body)
    }
}
