import FledgeData
import Foundation

/// What a run trained on, for the report: the files, columns, feature count and, per split, the
/// row count and the class balance (classification) or target statistics (regression).
public struct DataSummary: Codable, Equatable, Sendable {
    /// One split's rows.
    public struct Split: Codable, Equatable, Sendable {
        /// `train`, `validation` or `test`.
        public var name: String
        /// Rows in the split.
        public var rows: Int
        /// Rows per class (binary, multiclass) or positives per label (multilabel), in `classNames` order.
        public var classCounts: [Int]?
        /// Regression: the (first) target's mean, standard deviation, minimum and maximum.
        public var targetMean: Double?
        /// See `targetMean`.
        public var targetStandardDeviation: Double?
        /// See `targetMean`.
        public var targetMinimum: Double?
        /// See `targetMean`.
        public var targetMaximum: Double?
    }

    /// `binary`, `multiclass`, `multilabel` or `regression`.
    public var task: String
    /// The config's data files (nil when not given or for in-memory data).
    public var trainPath: String?
    /// See `trainPath`.
    public var validationPath: String?
    /// See `trainPath`.
    public var testPath: String?
    /// The input columns the model reads (empty for in-memory data).
    public var inputColumns: [String]
    /// The label column(s).
    public var labelColumns: [String]
    /// The dense feature count after encoding (one-hot columns count once per category).
    public var featureCount: Int
    /// Class names (binary, multiclass) or label names (multilabel).
    public var classNames: [String]
    /// The splits the run has.
    public var splits: [Split]

    /// The summary of `data` as `config` read it.
    public init(data: TrainingData, config: FledgeConfig) {
        task = config.model.task.rawValue
        trainPath = config.data.trainPath
        validationPath = config.data.validationPath
        testPath = config.data.testPath
        inputColumns = data.preprocessor?.features.map(\.name) ?? []
        labelColumns = data.preprocessor?.labelColumns ?? config.data.labelColumnNames
        featureCount = data.train.featureCount
        classNames = data.classNames
        let classCount = data.outputCount, task = config.model.task
        splits = DataSplitName.allCases.compactMap { name in
            data.dataset(name).map { Self.split(name.rawValue, $0, task: task, classCount: classCount) }
        }
    }

    private static func split(_ name: String, _ dataset: TabularDataset, task: TaskKind, classCount: Int) -> Split {
        var split = Split(name: name, rows: dataset.count)
        guard let targets = dataset.targets else { return split }
        let values = TaskSpec.metricTargets(targets).scalars
        let width = dataset.count > 0 ? Swift.max(1, values.count / dataset.count) : 1
        switch task {
        case .binary:
            let positives = values.filter { $0 > 0.5 }.count
            split.classCounts = [values.count - positives, positives]
        case .multiclass:
            var counts = Array(repeating: 0, count: Swift.max(classCount, Int(values.max() ?? -1) + 1))
            for value in values { counts[Int(value)] += 1 }
            split.classCounts = counts
        case .multilabel:
            split.classCounts = (0..<width).map { label in stride(from: label, to: values.count, by: width).filter { values[$0] > 0.5 }.count }
        case .regression:
            let first = stride(from: 0, to: values.count, by: width).map { Double(values[$0]) }
            guard !first.isEmpty else { break }
            let mean = first.reduce(0, +) / Double(first.count)
            split.targetMean = mean
            split.targetStandardDeviation = (first.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(first.count)).squareRoot()
            split.targetMinimum = first.min()
            split.targetMaximum = first.max()
        }
        return split
    }
}
