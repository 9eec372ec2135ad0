// Elementwise comparisons with broadcasting. Results are 1 where the relation holds and 0
// elsewhere; they are step functions, so they are never recorded on the tape.

private struct GreaterOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 } }
private struct LessOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }
private struct GreaterOrEqualOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }
private struct LessOrEqualOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }
private struct EqualOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
private struct NotEqualOp: ElementwiseBinaryOp { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 } }

extension Tensor {
    /// 1 where `self > other` (broadcasting), else 0. Not differentiable.
    public func isGreater(than other: Tensor) -> Tensor { broadcasting(other, GreaterOp(), name: "isGreater") }
    /// 1 where `self > value`, else 0. Not differentiable.
    public func isGreater(than value: Float) -> Tensor { isGreater(than: Tensor(scalar: value)) }

    /// 1 where `self < other` (broadcasting), else 0. Not differentiable.
    public func isLess(than other: Tensor) -> Tensor { broadcasting(other, LessOp(), name: "isLess") }
    /// 1 where `self < value`, else 0. Not differentiable.
    public func isLess(than value: Float) -> Tensor { isLess(than: Tensor(scalar: value)) }

    /// 1 where `self >= other` (broadcasting), else 0. Not differentiable.
    public func isGreaterOrEqual(to other: Tensor) -> Tensor {
        broadcasting(other, GreaterOrEqualOp(), name: "isGreaterOrEqual")
    }
    /// 1 where `self >= value`, else 0. Not differentiable.
    public func isGreaterOrEqual(to value: Float) -> Tensor { isGreaterOrEqual(to: Tensor(scalar: value)) }

    /// 1 where `self <= other` (broadcasting), else 0. Not differentiable.
    public func isLessOrEqual(to other: Tensor) -> Tensor { broadcasting(other, LessOrEqualOp(), name: "isLessOrEqual") }
    /// 1 where `self <= value`, else 0. Not differentiable.
    public func isLessOrEqual(to value: Float) -> Tensor { isLessOrEqual(to: Tensor(scalar: value)) }

    /// 1 where `self == other` (broadcasting), else 0. Not differentiable.
    public func isEqual(to other: Tensor) -> Tensor { broadcasting(other, EqualOp(), name: "isEqual") }
    /// 1 where `self == value`, else 0. Not differentiable.
    public func isEqual(to value: Float) -> Tensor { isEqual(to: Tensor(scalar: value)) }

    /// 1 where `self != other` (broadcasting), else 0; NaN differs from everything. Not differentiable.
    public func isNotEqual(to other: Tensor) -> Tensor { broadcasting(other, NotEqualOp(), name: "isNotEqual") }
    /// 1 where `self != value`, else 0. Not differentiable.
    public func isNotEqual(to value: Float) -> Tensor { isNotEqual(to: Tensor(scalar: value)) }
}
