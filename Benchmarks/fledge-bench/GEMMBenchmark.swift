import ArgumentParser
import FledgeTensor

/// `fledge-bench gemm`: the sgemm rate of the GEMM backend on one shape.
struct GEMMBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "Measure sgemm GFLOP/s.")

    @Option(help: "Threads for GEMM (FLEDGE_NUM_THREADS semantics).") var threads = 1
    @Option var m = 1024
    @Option var n = 1024
    @Option var k = 1024
    @Flag(help: "Use Aᵀ (A stored k×m).") var transposeA = false
    @Flag(help: "Use Bᵀ (B stored n×k).") var transposeB = false

    func run() {
        Threading.setThreadCount(threads)
        printJSONLine(measureSGEMM(m: m, n: n, k: k, threads: threads, transposeA: transposeA, transposeB: transposeB))
    }
}

/// Times C = A·B for the shape until at least ~0.5 s has passed; returns the JSON fields.
func measureSGEMM(m: Int, n: Int, k: Int, threads: Int, transposeA: Bool = false, transposeB: Bool = false) -> [String: Any] {
    let a = [Float](repeating: 0.5, count: m * k)
    let b = [Float](repeating: 0.25, count: k * n)
    var c = [Float](repeating: 0, count: m * n)
    var repetitions = 0
    var seconds = 0.0
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                func multiply() {
                    GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                  a: a.baseAddress!, lda: transposeA ? m : k, b: b.baseAddress!,
                                  ldb: transposeB ? k : n, c: c.baseAddress!, ldc: n)
                }
                for _ in 0..<3 { multiply() }
                let watch = Stopwatch()
                while seconds < 0.5 {
                    multiply()
                    repetitions += 1
                    seconds = watch.elapsed
                }
            }
        }
    }
    let gflops = 2 * Double(m) * Double(n) * Double(k) * Double(repetitions) / seconds / 1e9
    return ["kernel": "sgemm", "m": m, "n": n, "k": k, "threads": threads, "gflops": rounded(gflops),
            "transpose_a": transposeA, "transpose_b": transposeB, "us_per_call": rounded(1e6 * seconds / Double(repetitions), 2),
            "library": GEMM.kernelDescription]
}
