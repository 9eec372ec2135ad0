import Foundation
import FledgeTrain

/// `fledge tune` as a library: a study over a training config's `tune:` section, run by this
/// process (one worker) and written up in the study directory.
///
/// ```swift
/// let tuner = try Tuner(configPath: "tune.yaml")
/// try tuner.optimize()                 // this process's share of tune.n_trials
/// let summary = try tuner.writeReport() // best_config.yaml, trials.csv, history.svg, ...
/// ```
public final class Tuner: Sendable {
    /// The config with its `tune` section (and the command-line overrides applied).
    public let config: FledgeConfig
    /// The search settings.
    public let tune: TuneConfig
    /// The study (storage, sampler, pruner).
    public let study: Study
    /// Trains one trial.
    public let objective: TrainingObjective
    /// `<experiment_dir>/<study_name>/`: trial runs and the report.
    public let studyDirectory: URL
    /// The storage URL or path the study lives in.
    public let storageURL: String
    /// Finished trials the study runs to (capped at the grid size for the grid sampler).
    public let nTrials: Int

    /// Loads the config and opens (or, with `resume`, only reopens) its study. Every parameter and
    /// every value a parameter can take is checked against the config first, so a bad search space
    /// stops here, before any trial, naming the key path.
    public init(
        configPath: String, overrides: [String] = [], nTrials: Int? = nil, studyName: String? = nil,
        storage: String? = nil, resume: Bool = false, workerID: String = Study.defaultWorkerID,
        factory: StudyStorageFactory = .standard
    ) throws {
        config = try FledgeConfig.load(path: configPath, overrides: overrides)
        guard var tune = config.tune else { throw TuneError.missingTuneSection(configPath) }
        if let nTrials { tune.nTrials = nTrials }
        if let studyName { tune.studyName = studyName }
        if let storage { tune.storage = storage }
        try tune.validate()
        self.tune = tune
        let space = try SearchSpace(config: tune)
        let name = tune.studyName ?? config.experiment.name
        studyDirectory = URL(fileURLWithPath: config.experiment.experimentDir).appendingPathComponent(name)
        storageURL = tune.storage ?? studyDirectory.appendingPathComponent("study.sqlite").path
        let metric = Monitor.normalized(tune.metric ?? config.training.metricToMonitor)
        let direction: StudyDirection = tune.direction.map { $0 == .minimize ? .minimize : .maximize }
            ?? (MetricMode.inferred(forMetric: metric) == .min ? .minimize : .maximize)
        objective = TrainingObjective(configPath: configPath, baseOverrides: overrides, studyDirectory: studyDirectory,
                                      metric: metric, direction: direction)
        try Self.checkValues(of: space, objective: objective)

        let storageInstance = try factory.open(url: storageURL)
        let existing = try storageInstance.loadStudy(named: name)
        if resume, existing == nil {
            throw TuneError.nothingToResume(study: name, storage: storageURL)
        }
        if !resume, let existing, case let count = try storageInstance.trials(studyID: existing.id).count, count > 0 {
            throw TuneError.studyExists(study: name, storage: storageURL, trials: count)
        }
        let seed = tune.sampler.seed ?? config.experiment.seed
        let sampler = Self.sampler(tune.sampler, seed: seed)
        var budget = tune.nTrials
        if let grid = sampler as? GridSampler { budget = min(budget, grid.size(of: space)) }
        self.nTrials = budget
        study = try Study(
            name: name, direction: direction, space: space, sampler: sampler, pruner: Self.pruner(tune.pruner),
            storage: storageInstance, samplerSeed: seed, workerID: workerID,
            heartbeatInterval: tune.heartbeatInterval, heartbeatTimeout: tune.heartbeatTimeout)
    }

    /// The sampler a config asks for.
    public static func sampler(_ config: TuneSamplerConfig, seed: UInt64) -> any Sampler {
        switch config.type {
        case .tpe: TPESampler(seed: seed, nStartupTrials: config.nStartupTrials, nEICandidates: config.nEICandidates,
                               multivariate: config.multivariate)
        case .random: RandomSampler(seed: seed)
        case .grid: GridSampler(seed: seed, pointsPerFloat: config.gridPoints)
        }
    }

    /// The pruner a config asks for.
    public static func pruner(_ config: TunePrunerConfig) -> any Pruner {
        switch config.type {
        case .median: MedianPruner(nStartupTrials: config.nStartupTrials, nWarmupSteps: config.nWarmupSteps, interval: config.interval)
        case .asha: SuccessiveHalvingPruner(minResource: config.minResource, reductionFactor: config.reductionFactor,
                                            minEarlyStoppingRate: config.minEarlyStoppingRate)
        case .none: NopPruner()
        }
    }

    /// Loads the config with each bound and each choice applied, so a value the config rejects
    /// (`model.dropout` high 1.0, an unknown optimizer) is reported before any trial runs.
    static func checkValues(of space: SearchSpace, objective: TrainingObjective) throws {
        for parameter in space.parameters {
            let candidates: [Double]
            switch parameter.distribution {
            case let .categorical(choices): candidates = choices.indices.map(Double.init)
            case let .float(low, high, _, _): candidates = [low, high]
            case let .int(low, high, _, _): candidates = [Double(low), Double(high)]
            }
            // A conditional parameter is checked with its condition holding.
            var context: [String] = []
            if let condition = parameter.condition, let parent = space[condition.parent] {
                context = ["\(parent.name)=\(parent.distribution.configValue(Double(condition.choice)).yamlText)"]
            }
            for stored in candidates {
                let value = parameter.distribution.configValue(stored)
                do {
                    _ = try objective.config(overrides: context + ["\(parameter.name)=\(value.yamlText)"])
                } catch let error as ConfigError {
                    throw ConfigError(kind: error.kind, keyPath: "tune.params.\(parameter.name)", location: objective.configPath,
                                      message: "tune.params.\(parameter.name): the value \(value.yamlText) is not valid for the config: \(error.message)")
                }
            }
        }
    }

    /// Runs trials in this process until the study's budget is used up (other workers may share it).
    @discardableResult
    public func optimize(onTrialEnd: (Study.Outcome) -> Void = { _ in }) throws -> [Study.Outcome] {
        try study.optimize(nTrials: nTrials, onTrialEnd: onTrialEnd) { trial in try objective.evaluate(trial) }
    }

    /// Writes the study report into the study directory and returns it.
    @discardableResult
    public func writeReport() throws -> StudyReport {
        let trials = try study.trials()
        var bestConfig: String?
        if let best = try study.bestTrial() {
            bestConfig = try objective.config(overrides: study.space.overrides(best.params)).resolvedYAML()
        }
        let report = StudyReport(name: study.record.descriptor.name, direction: study.direction, metric: objective.metric,
                                 space: study.space, trials: trials)
        try report.write(to: studyDirectory, bestConfigYAML: bestConfig)
        return report
    }
}
