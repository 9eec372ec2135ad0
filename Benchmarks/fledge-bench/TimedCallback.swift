import FledgeTensor
import FledgeTrain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Forwards every hook to a callback and adds up the CPU time of the training thread spent inside
/// it, so the cost of logging, plotting and progress can be read directly instead of as the small
/// difference of two noisy training times.
final class TimedCallback: Callback {
    let inner: any Callback
    /// CPU seconds spent in the inner callback's hooks.
    private(set) var seconds = 0.0

    init(_ inner: any Callback) { self.inner = inner }

    /// The wrapped callback's type name, for reports.
    var name: String { String(describing: type(of: inner)) }

    private func timed(_ body: () -> Void) {
        let start = Self.threadCPUSeconds()
        body()
        seconds += Self.threadCPUSeconds() - start
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    func onFitStart(_ trainer: Trainer) { timed { inner.onFitStart(trainer) } }
    func onTrainEpochStart(_ trainer: Trainer) { timed { inner.onTrainEpochStart(trainer) } }
    func onTrainBatchStart(_ trainer: Trainer) { timed { inner.onTrainBatchStart(trainer) } }
    func onTrainBatchEnd(_ trainer: Trainer) { timed { inner.onTrainBatchEnd(trainer) } }
    func onValidationStart(_ trainer: Trainer) { timed { inner.onValidationStart(trainer) } }
    func onValidationBatchEnd(_ trainer: Trainer, scores: Tensor, targets: Tensor) {
        timed { inner.onValidationBatchEnd(trainer, scores: scores, targets: targets) }
    }
    func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) { timed { inner.onValidationEnd(trainer, metrics: metrics) } }
    func onTrainEpochEnd(_ trainer: Trainer) { timed { inner.onTrainEpochEnd(trainer) } }
    func onSaveCheckpoint(_ trainer: Trainer, directory: URL) { timed { inner.onSaveCheckpoint(trainer, directory: directory) } }
    func onFitEnd(_ trainer: Trainer) { timed { inner.onFitEnd(trainer) } }
    func onException(_ trainer: Trainer, error: Error) { timed { inner.onException(trainer, error: error) } }
    var stateKey: String? { inner.stateKey }
    func stateDict() -> [String: CallbackStateValue] { inner.stateDict() }
    func loadState(_ state: [String: CallbackStateValue]) throws { try inner.loadState(state) }
}
