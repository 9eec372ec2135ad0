import Foundation

/// Writes every log entry's scalars (`train_loss`, `val_<metric>`, `lr`, ...) as TensorBoard
/// event files under `<run>/tensorboard/` (`training.report_to: [tensorboard]`), so
/// `tensorboard --logdir <run>/tensorboard` shows the curves. Tags are the metrics.jsonl names.
public final class TensorBoardLogger: LogHistoryWriter {
    /// Creates the logger; it writes to the trainer's run directory.
    public override init() {}

    public override func openFile(_ trainer: Trainer) -> FileHandle? {
        guard let root = trainer.runDirectory?.root else { return nil }
        let directory = root.appendingPathComponent("tensorboard")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The file name readers look for; a resumed run starts a new file beside the old one.
        let now = Date().timeIntervalSince1970
        let host = ProcessInfo.processInfo.hostName
        let file = directory.appendingPathComponent("events.out.tfevents.\(Int(now)).\(host).\(getpid())")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try? FileHandle(forWritingTo: file)
        try? handle?.write(contentsOf: Data(EventFileEncoding.record(EventFileEncoding.fileVersionEvent(wallTime: now))))
        return handle
    }

    public override func encode(_ entries: ArraySlice<LogEntry>) -> Data {
        let now = Date().timeIntervalSince1970
        var bytes: [UInt8] = []
        for entry in entries {
            let scalars = [("lr", Float(entry.learningRate))]
                + entry.values.keys.sorted().map { ($0, Float(entry.values[$0]!)) }
            bytes += EventFileEncoding.record(EventFileEncoding.scalarEvent(
                wallTime: now, step: entry.step, scalars: scalars.map { (tag: $0.0, value: $0.1) }))
        }
        return Data(bytes)
    }
}
