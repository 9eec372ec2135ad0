/// Integer indices with a shape: class targets, gather/scatter positions, embedding ids,
/// argmax and top-k results. Kept apart from `Tensor` so indices never round through Float32.
public struct IndexTensor: Hashable, Sendable, CustomStringConvertible {
    /// The dimensions.
    public let shape: Shape
    /// The indices, row-major.
    public var indices: [Int]

    /// Creates an index tensor; `indices.count` must equal `shape.count`.
    public init(shape: Shape, indices: [Int]) {
        precondition(indices.count == shape.count,
                     "IndexTensor: \(indices.count) indices do not fill shape \(shape) (\(shape.count) elements)")
        self.shape = shape
        self.indices = indices
    }

    /// A rank-1 index tensor.
    public init(_ indices: [Int]) { self.init(shape: [indices.count], indices: indices) }

    /// The number of indices.
    public var count: Int { indices.count }

    public var description: String { "IndexTensor(shape: \(shape), \(indices.prefix(8))\(count > 8 ? "..." : ""))" }
}
