import FledgeTensor
import Foundation

/// Writes `<run>/summary.json` and `<run>/report.html` when training ends (`RunSummary`,
/// `RunReport`). After a normal end the final model's metrics, confusion matrix or residuals
/// come from the last validation pass when it measured the final model (collected batch by batch
/// as it ran, so no second pass), and from one pass over the test split and a training sample.
/// After an error (e.g. a NaN loss) the page shows the data, the error and the diagnosis.
/// Does nothing without a run directory.
public final class RunReportWriter: Callback {
    /// The summary written last (nil before the run ends or without a run directory).
    public private(set) var summary: RunSummary?
    /// The validation pass in progress or last finished, and the step it measured.
    private var validation: RunSummary.SplitOutcome?
    private var validationStep: Int?

    /// Creates the callback.
    public init() {}

    public func onValidationStart(_ trainer: Trainer) {
        guard trainer.runDirectory != nil else { return }
        validation = RunSummary.SplitOutcome(
            split: DataSplitName.validation.rawValue, rowCount: trainer.dataset(for: .validation)?.count ?? 0,
            task: trainer.task, classNames: trainer.data.classNames, outputSize: trainer.data.outputCount)
        validationStep = nil
    }

    public func onValidationBatchEnd(_ trainer: Trainer, scores: Tensor, targets: Tensor) {
        validation?.add(scores: scores, targets: targets, task: trainer.task)
    }

    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {
        validation?.metrics = Dictionary(uniqueKeysWithValues: metrics.map { (String($0.key.dropFirst(4)), $0.value) })
        validationStep = trainer.state.globalStep
    }

    public func onFitEnd(_ trainer: Trainer) { write(trainer, error: nil) }
    public func onException(_ trainer: Trainer, error: Error) { write(trainer, error: error) }

    /// The last validation pass, if it measured every validation row of the model training ended with.
    private func finalValidation(_ trainer: Trainer) -> RunSummary.SplitOutcome? {
        let restoredBest = trainer.config.training.loadBestModelAtEnd && trainer.state.bestCheckpoint != nil
        guard let validation, validationStep == trainer.state.globalStep, !restoredBest,
              validation.rows == trainer.dataset(for: .validation)?.count else { return nil }
        return validation
    }

    private func write(_ trainer: Trainer, error: Error?) {
        guard let run = trainer.runDirectory else { return }
        // A report is a by-product: failing to write it must not fail (or hide the error of) the run.
        do {
            let summary = try RunSummary(trainer: trainer, error: error, validation: finalValidation(trainer))
            try summary.write(to: run.root.appendingPathComponent(RunSummary.fileName))
            self.summary = summary
            try RunReport(run: run).write()
        } catch {
            FileHandle.standardError.write(Data("warning: could not write the run report in \(run.root.path): \(error)\n".utf8))
        }
    }
}
