import FledgeData
import Foundation

/// `cv_report.json`: how the folds were made, each fold's held-out metrics, and their mean ± std.
public struct CrossValidationReport: Codable, Sendable {
    /// The file name inside the cross-validation folder.
    public static let fileName = "cv_report.json"

    /// k, repeats, stratification, grouping and the seed of the first repetition.
    public var folds: Int
    public var repeats: Int
    public var stratified: Bool
    public var groupColumn: String?
    public var seed: UInt64
    /// Rows of the data file.
    public var rows: Int
    /// One entry per fit, in order.
    public var perFold: [FoldResult]
    /// Mean ± std over the fits of every held-out metric (`loss`, `accuracy`, ...).
    public var summary: [String: MetricSummary]
    /// The out-of-fold predictions file, relative to the report.
    public var outOfFold: String

    enum CodingKeys: String, CodingKey {
        case folds, repeats, stratified, groupColumn = "group_column", seed, rows
        case perFold = "per_fold", summary, outOfFold = "out_of_fold"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(folds, forKey: .folds)
        try c.encode(repeats, forKey: .repeats)
        try c.encode(stratified, forKey: .stratified)
        try c.encode(groupColumn, forKey: .groupColumn)
        try c.encode(seed, forKey: .seed)
        try c.encode(rows, forKey: .rows)
        try c.encode(perFold, forKey: .perFold)
        try c.encode(summary, forKey: .summary)
        try c.encode(outOfFold, forKey: .outOfFold)
    }
}

/// One fit of a cross-validation in `CrossValidationReport.perFold`.
public struct FoldResult: Codable, Sendable {
    /// 1-based repetition and fold numbers.
    public var repeatNumber: Int
    public var foldNumber: Int
    /// How many rows trained, validated (early stopping) and were held out.
    public var trainRows: Int
    public var validationRows: Int
    public var testRows: Int
    /// The fit's run directory.
    public var runDirectory: String
    /// Loss and metrics on the held-out rows (null where not finite).
    public var metrics: [String: Double?]

    enum CodingKeys: String, CodingKey {
        case repeatNumber = "repeat", foldNumber = "fold", trainRows = "train_rows", validationRows = "validation_rows"
        case testRows = "test_rows", runDirectory = "run_dir", metrics
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(repeatNumber, forKey: .repeatNumber)
        try c.encode(foldNumber, forKey: .foldNumber)
        try c.encode(trainRows, forKey: .trainRows)
        try c.encode(validationRows, forKey: .validationRows)
        try c.encode(testRows, forKey: .testRows)
        try c.encode(runDirectory, forKey: .runDirectory)
        try c.encode(metrics, forKey: .metrics)
    }
}

/// What `CrossValidator.run()` returns.
public struct CrossValidationResult: Sendable {
    /// The report written as `cv_report.json`.
    public var report: CrossValidationReport
    /// The folds, with their rows.
    public var folds: [CrossValidationFold]
    /// Each fit's preprocessing, fitted on that fold's training rows only.
    public var preprocessors: [Preprocessor]
    /// The cross-validation folder (`cv_report.json`, `oof_predictions.csv`, one run per fold).
    public var directory: URL

    /// The out-of-fold predictions CSV.
    public var outOfFoldFile: URL { directory.appendingPathComponent(OutOfFoldPredictions.fileName) }
}
