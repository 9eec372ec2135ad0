import CDNNL
import CFledgeKernels

extension GEMM {
    /// How a bf16 × bf16 → Float32 product is computed.
    public enum BFloat16Backend: Sendable {
        /// oneDNN's `dnnl_gemm_bf16bf16f32`: AVX-512 BF16 dot products (`vdpbf16ps`) where the CPU
        /// has them, an AVX-512 emulation otherwise.
        case oneDNN
        /// Widen both operands to Float32 and run `dnnl_sgemm`: the portable fallback for CPUs
        /// without AVX-512, where oneDNN has no bf16 GEMM. Products of two bf16 values are exact
        /// in Float32, so it computes the same sums, up to summation order.
        case widening
    }

    /// The backend `multiplyBFloat16` uses unless told otherwise: oneDNN when its bf16 GEMM runs
    /// on this CPU (probed once with a 1×1×1 product), widening otherwise.
    public static let preferredBFloat16Backend: BFloat16Backend = {
        _ = Threading.threadCount
        let one: [UInt16] = [0x3F80]  // 1.0
        var product: Float = 0
        let status = dnnl_gemm_bf16bf16f32(78, 78, 1, 1, 1, 1, one, 1, one, 1, 0, &product, 1)
        return status == dnnl_success && product == 1 ? .oneDNN : .widening
    }()

    /// Row-major C = alpha·op(A)·op(B) + beta·C with bf16 A and B (raw bits), Float32 accumulation
    /// and a Float32 C; the same conventions as `multiply`.
    public static func multiplyBFloat16(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<UInt16>, lda: Int,
        b: UnsafePointer<UInt16>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        backend: BFloat16Backend = preferredBFloat16Backend
    ) {
        guard m > 0, n > 0, k > 0, backend == .oneDNN else {
            // k == 0 and the fallback both go through the Float32 path, which handles them.
            let wideA = widened(a, rows: transposeA ? k : m, columns: transposeA ? m : k, leading: lda)
            let wideB = widened(b, rows: transposeB ? n : k, columns: transposeB ? k : n, leading: ldb)
            multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                     a: wideA.base, lda: lda, b: wideB.base, ldb: ldb, beta: beta, c: c, ldc: ldc)
            withExtendedLifetime((wideA, wideB)) {}
            return
        }
        let status = dnnl_gemm_bf16bf16f32(transposeA ? 84 : 78, transposeB ? 84 : 78,
                                           dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k), alpha,
                                           a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        precondition(status == dnnl_success, "GEMM: dnnl_gemm_bf16bf16f32 failed with status \(status.rawValue) "
            + "for m=\(m) n=\(n) k=\(k) lda=\(lda) ldb=\(ldb) ldc=\(ldc)")
    }

    /// A Float32 copy of a rows × columns bf16 matrix with row stride `leading` (same layout).
    private static func widened(_ source: UnsafePointer<UInt16>, rows: Int, columns: Int, leading: Int) -> TensorStorage {
        let count = rows == 0 || columns == 0 ? 0 : (rows - 1) * leading + columns
        let result = TensorStorage(uninitializedCount: count)
        fledge_bf16_to_f32(source, result.base, count)
        return result
    }

    /// Which library and instruction set run bf16 products, e.g.
    /// `oneDNN 2.6.3 gemm_bf16bf16f32 (avx512_core_bf16)`.
    public static var bfloat16KernelDescription: String {
        let version = dnnl_version().pointee
        let prefix = "oneDNN \(version.major).\(version.minor).\(version.patch)"
        switch preferredBFloat16Backend {
        case .oneDNN: return "\(prefix) gemm_bf16bf16f32 (\(isaName(dnnl_get_effective_cpu_isa())))"
        case .widening: return "bf16 widened to Float32, \(prefix) sgemm"
        }
    }
}
