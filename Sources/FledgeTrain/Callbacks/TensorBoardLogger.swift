import Foundation

/// Writes every log entry's scalars (`train_loss`, `val_<metric>`, `lr`, ...) as TensorBoard
/// event files under `<run>/tensorboard/` (`training.report_to: [tensorboard]`), so
/// `tensorboard --logdir <run>/tensorboard` shows the curves. Tags are the metrics.jsonl names.
public final class TensorBoardLogger: Callback {
    private var written = 0
    private var handle: FileHandle?

    /// Creates the logger; it writes to the trainer's run directory.
    public init() {}

    public func onFitStart(_ trainer: Trainer) {
        written = trainer.state.logHistory.count
        guard let root = trainer.runDirectory?.root else { return }
        let directory = root.appendingPathComponent("tensorboard")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The file name readers look for; a resumed run starts a new file beside the old one.
        let now = Date().timeIntervalSince1970
        let host = ProcessInfo.processInfo.hostName
        let file = directory.appendingPathComponent("events.out.tfevents.\(Int(now)).\(host).\(getpid())")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        handle = try? FileHandle(forWritingTo: file)
        write(EventFileEncoding.record(EventFileEncoding.fileVersionEvent(wallTime: now)))
    }

    public func onTrainBatchEnd(_ trainer: Trainer) { flush(trainer) }
    public func onTrainEpochEnd(_ trainer: Trainer) { flush(trainer) }
    public func onFitEnd(_ trainer: Trainer) { flush(trainer); close() }
    public func onException(_ trainer: Trainer, error: Error) { flush(trainer); close() }

    private func flush(_ trainer: Trainer) {
        let history = trainer.state.logHistory
        guard written < history.count, handle != nil else { return }
        let now = Date().timeIntervalSince1970
        var bytes: [UInt8] = []
        for entry in history[written...] {
            let scalars = [("lr", Float(entry.learningRate))]
                + entry.values.keys.sorted().map { ($0, Float(entry.values[$0]!)) }
            bytes += EventFileEncoding.record(EventFileEncoding.scalarEvent(
                wallTime: now, step: entry.step, scalars: scalars.map { (tag: $0.0, value: $0.1) }))
        }
        write(bytes)
        written = history.count
    }

    private func write(_ bytes: [UInt8]) {
        try? handle?.write(contentsOf: Data(bytes))
    }

    private func close() {
        try? handle?.close()
        handle = nil
    }
}
