import FledgeData
import FledgeTrain
import Foundation

/// Trains one config with seeds `experiment.seed`, `+1`, `+2`, ... until `seeds.min_convergent_seeds`
/// have converged or `seeds.max_seeds` have been tried, keeps the best seed's model, and writes
/// `seed_report.json` and `seed_summary.json` (GRADIEND's multi-seed training; what `fledge train`
/// does when `seeds.max_seeds > 1`).
///
/// ```swift
/// let config = try FledgeConfig.load(path: "config.yaml", overrides: ["seeds.max_seeds=3"])
/// let result = try MultiSeedRunner(config: config).run()
/// print(result.report.bestSeed!, result.summary["val_accuracy"]!.text)
/// ```
///
/// The data split is drawn once with `experiment.seed` and shared by every seed, so the seeds
/// differ only in weight initialisation, dropout and shuffling and are compared on the same
/// validation rows. Layout: `<experiment_dir>/<run_id or name>/` holds the best seed's `model/`
/// and `config.yaml`; its `seeds/` (or `seeds.seed_runs_dir`) holds `seed-<n>/` run directories
/// and the two reports. The folder has no timestamp, so a second invocation with
/// `seeds.use_cache: true` finds the seeds it already trained.
public final class MultiSeedRunner {
    /// The configuration every seed trains with (only `experiment.seed` changes).
    public let config: FledgeConfig
    /// Makes the progress display of each seed's training (nil trains silently).
    public let progress: () -> (any Callback)?
    /// Receives one line per seed and the summary lines.
    public let log: (String) -> Void

    /// A runner for `config` (which should have `seeds.max_seeds >= 1`).
    public init(config: FledgeConfig, progress: @escaping () -> (any Callback)? = { nil },
                log: @escaping (String) -> Void = { _ in }) {
        self.config = config
        self.progress = progress
        self.log = log
    }

    /// The run's folder: `<experiment_dir>/<run_id or name>`.
    public var directory: URL {
        URL(fileURLWithPath: config.experiment.experimentDir)
            .appendingPathComponent(config.experiment.runId ?? config.experiment.name)
    }

    /// Where the seed runs and reports go: `seeds.seed_runs_dir` or `<directory>/seeds`.
    public var seedsDirectory: URL {
        config.seeds.seedRunsDir.map { URL(fileURLWithPath: $0) } ?? directory.appendingPathComponent("seeds")
    }

    /// Trains (or loads) the seeds, picks the best and writes the reports; throws `TrainerError`,
    /// `DataError` or `ConfigError` for problems the user can fix.
    public func run() throws -> MultiSeedResult {
        try config.validate()
        guard !config.training.fastDevRun else {
            throw TrainerError.invalidSetup("training.fast_dev_run saves no model, so seeds cannot be compared; set seeds.max_seeds to 1")
        }
        let settings = config.seeds
        let metric = settings.effectiveMetric(training: config.training)
        let mode = settings.effectiveMode(training: config.training)
        let table = try TrainingData.readTable(config: config)
        let rows = try TrainingData.splitRows(table, config: config)
        let parts = try EvaluationParts(config: config, table: table, rows: rows)
        guard parts.hasValidation else {
            throw TrainerError.invalidSetup(
                "seeds: seeds are compared on validation rows, but there are none; set data.validation_split above 0 or data.validation_path")
        }
        let data = try TrainingData(config: config, table: table, rows: rows)
        let fileManager = FileManager.default
        var runs: [SeedRun] = []
        var allMetrics: [[String: Double]] = []
        var earlyStopReason: String?
        for index in 0..<settings.maxSeeds {
            let seed = config.experiment.seed &+ UInt64(index)
            let runDirectory = seedsDirectory.appendingPathComponent("seed-\(seed)")
            let weights = runDirectory.appendingPathComponent("model").appendingPathComponent(FledgeModel.weightsFile)
            let cached = settings.useCache && fileManager.fileExists(atPath: weights.path)
            if !cached { try train(seed: seed, in: runDirectory, data: data) }
            let metrics = try parts.measure(FledgeModel.load(from: runDirectory))
            allMetrics.append(metrics)
            let run = Self.judge(seed: seed, directory: runDirectory, cached: cached, metrics: metrics,
                                 metric: metric, mode: mode, threshold: settings.convergentScoreThreshold)
            runs.append(run)
            let converged = runs.filter(\.converged).count
            log("seed \(seed)\(cached ? " (cached)" : ""): \(metric) \(run.evalScore.map { String(format: "%.4g", $0) } ?? "n/a")"
                + (run.converged ? " converged" : " not converged") + " (\(converged) of \(settings.minConvergentSeeds.map(String.init) ?? "all") needed)")
            if let minimum = settings.minConvergentSeeds, converged >= minimum, index < settings.maxSeeds - 1 {
                earlyStopReason = "min_convergent_seeds reached: \(converged) of \(runs.count) seeds converged "
                    + "(\(settings.maxSeeds - runs.count) of max_seeds \(settings.maxSeeds) not tried)"
                break
            }
        }
        let best = Self.best(of: runs)
        let report = SeedReport(
            convergenceMetric: metric, threshold: settings.convergentScoreThreshold,
            minConvergentSeeds: settings.minConvergentSeeds, maxSeeds: settings.maxSeeds, seedsTried: runs.count,
            convergentCount: runs.filter(\.converged).count, bestSeed: best?.seed,
            bestSelectionScore: best?.selectionScore, earlyStopReason: earlyStopReason, runs: runs)
        let summary = MetricSummary.summarize(allMetrics)
        try writeJSON(report, to: seedsDirectory.appendingPathComponent(SeedReport.fileName))
        try writeJSON(summary, to: seedsDirectory.appendingPathComponent(MultiSeedResult.summaryFileName))
        var bestModel: URL?
        if let best {
            bestModel = try keep(best: URL(fileURLWithPath: best.outputDir))
            if !settings.keepSeedRuns {
                for run in runs where run.seed != best.seed { try? fileManager.removeItem(atPath: run.outputDir) }
            }
        }
        for line in MetricSummary.lines(summary) { log(line) }
        return MultiSeedResult(report: report, summary: summary, directory: directory,
                               seedsDirectory: seedsDirectory, bestModelDirectory: bestModel)
    }

