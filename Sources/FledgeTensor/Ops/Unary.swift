import CFledgeKernels

// Elementwise math functions and their gradient rules. Transcendental loops run in the C
// kernels (CFledgeKernels); each gradient is one fused loop over g and the saved input or output.

private struct AbsoluteOp: ElementwiseUnaryOp { @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) } }
struct SquareRootOp: ElementwiseUnaryOp { @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }

/// g * sign(x), with sign(0) = 0 as torch.
private struct AbsoluteGradientOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}
/// g / (2 sqrt x), from the saved result y = sqrt x.
private struct SquareRootGradientOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { 0.5 * g / y }
}
/// g (1 - y^2) for y = tanh x.
private struct TanhGradientOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}
/// g y (1 - y) for y = sigmoid x.
private struct SigmoidGradientOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}
private struct ClampOp: ElementwiseUnaryOp {
    let low: Float, high: Float
    // Upper bound last, so min > max gives max as torch does; NaN passes through.
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        let raised = x < low ? low : x
        return raised > high ? high : raised
    }
}
/// The gradient passes where low <= x <= high (inclusive, as torch.clamp).
private struct ClampGradientOp: ElementwiseBinaryOp {
    let low: Float, high: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x >= low && x <= high ? g : 0 }
}

extension Tensor {
    /// Elementwise absolute value; the gradient at 0 is 0 (torch.abs).
    public func abs() -> Tensor {
        recordElementwise(mapped(AbsoluteOp()), op: "abs", gradientFromInput: AbsoluteGradientOp())
    }

    /// Elementwise e^x (vectorised polynomial, relative error ~1e-7; inf above ~88.72, 0 far below).
    public func exp() -> Tensor {
        recordElementwise(mapped(kernel: fledge_exp), op: "exp", gradientFromOutput: MultiplyOp())
    }

    /// Elementwise natural logarithm; log(0) = -inf and log of a negative number is NaN (torch.log).
    public func log() -> Tensor {
        recordElementwise(mapped(kernel: fledge_log), op: "log", gradientFromInput: DivideOp())
    }

    /// Elementwise square root.
    public func sqrt() -> Tensor {
        recordElementwise(mapped(SquareRootOp()), op: "sqrt", gradientFromOutput: SquareRootGradientOp())
    }

    /// Elementwise hyperbolic tangent.
    public func tanh() -> Tensor {
        recordElementwise(mapped(kernel: fledge_tanh), op: "tanh", gradientFromOutput: TanhGradientOp())
    }

    /// Elementwise logistic sigmoid 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        recordElementwise(mapped(kernel: fledge_sigmoid), op: "sigmoid", gradientFromOutput: SigmoidGradientOp())
    }

    /// Every element limited to `[min, max]` (either bound optional, as torch.clamp). The
    /// gradient flows where the input lies within the bounds, inclusive.
    public func clamped(min low: Float? = nil, max high: Float? = nil) -> Tensor {
        let low = low ?? -.infinity, high = high ?? .infinity
        return recordElementwise(mapped(ClampOp(low: low, high: high)), op: "clamp",
                                 gradientFromInput: ClampGradientOp(low: low, high: high))
    }
}
