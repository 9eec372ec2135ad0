import Foundation

/// `seeds/seed_report.json`: what a multi-seed run tried, which seeds converged and which won
/// (the keys of GRADIEND's seed report). Every key is always written; unknown values are null.
public struct SeedReport: Codable, Equatable, Sendable {
    /// The metric convergence was judged on, as logged (`val_accuracy`).
    public var convergenceMetric: String
    /// `seeds.convergent_score_threshold` (null: every finite value converges).
    public var threshold: Double?
    /// `seeds.min_convergent_seeds` (null: all `max_seeds` are trained).
    public var minConvergentSeeds: Int?
    /// `seeds.max_seeds`.
    public var maxSeeds: Int
    /// How many seeds were trained or loaded from the cache.
    public var seedsTried: Int
    /// How many of them converged.
    public var convergentCount: Int
    /// The seed whose model was kept (best selection score among the converged seeds, or among
    /// all seeds when none converged).
    public var bestSeed: UInt64?
    /// That seed's selection score.
    public var bestSelectionScore: Double?
    /// Why the loop stopped before `max_seeds` (enough seeds converged), or null when it tried them all.
    public var earlyStopReason: String?
    /// One entry per seed tried, in order.
    public var runs: [SeedRun]

    /// The file name inside the seeds directory.
    public static let fileName = "seed_report.json"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case convergenceMetric = "convergence_metric", threshold, minConvergentSeeds = "min_convergent_seeds"
        case maxSeeds = "max_seeds", seedsTried = "seeds_tried", convergentCount = "convergent_count"
        case bestSeed = "best_seed", bestSelectionScore = "best_selection_score"
        case earlyStopReason = "early_stop_reason", runs
    }

    /// Creates a report.
    public init(convergenceMetric: String, threshold: Double?, minConvergentSeeds: Int?, maxSeeds: Int,
                seedsTried: Int, convergentCount: Int, bestSeed: UInt64?, bestSelectionScore: Double?,
                earlyStopReason: String?, runs: [SeedRun]) {
        self.convergenceMetric = convergenceMetric
        self.threshold = threshold
        self.minConvergentSeeds = minConvergentSeeds
        self.maxSeeds = maxSeeds
        self.seedsTried = seedsTried
        self.convergentCount = convergentCount
        self.bestSeed = bestSeed
        self.bestSelectionScore = bestSelectionScore
        self.earlyStopReason = earlyStopReason
        self.runs = runs
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(convergenceMetric, forKey: .convergenceMetric)
        try c.encodeFinite(threshold, forKey: .threshold)
        try c.encode(minConvergentSeeds, forKey: .minConvergentSeeds)
        try c.encode(maxSeeds, forKey: .maxSeeds)
        try c.encode(seedsTried, forKey: .seedsTried)
        try c.encode(convergentCount, forKey: .convergentCount)
        try c.encode(bestSeed, forKey: .bestSeed)
        try c.encodeFinite(bestSelectionScore, forKey: .bestSelectionScore)
        try c.encode(earlyStopReason, forKey: .earlyStopReason)
        try c.encode(runs, forKey: .runs)
    }

    /// Reads a report written by `MultiSeedRunner`.
    public static func read(from url: URL) throws -> SeedReport {
        try JSONDecoder().decode(SeedReport.self, from: Data(contentsOf: url))
    }
}

/// One seed's entry in `SeedReport.runs`.
public struct SeedRun: Codable, Equatable, Sendable {
    /// The seed (`experiment.seed + i`).
    public var seed: UInt64
    /// The seed's run directory (deleted afterwards unless it is the best or `keep_seed_runs`).
    public var outputDir: String
    /// Trained in this invocation.
    public var trained: Bool
    /// Loaded from a saved model instead (`seeds.use_cache`).
    public var usedCache: Bool
    /// The convergence metric on the training split (the final model).
    public var trainingScore: Double?
    /// The convergence metric on the validation split (the final model).
    public var evalScore: Double?
    /// The score seeds are ranked by, higher is better: `eval_score`, negated for metrics that
    /// are minimised (losses, errors).
    public var selectionScore: Double?
    /// The value compared with the threshold: `eval_score`.
    public var convergenceMetricValue: Double?
    /// The threshold it was compared with.
    public var threshold: Double?
    /// `convergence_metric_value` is finite and reaches `threshold` in the metric's direction.
    public var converged: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seed, outputDir = "output_dir", trained, usedCache = "used_cache"
        case trainingScore = "training_score", evalScore = "eval_score", selectionScore = "selection_score"
        case convergenceMetricValue = "convergence_metric_value", threshold, converged
    }

    /// Creates an entry.
    public init(seed: UInt64, outputDir: String, trained: Bool, usedCache: Bool, trainingScore: Double?,
                evalScore: Double?, selectionScore: Double?, convergenceMetricValue: Double?, threshold: Double?,
                converged: Bool) {
        self.seed = seed
        self.outputDir = outputDir
        self.trained = trained
        self.usedCache = usedCache
        self.trainingScore = trainingScore
        self.evalScore = evalScore
        self.selectionScore = selectionScore
        self.convergenceMetricValue = convergenceMetricValue
        self.threshold = threshold
        self.converged = converged
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(outputDir, forKey: .outputDir)
        try c.encode(trained, forKey: .trained)
        try c.encode(usedCache, forKey: .usedCache)
        try c.encodeFinite(trainingScore, forKey: .trainingScore)
        try c.encodeFinite(evalScore, forKey: .evalScore)
        try c.encodeFinite(selectionScore, forKey: .selectionScore)
        try c.encodeFinite(convergenceMetricValue, forKey: .convergenceMetricValue)
        try c.encodeFinite(threshold, forKey: .threshold)
        try c.encode(converged, forKey: .converged)
    }
}

extension KeyedEncodingContainer {
    /// Writes `value`, or null when it is nil or not finite (JSON has no NaN), so the key is always present.
    mutating func encodeFinite(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
