import FledgeTensor

/// A fully connected layer `y = x·Wᵀ + b`, as `torch.nn.Linear`: weight `[out, in]`, bias `[out]`.
///
/// `precision` selects the number format of its GEMMs (`.bfloat16Mixed`: bf16 operands, Float32
/// accumulation and weights); `Module.setPrecision(_:)` sets it on every layer of a model.
public final class Linear: Layer, PrecisionSettable {
    /// The weight, `[outputSize, inputSize]`.
    public let weight: Parameter
    /// The bias, `[outputSize]`, or nil for a layer without one.
    public let bias: Parameter?
    public var isTraining = true
    /// The number format of the matrix products. Default `.float32`.
    public var precision: Precision = .float32

    /// The number of input features.
    public var inputSize: Int { weight.shape[1] }
    /// The number of output features.
    public var outputSize: Int { weight.shape[0] }

    /// Creates a layer with PyTorch's default initialisation: Kaiming-uniform with a = √5 on the
    /// weight (U(±1/√in)) and U(±1/√in) on the bias, drawn from `generator`.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: inout SeededGenerator) {
        precondition(inputSize > 0 && outputSize > 0,
                     "Linear: sizes must be positive, got inputSize \(inputSize), outputSize \(outputSize)")
        weight = Parameter(Initializer.kaimingUniform([outputSize, inputSize], a: Float(5).squareRoot(),
                                                      generator: &generator))
        let bound = 1 / Float(inputSize).squareRoot()
        self.bias = bias
            ? Parameter(Tensor.uniform([outputSize], lowerBound: -bound, upperBound: bound, generator: &generator))
            : nil
    }

    /// Creates a layer initialised from `seed` (see `init(inputSize:outputSize:bias:generator:)`).
    public convenience init(inputSize: Int, outputSize: Int, bias: Bool = true, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, outputSize: outputSize, bias: bias, generator: &generator)
    }

    /// Creates a layer holding the given weight `[out, in]` and bias `[out]`.
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear: weight must be [out, in], got \(weight.shape)")
        if let bias {
            precondition(bias.shape == [weight.shape[0]], "Linear: bias \(bias.shape) does not match weight \(weight.shape)")
        }
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    public var directParameters: [(name: String, parameter: Parameter)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    /// `x·Wᵀ + b` for input `[..., inputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor { callAsFunction(input, activation: .identity) }

    /// `activation(x·Wᵀ + b)` in one fused pass (used by `Sequential` for Linear → ReLU).
    public func callAsFunction(_ input: Tensor, activation: FusedActivation) -> Tensor {
        Tensor.linear(input, weight: weight.value, bias: bias?.value, activation: activation, precision: precision)
    }
}
