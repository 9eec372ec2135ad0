import FledgeData
import FledgeTensor
import Foundation

/// What the run report needs beyond the curves, saved as `<run>/summary.json` when training ends
/// (normally or with an error), so `fledge report <run>` rebuilds the page from the run
/// directory alone: the data summary, the final model's metrics on each split with a confusion
/// matrix (classification) or residual sample (regression), how training ended and the environment.
public struct RunSummary: Codable, Equatable, Sendable {
    /// The final model measured on one split.
    public struct SplitOutcome: Codable, Equatable, Sendable {
        /// `train`, `validation` or `test`.
        public var split: String
        /// Rows measured.
        public var rows: Int
        /// `loss` and the run's metrics (`accuracy`, `f1`, `rmse`, ...).
        public var metrics: [String: Double]
        /// Classification: the confusion matrix (one per label for multilabel).
        public var confusion: [ConfusionMatrix]
        /// Regression: predictions against residuals.
        public var residuals: ResidualSample?
    }

    /// The file name inside a run directory.
    public static let fileName = "summary.json"

    /// The data the run read.
    public var data: DataSummary
    /// The final model on each split the run has (empty when training failed).
    public var outcomes: [SplitOutcome]
    /// Optimizer steps taken.
    public var globalStep: Int
    /// Why training stopped early (early stopping) or the error that ended it.
    public var stopReason: String?
    /// True when training ended with an error (e.g. a NaN loss).
    public var failed: Bool
    /// When the summary was written (ISO 8601).
    public var finishedAt: String
    /// Where the run was trained.
    public var environment: RunEnvironment

    /// The summary of `trainer`'s run; measures every split with the current model unless the run
    /// failed with `error` (then its weights are not worth measuring).
    public init(trainer: Trainer, error: Error? = nil) throws {
        data = DataSummary(data: trainer.data, config: trainer.config)
        globalStep = trainer.state.globalStep
        failed = error != nil
        stopReason = error.map { "\($0)" } ?? trainer.state.stopReason
        finishedAt = Date().ISO8601Format()
        environment = RunEnvironment.current()
        outcomes = []
        guard error == nil else { return }
        for split in DataSplitName.allCases {
            guard let dataset = trainer.dataset(for: split), dataset.targets != nil else { continue }
            outcomes.append(try Self.measure(trainer, split: split, rows: dataset.count, classNames: data.classNames))
        }
    }

    /// One pass over `split`: the metrics and, from the same outputs, the confusion matrix or residuals.
    private static func measure(_ trainer: Trainer, split: DataSplitName, rows: Int, classNames: [String]) throws -> SplitOutcome {
        let task = trainer.task
        var confusion = ConfusionMatrix.empty(task: task, classNames: classNames, outputSize: trainer.data.outputCount)
        var residuals = task == .regression ? ResidualSample(rowCount: rows) : nil
        let metrics = try trainer.evaluate(split: split) { scores, targets in
            if task == .regression {
                residuals?.add(predictions: scores, targets: targets)
            } else {
                ConfusionMatrix.add(scores: scores, targets: targets, task: task, to: &confusion)
            }
        }
        return SplitOutcome(split: split.rawValue, rows: rows, metrics: metrics, confusion: confusion, residuals: residuals)
    }

    /// The outcome on `split`, if measured.
    public func outcome(_ split: DataSplitName) -> SplitOutcome? { outcomes.first { $0.split == split.rawValue } }

    /// Writes the summary as pretty JSON (NaN and infinities as the strings "nan", "inf", "-inf").
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads a saved summary, or nil when the file is missing; throws when it is unreadable.
    public static func load(from url: URL) throws -> RunSummary? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(RunSummary.self, from: data)
    }
}
