import Foundation

// Elementwise arithmetic with NumPy broadcasting, and its gradient rules. Broadcasting ops sum
// each input's gradient back to that input's shape (`summed(toShape:)` in Kernels/).

struct AddOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct SubtractOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct MultiplyOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct DivideOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }

private struct AddScalarOp: ElementwiseUnaryOp {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x + scalar }
}
private struct MultiplyScalarOp: ElementwiseUnaryOp {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * scalar }
}
private struct ScalarMinusOp: ElementwiseUnaryOp {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { scalar - x }
}
private struct ScalarDividedByOp: ElementwiseUnaryOp {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { scalar / x }
}
private struct NegateOp: ElementwiseUnaryOp { @inline(__always) func callAsFunction(_ x: Float) -> Float { -x } }

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = lhs.broadcasting(rhs, AddOp(), name: "add")
        return record(result, op: "add", inputs: [lhs, rhs]) { g, needs in
            [needs[0] ? g.summed(toShape: lhs.shape) : nil, needs[1] ? g.summed(toShape: rhs.shape) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = lhs.broadcasting(rhs, SubtractOp(), name: "subtract")
        return record(result, op: "subtract", inputs: [lhs, rhs]) { g, needs in
            [needs[0] ? g.summed(toShape: lhs.shape) : nil, needs[1] ? (-g).summed(toShape: rhs.shape) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = lhs.broadcasting(rhs, MultiplyOp(), name: "multiply")
        return record(result, op: "multiply", inputs: [lhs, rhs]) { g, needs in
            [needs[0] ? (g * rhs).summed(toShape: lhs.shape) : nil,
             needs[1] ? (g * lhs).summed(toShape: rhs.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = lhs.broadcasting(rhs, DivideOp(), name: "divide")
        return record(result, op: "divide", inputs: [lhs, rhs]) { g, needs in
            // d(a/b)/db = -a/b^2 = -(a/b)/b, reusing the forward result.
            [needs[0] ? (g / rhs).summed(toShape: lhs.shape) : nil,
             needs[1] ? (-(g * result.detached()) / rhs).summed(toShape: rhs.shape) : nil]
        }
    }

    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor {
        record(lhs.mapped(AddScalarOp(scalar: rhs)), op: "add", inputs: [lhs]) { g, _ in [g] }
    }

    /// Adds a scalar to every element.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }

    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }

    /// A scalar minus every element.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor {
        record(rhs.mapped(ScalarMinusOp(scalar: lhs)), op: "subtract", inputs: [rhs]) { g, _ in [-g] }
    }

    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        record(lhs.mapped(MultiplyScalarOp(scalar: rhs)), op: "multiply", inputs: [lhs]) { g, _ in [g * rhs] }
    }

    /// Multiplies every element by a scalar.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }

    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor {
        record(lhs.mapped(DivideScalarOp(scalar: rhs)), op: "divide", inputs: [lhs]) { g, _ in [g / rhs] }
    }

    /// A scalar divided by every element.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor {
        let result = rhs.mapped(ScalarDividedByOp(scalar: lhs))
        return record(result, op: "divide", inputs: [rhs]) { g, _ in [-(g * result.detached()) / rhs] }
    }

    /// Elementwise negation.
    public static prefix func - (operand: Tensor) -> Tensor {
        record(operand.mapped(NegateOp()), op: "negate", inputs: [operand]) { g, _ in [-g] }
    }

    /// `lhs = lhs + rhs` (a new tensor, recorded like `+`).
    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs`.
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs`.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs`.
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
    /// `lhs = lhs + rhs`.
    public static func += (lhs: inout Tensor, rhs: Float) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs`.
    public static func -= (lhs: inout Tensor, rhs: Float) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs`.
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs`.
    public static func /= (lhs: inout Tensor, rhs: Float) { lhs = lhs / rhs }
}

// MARK: - Powers

private struct PowerScalarOp: ElementwiseUnaryOp {
    let exponent: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.pow(x, exponent) }
}
private struct SquareOp: ElementwiseUnaryOp { @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x } }
private struct CubeOp: ElementwiseUnaryOp { @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x * x } }
private struct PowerOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { Foundation.pow(a, b) }
}
/// log(base) for the exponent's gradient, 0 where torch masks it (base 0 with exponent >= 0).
private struct PowerExponentGradientOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ base: Float, _ exponent: Float) -> Float {
        base == 0 && exponent >= 0 ? 0 : Foundation.log(base)
    }
}

extension Tensor {
    /// Every element raised to `exponent` (torch.pow with a scalar exponent).
    public func pow(_ exponent: Float) -> Tensor {
        let result: Tensor
        switch exponent {
        case 1: result = copied()
        case 2: result = mapped(SquareOp())
        case 3: result = mapped(CubeOp())
        case 0.5: result = mapped(SquareRootOp())
        case -1: result = mapped(ScalarDividedByOp(scalar: 1))
        default: result = mapped(PowerScalarOp(exponent: exponent))
        }
        return Tensor.record(result, op: "pow", inputs: [self]) { g, _ in
            if exponent == 0 { return [Tensor.zeros(shape)] }
            if exponent == 1 { return [g] }
            if exponent == 2 { return [g * self * 2] }
            return [g * self.pow(exponent - 1) * exponent]
        }
    }

    /// Elementwise power with a broadcast tensor exponent (torch.pow(tensor, tensor)).
    public func pow(_ exponent: Tensor) -> Tensor {
        let result = broadcasting(exponent, PowerOp(), name: "pow")
        return Tensor.record(result, op: "pow", inputs: [self, exponent]) { g, needs in
            let base = needs[0] ? (g * exponent * self.pow(exponent - 1)).summed(toShape: shape) : nil
            let power = needs[1]
                ? (g * result.detached() * self.broadcasting(exponent, PowerExponentGradientOp(), name: "pow"))
                    .summed(toShape: exponent.shape)
                : nil
            return [base, power]
        }
    }
}

// MARK: - Elementwise extrema

private struct MinimumOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { (a < b || a.isNaN) ? a : b }
}
private struct MaximumOp: ElementwiseBinaryOp {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { (a > b || a.isNaN) ? a : b }
}
/// The share of the gradient the left operand gets: 1 where it wins, 1/2 on ties (as torch).
private struct WinnerShareOp: ElementwiseBinaryOp {
    let wantsLarger: Bool
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float {
        a == b ? 0.5 : ((a > b) == wantsLarger ? 1 : 0)
    }
}

extension Tensor {
    /// Elementwise minimum with broadcasting (torch.minimum; NaN propagates, ties split the gradient).
    public func minimum(_ other: Tensor) -> Tensor { extremum(other, larger: false) }

    /// Elementwise maximum with broadcasting (torch.maximum; NaN propagates, ties split the gradient).
    public func maximum(_ other: Tensor) -> Tensor { extremum(other, larger: true) }

    private func extremum(_ other: Tensor, larger: Bool) -> Tensor {
        let name = larger ? "maximum" : "minimum"
        let result = larger ? broadcasting(other, MaximumOp(), name: name) : broadcasting(other, MinimumOp(), name: name)
        return Tensor.record(result, op: name, inputs: [self, other]) { g, needs in
            [needs[0] ? (g * self.broadcasting(other, WinnerShareOp(wantsLarger: larger), name: name))
                .summed(toShape: shape) : nil,
             needs[1] ? (g * other.broadcasting(self, WinnerShareOp(wantsLarger: larger), name: name))
                .summed(toShape: other.shape) : nil]
        }
    }
}
