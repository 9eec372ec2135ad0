import FledgeTensor

/// Normalises over the trailing `normalizedShape` axes to zero mean and unit variance, then
/// scales and shifts per element, as `torch.nn.LayerNorm` (biased variance, `eps` inside the root).
///
/// Forward and backward are one fused op each (see `AffineNormalization`), not a chain of small ops.
public final class LayerNorm: Layer {
    /// The trailing shape normalised over.
    public let normalizedShape: [Int]
    /// Added to the variance for stability.
    public let epsilon: Float
    /// The per-element scale (ones at start), nil without an affine transform.
    public let weight: Parameter?
    /// The per-element shift (zeros at start), nil without an affine transform.
    public let bias: Parameter?
    public var isTraining = true

    /// Creates a layer over the trailing axes `normalizedShape`.
    public init(normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true) {
        precondition(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
                     "LayerNorm: normalizedShape \(normalizedShape) must be non-empty and positive")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Parameter(Tensor.ones(Shape(normalizedShape))) : nil
        bias = elementwiseAffine ? Parameter(Tensor.zeros(Shape(normalizedShape))) : nil
    }

    /// Creates a layer over the last axis of size `size`.
    public convenience init(_ size: Int, epsilon: Float = 1e-5, elementwiseAffine: Bool = true) {
        self.init(normalizedShape: [size], epsilon: epsilon, elementwiseAffine: elementwiseAffine)
    }

    public var directParameters: [(name: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// Normalises `input`, whose trailing axes must equal `normalizedShape`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let trailing = Array(input.shape.dimensions.suffix(normalizedShape.count))
        precondition(input.rank >= normalizedShape.count && trailing == normalizedShape,
                     "LayerNorm: input of shape \(input.shape) does not end in normalizedShape \(normalizedShape)")
        return AffineNormalization.normalizeRows(input, width: normalizedShape.reduce(1, *), epsilon: epsilon,
                                                 gamma: weight?.value, beta: bias?.value)
    }
}
