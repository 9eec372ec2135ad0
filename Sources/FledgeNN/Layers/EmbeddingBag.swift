import FledgeTensor

/// Sums or averages the embeddings of variable-length id lists ("bags") without materialising
/// each embedding, as `torch.nn.EmbeddingBag`: bags are given flat as `ids` plus the start of
/// each bag in `offsets` (PyTorch's 1-D input with `offsets`, `include_last_offset=False`).
public final class EmbeddingBag: Module {
    /// How a bag's embeddings are combined.
    public enum Mode: String, Sendable, Codable {
        case sum, mean
    }

    /// The table, `[count, dimension]`, initialised N(0, 1) as PyTorch.
    public let weight: Parameter
    /// How bags are combined.
    public let mode: Mode
    public var isTraining = true

    /// The size of each vector.
    public var dimension: Int { weight.shape[1] }

    /// Creates a table with N(0, 1) entries drawn from `generator`.
    public init(count: Int, dimension: Int, mode: Mode = .mean, generator: inout SeededGenerator) {
        precondition(count > 0 && dimension > 0, "EmbeddingBag: count \(count) and dimension \(dimension) must be positive")
        weight = Parameter(Tensor.normal([count, dimension], generator: &generator))
        self.mode = mode
    }

    /// Creates a table initialised from `seed`.
    public convenience init(count: Int, dimension: Int, mode: Mode = .mean, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(count: count, dimension: dimension, mode: mode, generator: &generator)
    }

    /// Creates a table holding `weight` `[count, dimension]`.
    public init(weight: Tensor, mode: Mode = .mean) {
        precondition(weight.rank == 2, "EmbeddingBag: weight must be [count, dimension], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.mode = mode
    }

    public var directParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// One combined vector per bag, `[offsets.count, dimension]`. Bag b holds
    /// `ids[offsets[b]..<offsets[b + 1]]` (the last runs to the end); an empty bag gives zeros.
    public func callAsFunction(_ ids: IndexTensor, offsets: IndexTensor) -> Tensor {
        let table = weight.value
        let (rows, width) = (table.shape[0], table.shape[1])
        let flatIds = ids.indices, starts = offsets.indices
        let bags = starts.count
        precondition(ids.shape.rank == 1 && offsets.shape.rank == 1,
                     "EmbeddingBag: ids \(ids.shape) and offsets \(offsets.shape) must be rank 1")
        for (bag, start) in starts.enumerated() {
            let end = bag + 1 < bags ? starts[bag + 1] : flatIds.count
            precondition(start >= 0 && start <= end && end <= flatIds.count,
                         "EmbeddingBag: offsets \(starts.prefix(8)) must be non-decreasing, start at 0 or more and stay within \(flatIds.count) ids")
        }
        for id in flatIds {
            precondition(id >= 0 && id < rows, "EmbeddingBag: id \(id) is out of range for a table of \(rows) rows")
        }
        // scales[b] = 1 (sum) or 1/len (mean), shared by forward and pullback.
        let scales: [Float] = (0..<bags).map { bag in
            let length = (bag + 1 < bags ? starts[bag + 1] : flatIds.count) - starts[bag]
            return mode == .mean && length > 0 ? 1 / Float(length) : 1
        }
        var result = Tensor.zeros([bags, width])
        let source = table.storage.base
        result.withUnsafeMutableBufferPointer { out in
            for bag in 0..<bags {
                let end = bag + 1 < bags ? starts[bag + 1] : flatIds.count
                let row = out.baseAddress! + bag * width
                for position in starts[bag]..<end {
                    let vector = source + flatIds[position] * width
                    for column in 0..<width { row[column] += vector[column] }
                }
                let scale = scales[bag]
                if scale != 1 { for column in 0..<width { row[column] *= scale } }
            }
        }
        return Tensor.record(result, op: "embeddingBag", inputs: [table]) { gradient, _ in
            let tableGradient = Tensor.zeros([rows, width])
            let g = gradient.storage.base, out = tableGradient.storage.base
            for bag in 0..<bags {
                let end = bag + 1 < bags ? starts[bag + 1] : flatIds.count
                let scale = scales[bag]
                for position in starts[bag]..<end {
                    let row = out + flatIds[position] * width
                    for column in 0..<width { row[column] += g[bag * width + column] * scale }
                }
            }
            return [tableGradient]
        }
    }

    /// Convenience for bags given as lists: flattens them into ids and offsets.
    public func callAsFunction(bags: [[Int]]) -> Tensor {
        var offsets: [Int] = [], ids: [Int] = []
        for bag in bags {
            offsets.append(ids.count)
            ids.append(contentsOf: bag)
        }
        return self(IndexTensor(ids), offsets: IndexTensor(offsets))
    }
}
