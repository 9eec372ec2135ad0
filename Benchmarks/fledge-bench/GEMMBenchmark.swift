import ArgumentParser
import FledgeTensor

/// `fledge-bench gemm`: the sgemm rate of the GEMM backend on one shape (`--bf16`: the bf16 GEMM's).
struct GEMMBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "Measure sgemm GFLOP/s.")

    @Option(help: "Threads for GEMM (FLEDGE_NUM_THREADS semantics).") var threads = 1
    @Option var m = 1024
    @Option var n = 1024
    @Option var k = 1024
    @Flag(help: "Use Aᵀ (A stored k×m).") var transposeA = false
    @Flag(help: "Use Bᵀ (B stored n×k).") var transposeB = false
    @Flag(help: "Measure the bf16 × bf16 → Float32 GEMM (GEMM.multiplyBFloat16) instead.") var bf16 = false

    func run() {
        Threading.setThreadCount(threads)
        let measure = bf16 ? measureBFloat16GEMM : measureSGEMM
        printJSONLine(measure(m, n, k, threads, transposeA, transposeB))
    }
}

/// Times C = A·B for the shape until at least ~0.5 s has passed; returns the JSON fields.
func measureSGEMM(m: Int, n: Int, k: Int, threads: Int, transposeA: Bool = false, transposeB: Bool = false) -> [String: Any] {
    let a = [Float](repeating: 0.5, count: m * k)
    let b = [Float](repeating: 0.25, count: k * n)
    var c = [Float](repeating: 0, count: m * n)
    let seconds = timeRepeatedly {
        GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                      a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, c: &c, ldc: n)
    }
    return gemmFields("sgemm", m, n, k, threads, transposeA, transposeB, seconds, library: GEMM.kernelDescription)
}

/// The same measurement for the bf16 GEMM (bf16 operands, Float32 accumulation and output).
func measureBFloat16GEMM(m: Int, n: Int, k: Int, threads: Int, transposeA: Bool = false, transposeB: Bool = false) -> [String: Any] {
    let a = [UInt16](repeating: 0x3F00, count: m * k)  // 0.5
    let b = [UInt16](repeating: 0x3E80, count: k * n)  // 0.25
    var c = [Float](repeating: 0, count: m * n)
    let seconds = timeRepeatedly {
        GEMM.multiplyBFloat16(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n, c: &c, ldc: n)
    }
    return gemmFields("bf16gemm", m, n, k, threads, transposeA, transposeB, seconds, library: GEMM.bfloat16KernelDescription)
}

/// Seconds per call of `body`, after 3 warm-up calls, over at least ~0.5 s.
private func timeRepeatedly(_ body: () -> Void) -> Double {
    for _ in 0..<3 { body() }
    var repetitions = 0
    let watch = Stopwatch()
    while watch.elapsed < 0.5 {
        body()
        repetitions += 1
    }
    return watch.elapsed / Double(repetitions)
}

private func gemmFields(_ kernel: String, _ m: Int, _ n: Int, _ k: Int, _ threads: Int, _ transposeA: Bool,
                        _ transposeB: Bool, _ seconds: Double, library: String) -> [String: Any] {
    let gflops = 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
    return ["kernel": kernel, "m": m, "n": n, "k": k, "threads": threads, "gflops": rounded(gflops),
            "transpose_a": transposeA, "transpose_b": transposeB, "us_per_call": rounded(1e6 * seconds, 2),
            "library": library]
}
