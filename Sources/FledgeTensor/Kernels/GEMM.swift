import CDNNL

/// Single-precision matrix multiply, row-major: C = alpha·op(A)·op(B) + beta·C.
///
/// The one interface every matmul in Fledge goes through. The backend is oneDNN's `dnnl_sgemm`
/// (Debian libdnnl-dev), chosen by benchmark: it detects the CPU itself (AVX-512 here) and was
/// 5–15% faster than OpenBLAS, which falls back to an SSE3 kernel on this CPU unless
/// `OPENBLAS_CORETYPE` is set before the process starts.
public enum GEMM {
    /// Multiplies `op(A)` (m×k) by `op(B)` (k×n) into C (m×n); leading dimensions are row strides.
    @inline(__always)
    public static func multiply(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            scaleInPlace(c: c, m: m, n: n, ldc: ldc, beta: beta)
            return
        }
        _ = Threading.threadCount  // make sure OpenMP got the thread count first
        let status = dnnl_sgemm(transposeA ? 84 : 78, transposeB ? 84 : 78,  // "T" : "N"
                                dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k), alpha,
                                a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        precondition(status == dnnl_success, "GEMM: dnnl_sgemm failed with status \(status.rawValue) "
            + "for m=\(m) n=\(n) k=\(k) lda=\(lda) ldb=\(ldb) ldc=\(ldc)")
    }

    private static func scaleInPlace(c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, beta: Float) {
        for row in 0..<m {
            for column in 0..<n { c[row * ldc + column] = beta == 0 ? 0 : beta * c[row * ldc + column] }
        }
    }

    /// Which library and instruction set run the multiply, e.g. `oneDNN 2.6.3 sgemm (avx512_core)`.
    public static var kernelDescription: String {
        let version = dnnl_version().pointee
        let isa = dnnl_get_effective_cpu_isa()
        return "oneDNN \(version.major).\(version.minor).\(version.patch) sgemm (\(isaName(isa)))"
    }

    static func isaName(_ isa: dnnl_cpu_isa_t) -> String {
        switch isa {
        case dnnl_cpu_isa_sse41: "sse41"
        case dnnl_cpu_isa_avx: "avx"
        case dnnl_cpu_isa_avx2: "avx2"
        case dnnl_cpu_isa_avx512_core: "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: "avx512_core_amx"
        case dnnl_cpu_isa_avx2_vnni: "avx2_vnni"
        default: "isa 0x\(String(isa.rawValue, radix: 16))"
        }
    }
}
