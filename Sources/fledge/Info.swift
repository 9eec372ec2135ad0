import ArgumentParser
import FledgeTensor
import FledgeTrain

/// `fledge info`: what this build runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the GEMM kernel and thread count in use.")

    func run() throws {
        print("fledge \(FledgeVersion.current)")
        print("gemm: \(GEMM.kernelDescription)")
        print("threads: \(Threading.threadCount) (set FLEDGE_NUM_THREADS to change)")
    }
}
