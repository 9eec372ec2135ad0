import FledgeData
import FledgeTrain
import Foundation

/// k-fold cross-validation of a training config (`fledge cv`): every fold is held out once while
/// a model trains on the others, with the preprocessing (standardisation, vocabularies, imputation)
/// fitted on that fold's training rows only, so no statistic of held-out rows leaks into training.
///
/// ```swift
/// let config = try FledgeConfig.load(path: "config.yaml")
/// let result = try CrossValidator(config: config, options: CrossValidationOptions(folds: 5, stratified: true)).run()
/// print(result.report.summary["accuracy"]!.text)     // "0.9754 ± 0.012"
/// ```
///
/// Writes `<experiment_dir>/<run_id or name-cv-timestamp>/` with `cv_report.json`,
/// `oof_predictions.csv` and one run directory per fit (`fold-1/`, ... or `repeat-2-fold-1/`).
/// The whole `data.train_path` file is cross-validated; `data.test_size` and `data.test_path`
/// are not used; `data.validation_split` of each fold's training rows is held out for early
/// stopping and the best checkpoint (or `data.validation_path` when set).
public final class CrossValidator {
    /// The training configuration every fold uses.
    public let config: FledgeConfig
    /// How the folds are made.
    public let options: CrossValidationOptions
    /// Makes the progress display of each fit (nil trains silently).
    public let progress: () -> (any Callback)?
    /// Receives one line per fold.
    public let log: (String) -> Void

    /// A cross-validation of `config`.
    public init(config: FledgeConfig, options: CrossValidationOptions = CrossValidationOptions(),
                progress: @escaping () -> (any Callback)? = { nil }, log: @escaping (String) -> Void = { _ in }) {
        self.config = config
        self.options = options
        self.progress = progress
        self.log = log
    }

    /// Trains and scores every fold and writes the report and the out-of-fold predictions.
    public func run() throws -> CrossValidationResult {
        try config.validate()
        guard !config.training.fastDevRun else {
            throw CrossValidationError("training.fast_dev_run saves no model to score; remove it to cross-validate")
        }
        var base = config
        base.seeds = SeedsConfig()
        base.data.testPath = nil
        if let group = options.groupColumn, group != base.data.idColumn, !base.data.dropColumns.contains(group) {
            base.data.dropColumns.append(group)   // a group id is a fold key, not a feature
        }
        let table = try TrainingData.readTable(config: base)
        let folds = try CrossValidationFold.make(table: table, config: base, options: options)
        let directory = RunDirectory.make(experimentDirectory: base.experiment.experimentDir,
                                          name: base.experiment.name + "-cv", runID: base.experiment.runId).root
        var outOfFold = OutOfFoldPredictions(table: table, config: base)
        var results: [FoldResult] = []
        var preprocessors: [Preprocessor] = []
        for fold in folds {
            var foldConfig = base
            foldConfig.experiment.experimentDir = directory.path
            foldConfig.experiment.runId = fold.name(repeats: options.repeats)
            let data = try TrainingData(config: foldConfig, table: table, rows: (fold.train, fold.validation, fold.test))
            let trainer = try Trainer(config: foldConfig, data: data, model: nil, progress: progress())
            let fit = try trainer.fit()
            let metrics = try trainer.evaluate(split: .test)
            guard let run = fit.runDirectory else { throw CrossValidationError("fold \(foldConfig.experiment.runId!) wrote no run directory") }
            try outOfFold.append(FledgeModel.load(from: run).predict(table, rows: fold.test), rows: fold.test, fold: fold)
            results.append(FoldResult(
                repeatNumber: fold.repeatIndex + 1, foldNumber: fold.foldIndex + 1, trainRows: fold.train.count,
                validationRows: data.validation?.count ?? 0, testRows: fold.test.count, runDirectory: run.path,
                metrics: metrics.mapValues { $0.isFinite ? $0 : nil }))
            if let preprocessor = data.preprocessor { preprocessors.append(preprocessor) }
            log("\(foldConfig.experiment.runId!): " + metrics.keys.sorted().map { "\($0) \(String(format: "%.4g", metrics[$0]!))" }
                .joined(separator: "  "))
        }
        let summary = MetricSummary.summarize(results.map { $0.metrics.compactMapValues { $0 } })
        let report = CrossValidationReport(
            folds: options.folds, repeats: options.repeats, stratified: options.stratified, groupColumn: options.groupColumn,
            seed: base.experiment.seed, rows: table.rowCount, perFold: results, summary: summary,
            outOfFold: OutOfFoldPredictions.fileName)
        try outOfFold.write(to: directory.appendingPathComponent(OutOfFoldPredictions.fileName))
        try writeJSON(report, to: directory.appendingPathComponent(CrossValidationReport.fileName))
        return CrossValidationResult(report: report, folds: folds, preprocessors: preprocessors, directory: directory)
    }
}
