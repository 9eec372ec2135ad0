import Foundation
import FledgeTrain

/// The objective `fledge tune` optimises: train the config with the trial's parameters applied as
/// `--set` overrides and return the best validation value of the study's metric.
///
/// Each trial is an ordinary run in `<study_dir>/trials/trial-<number>/`. The value is the best
/// (in the study's direction) of the metric over the run's validation checks, so it matches the
/// model `load_best_model_at_end` keeps. A run that throws (NaN loss, bad value) fails the trial.
public struct TrainingObjective: Sendable {
    /// The YAML config file.
    public let configPath: String
    /// `--set` overrides given on the command line, applied before the trial's.
    public let baseOverrides: [String]
    /// The folder that receives the trial runs.
    public let studyDirectory: URL
    /// The metric optimised (a logged name such as `val_accuracy`).
    public let metric: String
    /// The study's direction.
    public let direction: StudyDirection

    /// An objective over the config at `configPath`.
    public init(configPath: String, baseOverrides: [String], studyDirectory: URL, metric: String, direction: StudyDirection) {
        self.configPath = configPath
        self.baseOverrides = baseOverrides
        self.studyDirectory = studyDirectory
        self.metric = Monitor.normalized(metric)
        self.direction = direction
    }

    /// The config of a trial: the file, the base overrides, then the trial's parameters; without its `tune` section.
    public func config(overrides: [String], runID: String? = nil) throws -> FledgeConfig {
        var config = try FledgeConfig.load(path: configPath, overrides: baseOverrides + overrides)
        config.tune = nil
        if let runID {
            config.experiment.experimentDir = studyDirectory.appendingPathComponent("trials").path
            config.experiment.runId = runID
        }
        return config
    }

    /// Trains the trial and returns its value; throws `TrialPruned` when the pruner stopped it.
    public func evaluate(_ trial: Trial) throws -> Double {
        let config = try config(overrides: trial.overrides, runID: String(format: "trial-%04d", trial.number))
        let callback = PruningCallback(trial: trial, metric: metric, direction: direction)
        let trainer = try Trainer(config: config, model: nil, callbacks: [callback], progress: nil)
        _ = try trainer.fit()
        if let available = callback.missingMetric {
            throw TuneError.unknownMetric(metric, available: available)
        }
        if let reason = callback.prunedReason { throw TrialPruned(reason) }
        guard let value = callback.bestValue else {
            throw TuneError.noFiniteValue(metric)
        }
        return value
    }
}

/// Mistakes in a tuning setup, with what to do.
public enum TuneError: Error, CustomStringConvertible, Equatable {
    /// The config has no `tune:` section.
    case missingTuneSection(String)
    /// `tune.metric` is not logged by validation.
    case unknownMetric(String, available: [String])
    /// Validation never produced a finite value of the metric.
    case noFiniteValue(String)
    /// `--resume` named a study that does not exist.
    case nothingToResume(study: String, storage: String)
    /// A new search would reuse a study that already has trials.
    case studyExists(study: String, storage: String, trials: Int)

    public var description: String {
        switch self {
        case let .missingTuneSection(path):
            return "\(path): no tune: section; add one with tune.params naming the keys to search (see docs/tuning.md)"
        case let .unknownMetric(metric, available):
            return "tune.metric \(metric) is not a validation metric of this config (logged: \(available.joined(separator: ", "))); "
                + "set tune.metric to one of them or add it to training.metrics"
        case let .noFiniteValue(metric):
            return "validation never produced a finite \(metric) (is training.eval_strategy no?)"
        case let .nothingToResume(study, storage):
            return "--resume: no study named '\(study)' in \(storage); drop --resume to start it"
        case let .studyExists(study, storage, trials):
            return "study '\(study)' in \(storage) already has \(trials) trials; add --resume to continue it, "
                + "or give a new --study-name (tune.study_name)"
        }
    }
}