    /// Trains one seed into `runDirectory` (replacing what a previous invocation left there).
    private func train(seed: UInt64, in runDirectory: URL, data: TrainingData) throws {
        try? FileManager.default.removeItem(at: runDirectory)
        var seedConfig = config
        seedConfig.experiment.seed = seed
        seedConfig.experiment.experimentDir = seedsDirectory.path
        seedConfig.experiment.runId = runDirectory.lastPathComponent
        seedConfig.seeds = SeedsConfig()
        let trainer = try Trainer(config: seedConfig, data: data, model: nil, progress: progress())
        try trainer.fit()
    }

    /// The report entry of one seed from its metrics (`train_<m>`, `val_<m>`, `test_<m>`).
    static func judge(seed: UInt64, directory: URL, cached: Bool, metrics: [String: Double],
                      metric: String, mode: MetricMode, threshold: Double?) -> SeedRun {
        let name = String(metric.dropFirst("val_".count))
        let value = metrics["val_" + name]
        var converged = false
        if let value, value.isFinite {
            switch (threshold, mode) {
            case (nil, _): converged = true
            case (let threshold?, .max): converged = value >= threshold
            case (let threshold?, .min): converged = value <= threshold
            }
        }
        return SeedRun(seed: seed, outputDir: directory.path, trained: !cached, usedCache: cached,
                       trainingScore: metrics["train_" + name], evalScore: value,
                       selectionScore: value.map { mode == .max ? $0 : -$0 }, convergenceMetricValue: value,
                       threshold: threshold, converged: converged)
    }

    /// The converged seed with the highest selection score, or the best of all when none converged.
    static func best(of runs: [SeedRun]) -> SeedRun? {
        let pool = runs.contains(where: \.converged) ? runs.filter(\.converged) : runs
        return pool.filter { $0.selectionScore?.isFinite == true }.max { $0.selectionScore! < $1.selectionScore! }
    }

    /// Copies the best seed's `model/` and `config.yaml` to the run folder, so `fledge evaluate`
    /// and `fledge predict` take the folder like any run.
    private func keep(best runDirectory: URL) throws -> URL {
        let fileManager = FileManager.default
        let target = directory.appendingPathComponent("model")
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        try? fileManager.removeItem(at: target)
        try fileManager.copyItem(at: runDirectory.appendingPathComponent("model"), to: target)
        let config = directory.appendingPathComponent("config.yaml")
        try? fileManager.removeItem(at: config)
        try? fileManager.copyItem(at: runDirectory.appendingPathComponent("config.yaml"), to: config)
        return target
    }
}

/// What `MultiSeedRunner.run()` returns.
public struct MultiSeedResult: Sendable {
    /// The summary's file name inside the seeds directory.
    public static let summaryFileName = "seed_summary.json"

    /// The contents of `seed_report.json`.
    public var report: SeedReport
    /// Mean ± std over the seeds tried of every metric (`train_loss`, `val_accuracy`, `test_auroc`, ...).
    public var summary: [String: MetricSummary]
    /// `<experiment_dir>/<run_id or name>`.
    public var directory: URL
    /// Where the seed runs and the reports are.
    public var seedsDirectory: URL
    /// The best seed's model bundle, copied to `<directory>/model` (nil when no seed scored).
    public var bestModelDirectory: URL?
}
