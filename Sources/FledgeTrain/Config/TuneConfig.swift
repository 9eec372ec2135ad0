/// `tune:` — a hyperparameter search over this training config (`fledge tune config.yaml`).
///
/// Each entry of `params` names a config key path (`training.learning_rate`) and how to search it;
/// every trial trains the config with the sampled values applied as `--set` overrides. Study,
/// sampler, pruner and storage settings follow Optuna's names and defaults. FledgeTune runs it.
public struct TuneConfig: ConfigSection {
    /// The study's name; null uses `experiment.name`. Default null.
    public var studyName: String?
    /// `minimize` or `maximize`; null infers it from `metric` (losses and errors: minimize). Default null.
    public var direction: TuneDirection?
    /// The validation metric to optimise; null uses `training.metric_to_monitor`. Default null.
    public var metric: String?
    /// Finished trials (complete, pruned or failed) the study runs to. Default `20`.
    public var nTrials = 20
    /// Worker processes sharing the study on this machine. Default `1`.
    public var workers = 1
    /// Where the study lives: a SQLite path, `sqlite:///path`, or `postgresql://user@host:port/db`;
    /// null: `<experiment_dir>/<study_name>/study.sqlite`. Default null.
    public var storage: String?
    /// Seconds between a running trial's heartbeats. Default `5`.
    public var heartbeatInterval = 5.0
    /// A running trial whose heartbeat is older than this many seconds belongs to a dead worker and
    /// is re-queued. Default `60`.
    public var heartbeatTimeout = 60.0
    /// How parameters are chosen.
    public var sampler = TuneSamplerConfig()
    /// When unpromising trials are stopped early.
    public var pruner = TunePrunerConfig()
    /// The search space: config key path → how to search it. Required, at least one entry.
    public var params: [String: TuneParamConfig] = [:]

    /// A section with every default and no parameters.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case studyName = "study_name", direction, metric
        case nTrials = "n_trials", workers, storage
        case heartbeatInterval = "heartbeat_interval", heartbeatTimeout = "heartbeat_timeout"
        case sampler, pruner, params
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)
    public static let subsections: [String: any ConfigSection.Type] = [
        "sampler": TuneSamplerConfig.self, "pruner": TunePrunerConfig.self,
    ]

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        studyName = try c.decodeIfPresent(String.self, forKey: .studyName)
        direction = try c.decodeIfPresent(TuneDirection.self, forKey: .direction)
        metric = try c.decodeIfPresent(String.self, forKey: .metric)
        nTrials = try c.value(.nTrials, or: nTrials)
        workers = try c.value(.workers, or: workers)
        storage = try c.decodeIfPresent(String.self, forKey: .storage)
        heartbeatInterval = try c.value(.heartbeatInterval, or: heartbeatInterval)
        heartbeatTimeout = try c.value(.heartbeatTimeout, or: heartbeatTimeout)
        sampler = try c.value(.sampler, or: sampler)
        pruner = try c.value(.pruner, or: pruner)
        params = try c.value(.params, or: params)
    }
}

/// `minimize` or `maximize`.
public enum TuneDirection: String, ConfigOption {
    case minimize, maximize
}

/// `tune.sampler:` — how each trial's parameters are chosen.
public struct TuneSamplerConfig: ConfigSection {
    /// `tpe` (default, as Optuna's), `random` or `grid`.
    public var type = TuneSamplerKind.tpe
    /// The sampler's seed; null uses `experiment.seed`. Default null.
    public var seed: UInt64?
    /// TPE: trials sampled at random before the Parzen estimators take over. Default `10`.
    public var nStartupTrials = 10
    /// TPE: candidates drawn from l(x) per parameter, the best l/g ratio wins. Default `24`.
    public var nEICandidates = 24
    /// TPE: one joint Parzen estimator over the unconditional parameters (Optuna's default for a
    /// single objective) instead of one per parameter. Default `true`.
    public var multivariate = true
    /// Grid: points per float parameter (int and categorical parameters use every value). Default `5`.
    public var gridPoints = 5

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, seed, nStartupTrials = "n_startup_trials", nEICandidates = "n_ei_candidates"
        case multivariate, gridPoints = "grid_points"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        type = try c.value(.type, or: type)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        nStartupTrials = try c.value(.nStartupTrials, or: nStartupTrials)
        nEICandidates = try c.value(.nEICandidates, or: nEICandidates)
        multivariate = try c.value(.multivariate, or: multivariate)
        gridPoints = try c.value(.gridPoints, or: gridPoints)
    }
}

/// The samplers.
public enum TuneSamplerKind: String, ConfigOption {
    case tpe, random, grid
}

/// `tune.pruner:` — when a trial whose intermediate validation values look poor is stopped.
public struct TunePrunerConfig: ConfigSection {
    /// `median` (default, as Optuna's), `asha` (asynchronous successive halving) or `none`.
    public var type = TunePrunerKind.median
    /// Median: trials that must finish before any is pruned. Default `5`.
    public var nStartupTrials = 5
    /// Median: steps a trial runs before it may be pruned. Default `0`.
    public var nWarmupSteps = 0
    /// Median: check every this many steps after the warm-up. Default `1`.
    public var interval = 1
    /// ASHA: the step of the first rung. Default `1`.
    public var minResource = 1
    /// ASHA: each rung keeps the best 1/reduction_factor and is reduction_factor times later. Default `3`.
    public var reductionFactor = 3
    /// ASHA: skip this many of the lowest rungs. Default `0`.
    public var minEarlyStoppingRate = 0

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, nStartupTrials = "n_startup_trials", nWarmupSteps = "n_warmup_steps", interval
        case minResource = "min_resource", reductionFactor = "reduction_factor"
        case minEarlyStoppingRate = "min_early_stopping_rate"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        type = try c.value(.type, or: type)
        nStartupTrials = try c.value(.nStartupTrials, or: nStartupTrials)
        nWarmupSteps = try c.value(.nWarmupSteps, or: nWarmupSteps)
        interval = try c.value(.interval, or: interval)
        minResource = try c.value(.minResource, or: minResource)
        reductionFactor = try c.value(.reductionFactor, or: reductionFactor)
        minEarlyStoppingRate = try c.value(.minEarlyStoppingRate, or: minEarlyStoppingRate)
    }
}

/// The pruners.
public enum TunePrunerKind: String, ConfigOption {
    case median, asha, none
}
