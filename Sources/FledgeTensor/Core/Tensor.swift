/// An n-dimensional array of Float32 values that can take part in automatic differentiation.
///
/// `Tensor` is a value: a shape and a shared, contiguous, row-major storage. Operations return new
/// tensors; `withUnsafeMutableBufferPointer` copies the storage first when it is shared, so a
/// tensor never changes behind another's back. A tensor that requires gradients carries a node of
/// the autodiff tape (see `Autograd/`); `backward()` fills `grad` on every leaf that requires it.
public struct Tensor: @unchecked Sendable {
    /// The dimensions.
    public let shape: Shape
    /// The elements, row-major. Shared between copies until one of them writes.
    public internal(set) var storage: TensorStorage
    /// The tape node: a leaf for tensors that require gradients, an op node for recorded results.
    var node: GradientNode?

    /// Wraps existing storage; `storage.count` must equal `shape.count`.
    public init(shape: Shape, storage: TensorStorage) {
        precondition(storage.count == shape.count,
                     "Tensor: storage holds \(storage.count) elements but shape \(shape) needs \(shape.count)")
        self.shape = shape
        self.storage = storage
        self.node = nil
    }

    /// Creates a tensor from row-major values.
    public init(shape: Shape, values: [Float]) {
        precondition(values.count == shape.count,
                     "Tensor(shape:values:): \(values.count) values do not fill shape \(shape) (\(shape.count) elements)")
        let storage = TensorStorage(uninitializedCount: values.count)
        values.withUnsafeBufferPointer { storage.base.initialize(from: $0.baseAddress!, count: values.count) }
        self.init(shape: shape, storage: storage)
    }

    /// Creates a rank-1 tensor.
    public init(_ values: [Float]) { self.init(shape: [values.count], values: values) }

    /// Creates a rank-2 tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Tensor([[Float]]): rows have different lengths")
        self.init(shape: [rows.count, columns], values: rows.flatMap { $0 })
    }

    /// Creates a scalar (rank-0) tensor.
    public init(scalar: Float) { self.init(shape: [], values: [scalar]) }

    /// Creates a tensor whose storage is uninitialised; the caller must write every element.
    public init(uninitializedShape shape: Shape) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: shape.count))
    }

    /// The number of elements.
    public var count: Int { shape.count }
    /// The number of axes.
    public var rank: Int { shape.rank }

    /// The elements as an array, row-major.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "Tensor.item: tensor of shape \(shape) has \(count) elements, not 1")
        return storage.base[0]
    }

    /// Reads the elements without copying.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Writes the elements in place, first copying the storage if another tensor shares it.
    /// Writing does not record on the tape.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        } else if storage.bfloat16Copy != nil {
            storage.bfloat16Copy = nil  // about to go stale
        }
        return try body(storage.buffer)
    }

    /// Reads or writes one element by its multi-index.
    public subscript(indices: Int...) -> Float {
        get { storage.base[flatIndex(indices)] }
        set {
            let index = flatIndex(indices)
            withUnsafeMutableBufferPointer { $0[index] = newValue }
        }
    }

    func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "Tensor subscript: \(indices.count) indices for shape \(shape)")
        var flat = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis],
                         "Tensor subscript: index \(index) out of range for axis \(axis) of shape \(shape)")
            flat = flat * shape[axis] + index
        }
        return flat
    }

    /// A tensor with the same values that is cut off from the tape.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A tensor with the same elements in a storage of its own.
    public func copied() -> Tensor { Tensor(shape: shape, storage: storage.copy()) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", ..." : "")])"
    }
}

extension Tensor {
    /// True when both tensors have the same shape and every element differs by at most
    /// `absoluteTolerance + relativeTolerance * |other|`.
    public func isClose(to other: Tensor, relativeTolerance: Float = 1e-5, absoluteTolerance: Float = 1e-6) -> Bool {
        guard shape == other.shape else { return false }
        for index in 0..<count {
            let a = storage.base[index], b = other.storage.base[index]
            if a.isNaN || b.isNaN { return false }
            if Swift.abs(a - b) > absoluteTolerance + relativeTolerance * Swift.abs(b) { return false }
        }
        return true
    }
}
