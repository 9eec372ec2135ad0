import FledgeTensor

/// A lookup table of `count` vectors of size `dimension`, as `torch.nn.Embedding`:
/// ids of any shape map to vectors, giving shape `ids.shape + [dimension]`.
public final class Embedding: Module {
    /// The table, `[count, dimension]`, initialised N(0, 1) as PyTorch.
    public let weight: Parameter
    public var isTraining = true

    /// The number of rows (valid ids are 0..<count).
    public var count: Int { weight.shape[0] }
    /// The size of each vector.
    public var dimension: Int { weight.shape[1] }

    /// Creates a table with N(0, 1) entries drawn from `generator`.
    public init(count: Int, dimension: Int, generator: inout SeededGenerator) {
        precondition(count > 0 && dimension > 0, "Embedding: count \(count) and dimension \(dimension) must be positive")
        weight = Parameter(Tensor.normal([count, dimension], generator: &generator))
    }

    /// Creates a table initialised from `seed`.
    public convenience init(count: Int, dimension: Int, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(count: count, dimension: dimension, generator: &generator)
    }

    /// Creates a table holding `weight` `[count, dimension]`.
    public init(weight: Tensor) {
        precondition(weight.rank == 2, "Embedding: weight must be [count, dimension], got \(weight.shape)")
        self.weight = Parameter(weight)
    }

    public var directParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// The vectors of `ids`, shape `ids.shape + [dimension]`; the gradient adds into the looked-up rows.
    public func callAsFunction(_ ids: IndexTensor) -> Tensor {
        let rows = weight.value.indexSelected(axis: 0, indices: IndexTensor(ids.indices))
        return rows.reshaped(to: Shape(ids.shape.dimensions + [dimension]))
    }
}
