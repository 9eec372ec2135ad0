/// A scalar function applied to every element. Ops pass small structs conforming to this
/// (not closures) so the generic loops below specialise into plain, vectorisable code.
protocol ElementwiseUnaryOp {
    func callAsFunction(_ x: Float) -> Float
}

/// A scalar function of two elements, for binary ops, broadcasting and fused gradient loops.
protocol ElementwiseBinaryOp {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

/// A signature shared by the C kernels in CFledgeKernels: `out[i] = f(x[i])` for `count` elements.
typealias ContiguousKernel = (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void

/// A C kernel of two inputs: `out[i] = f(a[i], b[i])` (gradient kernels take `x` and the output gradient).
typealias ContiguousBinaryKernel = (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void

extension Tensor {
    /// `op` applied to every element, split across threads for large tensors.
    func mapped<Op: ElementwiseUnaryOp>(_ op: Op) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let source = storage.base, destination = result.storage.base
        Threading.parallelFor(count: count) { range in
            for index in range { destination[index] = op(source[index]) }
        }
        return result
    }

    /// `op(self[i], other[i])` for tensors of the same shape (no broadcasting; callers check shapes).
    func zipped<Op: ElementwiseBinaryOp>(with other: Tensor, _ op: Op) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let a = storage.base, b = other.storage.base, destination = result.storage.base
        Threading.parallelFor(count: count) { range in
            for index in range { destination[index] = op(a[index], b[index]) }
        }
        return result
    }

    /// A C kernel applied to all elements, in contiguous chunks across threads for large tensors.
    func mapped(kernel: ContiguousKernel) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let source = storage.base, destination = result.storage.base
        Threading.parallelFor(count: count) { range in
            kernel(source + range.lowerBound, destination + range.lowerBound, range.count)
        }
        return result
    }

    /// A two-input C kernel applied to tensors of the same shape.
    func zipped(with other: Tensor, kernel: ContiguousBinaryKernel) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let a = storage.base, b = other.storage.base, destination = result.storage.base
        Threading.parallelFor(count: count) { range in
            kernel(a + range.lowerBound, b + range.lowerBound, destination + range.lowerBound, range.count)
        }
        return result
    }
}

/// Splits `rows` rows of `rowLength` elements across threads when the rows hold at least
/// `Threading.parallelThreshold` elements. `Threading.parallelFor` chunks elements; each row
/// belongs to the chunk holding its first element, so every row is processed exactly once.
func parallelRows(_ rows: Int, rowLength: Int, _ body: (Range<Int>) -> Void) {
    guard rowLength > 0 else {
        body(0..<rows)
        return
    }
    Threading.parallelFor(count: rows * rowLength) { range in
        let first = (range.lowerBound + rowLength - 1) / rowLength
        let end = (range.upperBound + rowLength - 1) / rowLength
        if first < end { body(first..<end) }
    }
}

extension Tensor {
    /// Records `result`, an elementwise function of this tensor, whose gradient is
    /// `rule(g, y)` elementwise on the saved output y (exp, tanh, sigmoid, sqrt, relu).
    func recordElementwise<Rule: ElementwiseBinaryOp>(_ result: Tensor, op: String, gradientFromOutput rule: Rule) -> Tensor {
        Tensor.record(result, op: op, inputs: [self]) { g, _ in [g.zipped(with: result, rule)] }
    }

    /// Records `result`, an elementwise function of this tensor, whose gradient is
    /// `rule(g, x)` elementwise on the input x (abs, log, clamp, leaky relu).
    func recordElementwise<Rule: ElementwiseBinaryOp>(_ result: Tensor, op: String, gradientFromInput rule: Rule) -> Tensor {
        Tensor.record(result, op: op, inputs: [self]) { g, _ in [g.zipped(with: self, rule)] }
    }
}
