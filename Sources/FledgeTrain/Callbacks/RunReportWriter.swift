import Foundation

/// Writes `<run>/summary.json` and `<run>/report.html` when training ends: after a normal end it
/// measures the final model on every split (one pass each, giving the metrics and the confusion
/// matrix or residuals); after an error (e.g. a NaN loss) it records the data, the error and the
/// environment, and the page shows the diagnosis. Does nothing without a run directory.
public final class RunReportWriter: Callback {
    /// The summary written last (nil before the run ends or without a run directory).
    public private(set) var summary: RunSummary?

    /// Creates the callback.
    public init() {}

    public func onFitEnd(_ trainer: Trainer) { write(trainer, error: nil) }
    public func onException(_ trainer: Trainer, error: Error) { write(trainer, error: error) }

    private func write(_ trainer: Trainer, error: Error?) {
        guard let run = trainer.runDirectory else { return }
        // A report is a by-product: failing to write it must not fail (or hide the error of) the run.
        do {
            let summary = try RunSummary(trainer: trainer, error: error)
            try summary.write(to: run.root.appendingPathComponent(RunSummary.fileName))
            self.summary = summary
            try RunReport(run: run).write()
        } catch {
            FileHandle.standardError.write(Data("warning: could not write the run report in \(run.root.path): \(error)\n".utf8))
        }
    }
}
