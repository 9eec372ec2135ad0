/// `seeds:` — train one config with several seeds and keep the best (GRADIEND's multi-seed
/// `TrainingArguments`): seeds `experiment.seed`, `experiment.seed + 1`, ... are trained until
/// `min_convergent_seeds` of them have converged or `max_seeds` have been tried.
///
/// A seed converges when its `convergent_metric`, measured on the validation split after
/// training, reaches `convergent_score_threshold` in the metric's direction (at least the
/// threshold for accuracy-like metrics, at most for losses and errors). With `max_seeds: 1`
/// (the default) `fledge train` trains once, as without this section. FledgeTune's
/// `MultiSeedRunner` does the work; `docs/experiments.md` describes the report it writes.
public struct SeedsConfig: ConfigSection {
    /// The most seeds to train. Default `1` (one ordinary run).
    public var maxSeeds = 1
    /// Stop once this many seeds have converged; null trains all `max_seeds`. Default `1`.
    public var minConvergentSeeds: Int? = 1
    /// The validation metric that decides convergence and picks the best seed (`accuracy`,
    /// `val_auroc`, `loss`, ...); null uses `training.metric_to_monitor`. Default null.
    public var convergentMetric: String?
    /// The value `convergent_metric` must reach; null counts every seed with a finite value as
    /// converged. Default null.
    public var convergentScoreThreshold: Double?
    /// Where the seed runs (`seed-<n>/`) and `seed_report.json` go; null uses
    /// `<experiment_dir>/<run_id or name>/seeds`. Default null.
    public var seedRunsDir: String?
    /// Keep every seed's run directory; `false` deletes all but the best one's. Default `true`.
    public var keepSeedRuns = true
    /// Reuse a seed's saved model (`seed-<n>/model/`) instead of training it again. Default `false`.
    public var useCache = false

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxSeeds = "max_seeds", minConvergentSeeds = "min_convergent_seeds"
        case convergentMetric = "convergent_metric", convergentScoreThreshold = "convergent_score_threshold"
        case seedRunsDir = "seed_runs_dir", keepSeedRuns = "keep_seed_runs", useCache = "use_cache"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        maxSeeds = try c.value(.maxSeeds, or: maxSeeds)
        // An explicit null means "no early stop": train all max_seeds.
        minConvergentSeeds = c.contains(.minConvergentSeeds)
            ? try c.decodeIfPresent(Int.self, forKey: .minConvergentSeeds) : minConvergentSeeds
        convergentMetric = try c.decodeIfPresent(String.self, forKey: .convergentMetric)
        convergentScoreThreshold = try c.decodeIfPresent(Double.self, forKey: .convergentScoreThreshold)
        seedRunsDir = try c.decodeIfPresent(String.self, forKey: .seedRunsDir)
        keepSeedRuns = try c.value(.keepSeedRuns, or: keepSeedRuns)
        useCache = try c.value(.useCache, or: useCache)
    }

    /// The metric convergence is judged on, as logged (`val_accuracy`): `convergent_metric` or
    /// `training.metric_to_monitor`.
    public func effectiveMetric(training: TrainingConfig) -> String {
        Monitor.normalized(convergentMetric ?? training.metricToMonitor)
    }

    /// Whether higher or lower values of the convergence metric are better: `training.metric_mode`
    /// when it is the monitored metric, else inferred from its name.
    public func effectiveMode(training: TrainingConfig) -> MetricMode {
        let metric = effectiveMetric(training: training)
        if metric == Monitor.normalized(training.metricToMonitor) { return training.effectiveMetricMode }
        return .inferred(forMetric: metric)
    }

    /// Several seeds are asked for, so `fledge train` runs the multi-seed loop.
    public var isMultiSeed: Bool { maxSeeds > 1 }
}

extension SeedsConfig {
    /// Checks the keys against each other and against the metrics the run measures.
    func validate(training: TrainingConfig, task: TaskKind) throws {
        try require(maxSeeds >= 1, "seeds.max_seeds", "seeds.max_seeds is \(maxSeeds); it must be at least 1")
        if let minimum = minConvergentSeeds {
            try require(minimum >= 1, "seeds.min_convergent_seeds",
                        "seeds.min_convergent_seeds is \(minimum); it must be at least 1 (null trains all seeds.max_seeds)")
            try require(minimum <= maxSeeds, "seeds.min_convergent_seeds",
                        "seeds.min_convergent_seeds (\(minimum)) is more than seeds.max_seeds (\(maxSeeds)); "
                            + "raise seeds.max_seeds or lower seeds.min_convergent_seeds")
        }
        if let threshold = convergentScoreThreshold {
            try require(threshold.isFinite, "seeds.convergent_score_threshold",
                        "seeds.convergent_score_threshold must be a finite number")
        }
        guard isMultiSeed else { return }
        try require(training.evalStrategy != .no, "seeds.max_seeds",
                    "seeds.max_seeds > 1 picks seeds on validation; set training.eval_strategy to epoch or steps")
        let metric = effectiveMetric(training: training)
        let measured = ["val_loss"] + (training.metrics ?? task.defaultMetrics).map { "val_" + $0.lowercased() }
        try require(measured.contains(metric.lowercased()), convergentMetric == nil ? "training.metric_to_monitor" : "seeds.convergent_metric",
                    "\(convergentMetric == nil ? "training.metric_to_monitor" : "seeds.convergent_metric") '\(metric)' "
                        + "is not measured on validation; use one of \(measured.joined(separator: ", "))")
    }
}
