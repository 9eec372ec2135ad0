extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: Shape) -> Tensor { full(shape, value: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: Shape) -> Tensor { full(shape, value: 1) }

    /// A tensor with every element equal to `value`.
    public static func full(_ shape: Shape, value: Float) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(count: shape.count, repeating: value))
    }

    /// Zeros of the same shape as `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// Ones of the same shape as `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

    /// `start, start + step, ...` up to but excluding `end`, as a rank-1 tensor.
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be zero")
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor(shape: [count], values: (0..<count).map { start + Float($0) * step })
    }

    /// Uniform values in [`lowerBound`, `upperBound`) drawn from `generator`.
    public static func uniform(
        _ shape: Shape, lowerBound: Float = 0, upperBound: Float = 1, generator: inout SeededGenerator
    ) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        let width = upperBound - lowerBound
        result.withUnsafeMutableBufferPointer { out in
            for index in 0..<out.count { out[index] = lowerBound + width * generator.nextUniform() }
        }
        return result
    }

    /// Normal values with the given mean and standard deviation drawn from `generator`.
    public static func normal(
        _ shape: Shape, mean: Float = 0, standardDeviation: Float = 1, generator: inout SeededGenerator
    ) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.withUnsafeMutableBufferPointer { out in
            for index in 0..<out.count { out[index] = mean + standardDeviation * generator.nextNormal() }
        }
        return result
    }

    /// Ones with probability `probability`, zeros otherwise, drawn from `generator`.
    public static func bernoulli(_ shape: Shape, probability: Float, generator: inout SeededGenerator) -> Tensor {
        precondition((0...1).contains(probability), "bernoulli: probability \(probability) is outside [0, 1]")
        var result = Tensor(uninitializedShape: shape)
        result.withUnsafeMutableBufferPointer { out in
            for index in 0..<out.count { out[index] = generator.nextUniform() < probability ? 1 : 0 }
        }
        return result
    }
}
