import Foundation

/// Appends every log entry to `<run>/metrics.jsonl`, one JSON object per line: step, epoch, lr,
/// train/val loss and metrics, samples/s. A resumed run first drops the lines written after its
/// checkpoint, so the file reads as one uninterrupted run.
public final class MetricsLogger: LogHistoryWriter {
    /// Creates the logger; it writes to the trainer's run directory.
    public override init() {}

    public override func openFile(_ trainer: Trainer) -> FileHandle? {
        guard let file = trainer.runDirectory?.metricsFile else { return nil }
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: file.path) || trainer.state.globalStep == 0 {
            _ = fileManager.createFile(atPath: file.path, contents: nil)
        } else {
            Self.truncate(file, after: trainer.state.globalStep)
        }
        let handle = try? FileHandle(forWritingTo: file)
        _ = try? handle?.seekToEnd()
        return handle
    }

    public override func encode(_ entries: ArraySlice<LogEntry>) -> Data {
        Data(entries.map { $0.jsonLine() + "\n" }.joined().utf8)
    }

    /// Keeps only the lines whose step is at most `step`.
    private static func truncate(_ file: URL, after step: Int) {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return }
        let kept = text.split(separator: "\n").filter { line in
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let lineStep = object["step"] as? Int else { return false }
            return lineStep <= step
        }
        try? Data(kept.map { $0 + "\n" }.joined().utf8).write(to: file)
    }
}
