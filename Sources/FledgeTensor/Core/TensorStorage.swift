#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 64-byte aligned memory for `count` elements (at least one), freed with `free`.
func allocateAligned<Element>(_ type: Element.Type, count: Int, for owner: String) -> UnsafeMutablePointer<Element> {
    var raw: UnsafeMutableRawPointer?
    let bytes = Swift.max(count, 1) * MemoryLayout<Element>.stride
    let status = posix_memalign(&raw, 64, bytes)
    precondition(status == 0 && raw != nil, "\(owner): cannot allocate \(bytes) bytes")
    return raw!.bindMemory(to: Element.self, capacity: Swift.max(count, 1))
}

/// A reference-counted, 64-byte aligned, contiguous Float32 buffer.
///
/// Storage is the unit of sharing: a `Tensor` is a shape plus a storage, and copying a tensor
/// copies neither. The elements are Float32; bf16-mixed precision adds a second storage kind,
/// `BFloat16Storage`, which a storage can carry as `bfloat16Copy` (see there).
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int
    private let isCounted: Bool

    /// The bf16 rounding of these values, made by the first bf16 GEMM that reads them and then
    /// shared: by a layer's forward and backward, and by the next layer, whose input these values
    /// are. `Tensor.withUnsafeMutableBufferPointer` drops it before writing in place, so a weight's
    /// copy is remade after each optimizer step. Not thread-safe, like writing the values.
    public internal(set) var bfloat16Copy: BFloat16Storage?

    /// Allocates uninitialised memory for `count` elements.
    public init(uninitializedCount count: Int) {
        self.count = count
        base = allocateAligned(Float.self, count: count, for: "TensorStorage")
        isCounted = MemoryStatistics.allocated(count * MemoryLayout<Float>.stride)
    }

    /// Allocates memory filled with `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    deinit {
        if isCounted { MemoryStatistics.freed(count * MemoryLayout<Float>.stride) }
        free(base)
    }

    /// `bfloat16Copy`, made now if there is none yet.
    public func bfloat16() -> BFloat16Storage {
        if let copy = bfloat16Copy { return copy }
        let copy = BFloat16Storage(converting: base, count: count)
        bfloat16Copy = copy
        return copy
    }

    /// A buffer view of the elements.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// A new storage with the same elements.
    public func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.base.update(from: base, count: count)
        return result
    }
}
