#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reference-counted, 64-byte aligned, contiguous Float32 buffer.
///
/// Storage is the unit of sharing: a `Tensor` is a shape plus a storage, and copying a tensor
/// copies neither. Element type is fixed to Float32 today; a bf16 mode would add a second
/// storage kind rather than change this one.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int

    /// Allocates uninitialised memory for `count` elements.
    public init(uninitializedCount count: Int) {
        self.count = count
        var raw: UnsafeMutableRawPointer?
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        let status = posix_memalign(&raw, 64, bytes)
        precondition(status == 0 && raw != nil, "TensorStorage: cannot allocate \(bytes) bytes")
        base = raw!.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    /// Allocates memory filled with `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    deinit { free(base) }

    /// A buffer view of the elements.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// A new storage with the same elements.
    public func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.base.update(from: base, count: count)
        return result
    }
}
