import CDNNL
import Dispatch
import Foundation
import Synchronization

/// The one threading policy of Fledge.
///
/// GEMM runs on oneDNN's OpenMP threads; large elementwise and reduction loops run on
/// `DispatchQueue.concurrentPerform`. Both use `threadCount` and never run at the same time
/// (ops execute one after another), so the cores are never oversubscribed. Loops below
/// `parallelThreshold` elements stay on the calling thread: on this machine one thread was
/// faster below ≈1M elements.
public enum Threading {
    private static let configuredCount = Atomic<Int>(0)

    /// Elements below which a loop is not split across threads.
    public static let parallelThreshold = 1 << 20

    /// The number of threads Fledge uses: `FLEDGE_NUM_THREADS` if set, else the active cores.
    public static var threadCount: Int {
        let current = configuredCount.load(ordering: .relaxed)
        if current > 0 { return current }
        let fromEnvironment = ProcessInfo.processInfo.environment["FLEDGE_NUM_THREADS"].flatMap(Int.init)
        let count = Swift.max(1, fromEnvironment ?? ProcessInfo.processInfo.activeProcessorCount)
        setThreadCount(count)
        return count
    }

    /// Sets the number of threads for GEMM and parallel loops (like `torch.set_num_threads`).
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "Threading.setThreadCount: count must be at least 1, got \(count)")
        configuredCount.store(count, ordering: .relaxed)
        omp_set_num_threads(Int32(count))
    }

    /// Runs `body` over `0..<count` in contiguous chunks, in parallel when `count` is large.
    public static func parallelFor(count: Int, _ body: (Range<Int>) -> Void) {
        let threads = threadCount
        guard threads > 1, count >= parallelThreshold else {
            body(0..<count)
            return
        }
        let chunk = (count + threads - 1) / threads
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: threads) { index in
                let start = index * chunk
                let end = Swift.min(count, start + chunk)
                if start < end { box.value(start..<end) }
            }
        }
    }
}

/// Carries a non-Sendable value (a buffer pointer or a closure over one) into
/// `concurrentPerform`, whose chunks never touch the same elements.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
