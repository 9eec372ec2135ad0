import CFledgeKernels

// Elementwise math functions and their gradient rules. Transcendental loops run in the C
// kernels (CFledgeKernels); the gradients are fused two-input loops over the saved tensors.

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
        Tensor.record(mapped(AbsoluteOp()), op: "abs", inputs: [self]) { g, _ in
            [g.zipped(with: self, AbsoluteGradientOp())]
        }
    }

    /// Elementwise e^x (vectorised polynomial, relative error ~1e-7; inf above ~88.72, 0 far below).
    public func exp() -> Tensor {
        let result = mapped(kernel: fledge_exp)
        return Tensor.record(result, op: "exp", inputs: [self]) { g, _ in
            [g.zipped(with: result, MultiplyOp())]
        }
    }

    /// Elementwise natural logarithm; log(0) = -inf and log of a negative number is NaN (torch.log).
    public func log() -> Tensor {
        Tensor.record(mapped(kernel: fledge_log), op: "log", inputs: [self]) { g, _ in
            [g.zipped(with: self, DivideOp())]
        }
    }

    /// Elementwise square root.
    public func sqrt() -> Tensor {
        let result = mapped(SquareRootOp())
        return Tensor.record(result, op: "sqrt", inputs: [self]) { g, _ in
            [g.zipped(with: result, SquareRootGradientOp())]
        }
    }

    /// Elementwise hyperbolic tangent.
    public func tanh() -> Tensor {
        let result = mapped(kernel: fledge_tanh)
        return Tensor.record(result, op: "tanh", inputs: [self]) { g, _ in
            [g.zipped(with: result, TanhGradientOp())]
        }
    }

    /// Elementwise logistic sigmoid 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        let result = mapped(kernel: fledge_sigmoid)
        return Tensor.record(result, op: "sigmoid", inputs: [self]) { g, _ in
            [g.zipped(with: result, SigmoidGradientOp())]
        }
    }

    /// Every element limited to `[min, max]` (either bound optional, as torch.clamp). The
    /// gradient flows where the input lies within the bounds, inclusive.
    public func clamped(min low: Float? = nil, max high: Float? = nil) -> Tensor {
        let low = low ?? -.infinity, high = high ?? .infinity
        return Tensor.record(mapped(ClampOp(low: low, high: high)), op: "clamp", inputs: [self]) { g, _ in
            [g.zipped(with: self, ClampGradientOp(low: low, high: high))]
        }
    }
}
