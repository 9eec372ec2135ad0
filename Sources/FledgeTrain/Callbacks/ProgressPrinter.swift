import Foundation

/// Prints plain timestamped lines: one per log entry (training windows, validations, epoch
/// ends) and a summary at the end. On a terminal `ProgressBar` draws a live bar instead.
public final class ProgressPrinter: Callback {
    private let write: @Sendable (String) -> Void
    private let everyStep: Bool
    private var printed = 0

    /// Creates a printer writing each line with `write` (standard output by default);
    /// `everyStep` also prints every batch's loss (`fledge train --verbose`).
    public init(everyStep: Bool = false, write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.everyStep = everyStep
        self.write = write
    }

    public func onFitStart(_ trainer: Trainer) {
        printed = trainer.state.logHistory.count
        let state = trainer.state
        let length = state.maxEpochs.map { "\($0) epochs" } ?? "\(state.maxSteps) steps"
        let start = state.globalStep > 0 ? ", resuming at step \(state.globalStep)" : ""
        emit("training \(length), \(state.batchesPerEpoch) batches per epoch\(start)"
             + (trainer.runDirectory.map { "; run directory \($0.root.path)" } ?? ""))
    }

    public func onTrainBatchEnd(_ trainer: Trainer) {
        if everyStep {
            let state = trainer.state
            emit("epoch \(state.epoch + 1)  batch \(state.batchInEpoch + 1)/\(state.batchesPerEpoch)  step \(state.globalStep)  "
                 + "loss \(Self.format(state.lastLoss))  lr \(Self.format(Double(trainer.optimizer.learningRate)))")
        }
        flush(trainer)
    }
    public func onTrainEpochEnd(_ trainer: Trainer) { flush(trainer) }
    public func onSaveCheckpoint(_ trainer: Trainer, directory: URL) { emit("saved checkpoint \(directory.lastPathComponent)") }

    public func onFitEnd(_ trainer: Trainer) {
        flush(trainer)
        let state = trainer.state
        var line = "finished at step \(state.globalStep)"
        if let reason = state.stopReason { line += " (\(reason))" }
        if let best = state.bestMetric { line += "; best \(state.monitor) \(Self.format(best))" }
        emit(line)
    }

    public func onException(_ trainer: Trainer, error: Error) { emit("stopped: \(error)") }

    /// Prints the log entries added since the last call.
    private func flush(_ trainer: Trainer) {
        let history = trainer.state.logHistory
        guard printed < history.count else { return }
        for entry in history[printed...] {
            let values = entry.values.keys.sorted().map { "\($0) \(Self.format(entry.values[$0]!))" }
            emit((["epoch \(entry.epoch)", "step \(entry.step)", "lr \(Self.format(entry.learningRate))"] + values)
                .joined(separator: "  "))
        }
        printed = history.count
    }

    private func emit(_ message: String) {
        write("[\(Date().ISO8601Format())] \(message)")
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
