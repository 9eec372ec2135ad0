import CFledgeKernels

// Activation functions and their gradient rules.

/// Which formula `gelu` uses (torch's `approximate` argument).
public enum GELUApproximation: String, Sendable, Codable, CaseIterable {
    /// The exact x Φ(x) with the normal CDF from erf.
    case none
    /// x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2.
    case tanh
}

private struct ReluOp: ElementwiseUnaryOp { @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 || x != x ? x : 0 } }
/// g where the saved output is positive (equivalently the input), else 0.
private struct ReluGradientOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : 0 }
}
private struct LeakyReluOp: ElementwiseUnaryOp {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : x * slope }
}
private struct LeakyReluGradientOp: ElementwiseBinaryOp {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : g * slope }
}

extension Tensor {
    /// max(x, 0) elementwise, NaN kept (torch.relu); the gradient at 0 is 0.
    public func relu() -> Tensor {
        recordElementwise(mapped(ReluOp()), op: "relu", gradientFromOutput: ReluGradientOp())
    }

    /// x for x > 0, `negativeSlope * x` otherwise (torch.nn.functional.leaky_relu).
    public func leakyRelu(negativeSlope: Float = 0.01) -> Tensor {
        recordElementwise(mapped(LeakyReluOp(slope: negativeSlope)), op: "leakyRelu",
                          gradientFromInput: LeakyReluGradientOp(slope: negativeSlope))
    }

    /// Gaussian error linear unit, exact or with the tanh approximation (torch.nn.functional.gelu).
    public func gelu(approximation: GELUApproximation = .none) -> Tensor {
        switch approximation {
        case .none:
            return Tensor.record(mapped(kernel: fledge_gelu), op: "gelu", inputs: [self]) { g, _ in
                [self.zipped(with: g, kernel: fledge_gelu_backward)]
            }
        case .tanh:
            return Tensor.record(mapped(kernel: fledge_gelu_tanh), op: "gelu", inputs: [self]) { g, _ in
                [self.zipped(with: g, kernel: fledge_gelu_tanh_backward)]
            }
        }
    }

    /// log(1 + e^(βx)) / β, reverting to x where βx > `threshold` for stability
    /// (torch.nn.functional.softplus).
    public func softplus(beta: Float = 1, threshold: Float = 20) -> Tensor {
        let result = mapped(kernel: { fledge_softplus($0, $1, $2, beta, threshold) })
        return Tensor.record(result, op: "softplus", inputs: [self]) { g, _ in
            [self.zipped(with: g, kernel: { fledge_softplus_backward($0, $1, $2, $3, beta, threshold) })]
        }
    }
}
