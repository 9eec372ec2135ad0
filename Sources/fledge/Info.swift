import ArgumentParser
import FledgeTensor

/// `fledge info`: what this build runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the GEMM kernel and thread count in use.")

    func run() throws {
        print("fledge 0.1.0")
        print("gemm: \(GEMM.kernelDescription)")
        print("threads: \(Threading.threadCount) (set FLEDGE_NUM_THREADS to change)")
    }
}
