import CFledgeKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reference-counted, 64-byte aligned, contiguous buffer of bfloat16 values (raw bit patterns:
/// the upper 16 bits of a Float32), the second storage kind next to `TensorStorage`.
///
/// bf16-mixed precision keeps what the backward pass needs for a GEMM — a layer's input and a
/// copy of its weight — in this storage, at half the bytes of Float32. Values are made from Float32
/// with round-to-nearest-even (`fledge_f32_to_bf16`) and read back exactly.
public final class BFloat16Storage: @unchecked Sendable {
    /// The first element's bits.
    public let base: UnsafeMutablePointer<UInt16>
    /// Number of elements.
    public let count: Int
    private let isCounted: Bool

    /// Allocates uninitialised memory for `count` elements.
    public init(uninitializedCount count: Int) {
        self.count = count
        base = allocateAligned(UInt16.self, count: count, for: "BFloat16Storage")
        isCounted = MemoryStatistics.allocated(count * MemoryLayout<UInt16>.stride)
    }

    /// The bf16 rounding of `count` Float32 values.
    public convenience init(converting source: UnsafePointer<Float>, count: Int) {
        self.init(uninitializedCount: count)
        fledge_f32_to_bf16(source, base, count)
    }

    deinit {
        if isCounted { MemoryStatistics.freed(count * MemoryLayout<UInt16>.stride) }
        free(base)
    }

    /// The number of bytes the elements take.
    public var byteCount: Int { count * MemoryLayout<UInt16>.stride }

    /// Widens the elements into `destination` (exact).
    public func widen(into destination: UnsafeMutablePointer<Float>) {
        fledge_bf16_to_f32(base, destination, count)
    }
}
