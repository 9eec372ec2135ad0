import ArgumentParser
import FledgeTrain
import Foundation

/// `fledge report <run>`: the run's summary (from `metrics.jsonl`), the training diagnosis and a rebuilt `report.html`.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a training run, diagnose its learning curves and rewrite its report.html.",
        discussion: """
            Reads <run>/metrics.jsonl and <run>/baseline.json and says whether the run is healthy, \
            overfitting, underfitting, diverging, learning too slowly or noisy, with the evidence and \
            the config keys to change (see docs/diagnosis.md). Then rebuilds <run>/report.html from the \
            run directory (docs/report.md).
            """
    )

    @Argument(help: "A run directory (<experiment_dir>/<run_id>).")
    var runPath: String

    func run() throws {
        let directory = RunDirectory(root: URL(fileURLWithPath: runPath))
        guard FileManager.default.fileExists(atPath: directory.metricsFile.path) else {
            throw ValidationError("\(directory.metricsFile.path) not found; pass a run directory written by `fledge train`")
        }
        let report = try RunReport(run: directory)
        print(Self.summary(directory, history: report.history))
        print(report.diagnosis.text())
        print("report: \(try report.write().path)")
    }

    /// Where the run is, how far it went, its last and best values.
    static func summary(_ run: RunDirectory, history: [LogEntry]) -> String {
        var lines = ["run: \(run.root.path)"]
        guard let last = history.last else { return (lines + ["no log entries yet"]).joined(separator: "\n") }
        lines.append("trained to step \(last.step), \(history.count) log entries")
        let checks = history.filter { $0.values["val_loss"] != nil }
        if let final = checks.last {
            let shown = final.values.filter { $0.key != "samples_per_second" }
            lines.append("last check (epoch \(final.epoch)): \(MetricsText.inline(shown))")
            if let best = checks.min(by: { $0.values["val_loss"]! < $1.values["val_loss"]! }) {
                lines.append("best val_loss: \(MetricsText.format(best.values["val_loss"]!)) at epoch \(best.epoch)")
            }
        } else if let train = history.last(where: { $0.values["train_loss"] != nil })?.values["train_loss"] {
            lines.append("last train_loss: \(MetricsText.format(train))")
        }
        return lines.joined(separator: "\n")
    }
}
