import FledgeTensor

/// Small deterministic tensors for the math-op tests: uniform in [low, high) from a fixed seed.
func sampleTensor(_ shape: Shape, seed: UInt64 = 1, low: Float = -2, high: Float = 2) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, lowerBound: low, upperBound: high, generator: &generator)
}
