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
        /// The split's size when only an evenly spaced sample of it was measured (nil: every row).
        public var sampledFrom: Int?
        /// `loss` and the run's metrics (`accuracy`, `f1`, `rmse`, ...).
        public var metrics: [String: Double]
        /// Classification: the confusion matrix (one per label for multilabel).
        public var confusion: [ConfusionMatrix]
        /// Regression: predictions against residuals.
        public var residuals: ResidualSample?

        /// An outcome with nothing counted yet, for a split of `rowCount` rows of `task`.
        public init(split: String, rowCount: Int, task: TaskKind, classNames: [String], outputSize: Int) {
            self.split = split
            rows = 0
            metrics = [:]
            confusion = ConfusionMatrix.empty(task: task, classNames: classNames, outputSize: outputSize)
            residuals = task == .regression ? ResidualSample(rowCount: rowCount) : nil
        }

        /// Counts one batch of scores (probabilities or values) against targets as the metrics read them.
        public mutating func add(scores: Tensor, targets: Tensor, task: TaskKind) {
            rows += scores.shape.rank == 0 ? 1 : scores.shape[0]
            if task == .regression {
                residuals?.add(predictions: scores, targets: targets)
            } else {
                ConfusionMatrix.add(scores: scores, targets: targets, task: task, to: &confusion)
            }
        }
    }

    /// At most this many training rows (evenly spaced) are measured at the end: the training split
    /// is the largest, and a full pass over it would cost a noticeable share of a short run.
    public static let trainingSampleRows = 2000

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

    /// The summary of `trainer`'s run. Unless the run failed with `error` (then its weights are
    /// not worth measuring), the current model is measured on the test split, on at most
    /// `trainingSampleRows` training rows and on the validation split, unless `validation` already
    /// holds that (a validation pass of the final model, as `RunReportWriter` collects it).
    public init(trainer: Trainer, error: Error? = nil, validation: SplitOutcome? = nil) throws {
        data = DataSummary(data: trainer.data, config: trainer.config)
        globalStep = trainer.state.globalStep
        failed = error != nil
        stopReason = error.map { "\($0)" } ?? trainer.state.stopReason
        finishedAt = Date().ISO8601Format()
        environment = RunEnvironment.current()
        outcomes = []
        guard error == nil else { return }
        for split in DataSplitName.allCases {
            if split == .validation, let validation {
                outcomes.append(validation)
                continue
            }
            guard var dataset = trainer.dataset(for: split), dataset.targets != nil else { continue }
            let splitRows = dataset.count
            if split == .train && splitRows > Self.trainingSampleRows {
                dataset = dataset.subset((0..<Self.trainingSampleRows).map { $0 * splitRows / Self.trainingSampleRows })
            }
            var outcome = SplitOutcome(split: split.rawValue, rowCount: dataset.count, task: trainer.task,
                                       classNames: data.classNames, outputSize: trainer.data.outputCount)
            let metrics = try trainer.evaluate(dataset) { outcome.add(scores: $0, targets: $1, task: trainer.task) }
            outcome.metrics = metrics
            if dataset.count < splitRows { outcome.sampledFrom = splitRows }
            outcomes.append(outcome)
        }
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
