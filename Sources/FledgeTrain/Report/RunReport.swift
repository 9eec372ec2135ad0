import Foundation

/// The run report: one self-contained HTML page (`<run>/report.html`, inline CSS and SVG, no
/// scripts, nothing fetched) with the resolved config, a data summary, the learning curves, the
/// final metrics on each split, a confusion matrix (classification) or residual plot
/// (regression), the diagnosis and the environment.
///
/// Everything comes from the run directory (`config.yaml`, `metrics.jsonl`, `baseline.json`,
/// `summary.json`), so a finished run's page can be rebuilt at any time:
/// ```swift
/// let page = try RunReport(run: RunDirectory(root: URL(fileURLWithPath: "runs/my-run")))
/// try page.write()   // runs/my-run/report.html
/// ```
public struct RunReport {
    /// The file name inside a run directory.
    public static let fileName = "report.html"

    /// The run the page describes.
    public var run: RunDirectory
    /// The resolved config as saved (nil when missing).
    public var configYAML: String?
    /// The log entries of `metrics.jsonl` (empty when missing).
    public var history: [LogEntry]
    /// What a constant predictor scores (nil when `baseline.json` is missing).
    public var baseline: TrainingBaseline?
    /// The data summary, final metrics and environment (nil when `summary.json` is missing,
    /// e.g. a run still training or written by an older Fledge).
    public var summary: RunSummary?
    /// The verdict on the curves.
    public var diagnosis: TrainingDiagnosis

    /// Reads the run's files; throws when one exists but cannot be read.
    public init(run: RunDirectory) throws {
        self.run = run
        let fileManager = FileManager.default
        configYAML = fileManager.fileExists(atPath: run.configFile.path) ? try String(contentsOf: run.configFile, encoding: .utf8) : nil
        history = fileManager.fileExists(atPath: run.metricsFile.path) ? try TrainingDiagnosis.loadHistory(from: run.metricsFile) : []
        baseline = TrainingBaseline.load(from: run.root.appendingPathComponent(TrainingBaseline.fileName))
        summary = try RunSummary.load(from: run.root.appendingPathComponent(RunSummary.fileName))
        diagnosis = TrainingDiagnosis.diagnose(history: history, baseline: baseline)
    }

    /// Where `write()` puts the page.
    public var file: URL { run.root.appendingPathComponent(Self.fileName) }

    /// Writes the page to `<run>/report.html` (atomically) and returns its URL.
    @discardableResult
    public func write() throws -> URL {
        try Data(html().utf8).write(to: file, options: .atomic)
        return file
    }

    /// The learning-curve rows, and the step the charts mark as best.
    var curveRows: (rows: [LearningCurves.Row], bestStep: Int?) {
        let rows = LearningCurves.rows(history)
        return (rows, LearningCurves.bestStep(run: run, rows: rows))
    }
}
