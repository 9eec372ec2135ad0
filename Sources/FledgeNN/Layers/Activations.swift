import FledgeTensor

/// max(x, 0), as `torch.nn.ReLU`. `Sequential` fuses a `Linear` followed by `ReLU` into one op.
public final class ReLU: Layer {
    public var isTraining = true
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// x for x > 0, slope·x otherwise, as `torch.nn.LeakyReLU`.
public final class LeakyReLU: Layer {
    /// The slope for negative inputs.
    public let negativeSlope: Float
    public var isTraining = true
    /// Creates the layer.
    public init(negativeSlope: Float = 0.01) { self.negativeSlope = negativeSlope }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
}

/// x·Φ(x) (or its tanh approximation), as `torch.nn.GELU`.
public final class GELU: Layer {
    /// Exact or tanh-approximated.
    public let approximation: GELUApproximation
    public var isTraining = true
    /// Creates the layer.
    public init(approximation: GELUApproximation = .none) { self.approximation = approximation }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.gelu(approximation: approximation) }
}

/// tanh(x), as `torch.nn.Tanh`.
public final class Tanh: Layer {
    public var isTraining = true
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// 1 / (1 + e^−x), as `torch.nn.Sigmoid`.
public final class Sigmoid: Layer {
    public var isTraining = true
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// log(1 + e^(βx)) / β, linear above `threshold`, as `torch.nn.Softplus`.
public final class Softplus: Layer {
    /// β.
    public let beta: Float
    /// Above β·x > threshold the function is taken as linear.
    public let threshold: Float
    public var isTraining = true
    /// Creates the layer.
    public init(beta: Float = 1, threshold: Float = 20) {
        self.beta = beta
        self.threshold = threshold
    }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.softplus(beta: beta, threshold: threshold) }
}

/// Returns its input, as `torch.nn.Identity` (a placeholder where a config asks for no activation).
public final class Identity: Layer {
    public var isTraining = true
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input }
}
