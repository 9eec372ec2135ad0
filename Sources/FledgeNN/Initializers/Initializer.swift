import FledgeTensor

/// Which fan scales a Kaiming initialisation: `fanIn` preserves the forward signal's variance,
/// `fanOut` the backward gradient's.
public enum FanMode: String, Sendable, Codable {
    case fanIn = "fan_in"
    case fanOut = "fan_out"
}

/// The non-linearity that follows a layer, which sets the recommended gain (`torch.nn.init.calculate_gain`).
public enum Nonlinearity: Sendable, Hashable {
    case linear, sigmoid, tanh, relu
    /// Leaky ReLU with the given negative slope.
    case leakyRelu(negativeSlope: Float)

    /// The gain PyTorch recommends for this non-linearity.
    public var gain: Float {
        switch self {
        case .linear, .sigmoid: 1
        case .tanh: 5.0 / 3.0
        case .relu: Float(2).squareRoot()
        case .leakyRelu(let slope): (2 / (1 + slope * slope)).squareRoot()
        }
    }
}

/// Weight initialisers with PyTorch's formulas (`torch.nn.init`), each drawing from an explicit
/// seeded generator so a seed fixes every weight.
///
/// Fans follow PyTorch: for a weight `[out, in, k...]`, fan-in = in·∏k and fan-out = out·∏k.
public enum Initializer {
    /// (fan-in, fan-out) of a weight shape; a rank-1 shape has both equal to its length.
    public static func fans(of shape: Shape) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.rank >= 1, "Initializer.fans: shape \(shape) needs at least one axis")
        if shape.rank == 1 { return (shape[0], shape[0]) }
        let receptive = shape.dimensions.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Kaiming (He) uniform: U(-b, b) with b = gain·√(3 / fan). PyTorch's default for `Linear`
    /// weights is `a: √5`.
    public static func kaimingUniform(
        _ shape: Shape, a: Float = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity? = nil,
        generator: inout SeededGenerator
    ) -> Tensor {
        let std = kaimingStandardDeviation(shape, a: a, mode: mode, nonlinearity: nonlinearity)
        let bound = Float(3).squareRoot() * std
        return .uniform(shape, lowerBound: -bound, upperBound: bound, generator: &generator)
    }

    /// Kaiming (He) normal: N(0, std²) with std = gain / √fan.
    public static func kaimingNormal(
        _ shape: Shape, a: Float = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity? = nil,
        generator: inout SeededGenerator
    ) -> Tensor {
        let std = kaimingStandardDeviation(shape, a: a, mode: mode, nonlinearity: nonlinearity)
        return .normal(shape, standardDeviation: std, generator: &generator)
    }

    /// Xavier (Glorot) uniform: U(-b, b) with b = gain·√(6 / (fan-in + fan-out)).
    public static func xavierUniform(_ shape: Shape, gain: Float = 1, generator: inout SeededGenerator) -> Tensor {
        let bound = Float(3).squareRoot() * xavierStandardDeviation(shape, gain: gain)
        return .uniform(shape, lowerBound: -bound, upperBound: bound, generator: &generator)
    }

    /// Xavier (Glorot) normal: N(0, std²) with std = gain·√(2 / (fan-in + fan-out)).
    public static func xavierNormal(_ shape: Shape, gain: Float = 1, generator: inout SeededGenerator) -> Tensor {
        .normal(shape, standardDeviation: xavierStandardDeviation(shape, gain: gain), generator: &generator)
    }

    /// The standard deviation Kaiming uses: the gain of `nonlinearity` (default leaky ReLU with
    /// slope `a`, as PyTorch) divided by √fan.
    public static func kaimingStandardDeviation(
        _ shape: Shape, a: Float = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity? = nil
    ) -> Float {
        let (fanIn, fanOut) = fans(of: shape)
        let fan = mode == .fanIn ? fanIn : fanOut
        precondition(fan > 0, "Initializer.kaiming: shape \(shape) has a zero fan")
        let gain = (nonlinearity ?? .leakyRelu(negativeSlope: a)).gain
        return gain / Float(fan).squareRoot()
    }

    private static func xavierStandardDeviation(_ shape: Shape, gain: Float) -> Float {
        let (fanIn, fanOut) = fans(of: shape)
        precondition(fanIn + fanOut > 0, "Initializer.xavier: shape \(shape) has zero fans")
        return gain * (2 / Float(fanIn + fanOut)).squareRoot()
    }
}
