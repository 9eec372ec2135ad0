import Foundation

/// The layout of one training run: `<experiment_dir>/<run_id>/` with `config.yaml`,
/// `metrics.jsonl`, `checkpoints/` and `model/` (the final model bundle).
public struct RunDirectory: Sendable, Equatable {
    /// The run's root directory.
    public let root: URL

    /// Wraps an existing or future run directory (normalised, so equal paths compare equal).
    public init(root: URL) { self.root = URL(fileURLWithPath: root.standardizedFileURL.path, isDirectory: true) }

    /// The resolved config of the run.
    public var configFile: URL { root.appendingPathComponent("config.yaml") }
    /// One JSON object per log entry.
    public var metricsFile: URL { root.appendingPathComponent("metrics.jsonl") }
    /// Where checkpoints and the `last.txt` pointer live.
    public var checkpointsDirectory: URL { root.appendingPathComponent("checkpoints") }
    /// The final model bundle (`FledgeModel`).
    public var modelDirectory: URL { root.appendingPathComponent("model") }

    /// The run directory for `runID` under `experimentDirectory`; without an id, a new
    /// `<name>-<UTC timestamp>` one (suffixed if that exists already).
    public static func make(experimentDirectory: String, name: String, runID: String?, now: Date = Date()) -> RunDirectory {
        let base = URL(fileURLWithPath: experimentDirectory)
        if let runID, !runID.isEmpty { return RunDirectory(root: base.appendingPathComponent(runID)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = "\(name)-\(formatter.string(from: now))"
        var candidate = base.appendingPathComponent(stem)
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = base.appendingPathComponent("\(stem)-\(suffix)")
            suffix += 1
        }
        return RunDirectory(root: candidate)
    }

    /// The newest run under `experimentDirectory` that has a `last` checkpoint (for `--resume last`
    /// when the config names no run_id), or nil.
    public static func latestResumable(in experimentDirectory: String) -> RunDirectory? {
        let base = URL(fileURLWithPath: experimentDirectory)
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: base.path) else { return nil }
        let candidates = names.map { RunDirectory(root: base.appendingPathComponent($0)) }.compactMap { run -> (RunDirectory, Date)? in
            let pointer = run.checkpointsDirectory.appendingPathComponent(Checkpoint.lastPointerFile)
            guard let attributes = try? fileManager.attributesOfItem(atPath: pointer.path),
                  let date = attributes[.modificationDate] as? Date else { return nil }
            return (run, date)
        }
        return candidates.max { $0.1 < $1.1 }?.0
    }

    /// The run a checkpoint directory belongs to (`<run>/checkpoints/<name>`).
    public static func containing(checkpoint: URL) -> RunDirectory {
        RunDirectory(root: checkpoint.standardizedFileURL.deletingLastPathComponent().deletingLastPathComponent())
    }

    /// Creates the directories, writes the resolved config and removes temporaries a killed run left.
    public func prepare(configYAML: String) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: checkpointsDirectory, withIntermediateDirectories: true)
        try Data(configYAML.utf8).write(to: configFile, options: .atomic)
        Checkpoint.removeStaleTemporaries(in: checkpointsDirectory)
    }
}
