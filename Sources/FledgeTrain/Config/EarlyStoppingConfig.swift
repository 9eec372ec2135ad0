/// `training.early_stopping:` — stop when the monitored metric stops improving (Lightning's
/// `EarlyStopping`). Patience counts validation checks, not epochs.
public struct EarlyStoppingConfig: ConfigSection {
    /// The metric to watch; null uses `training.metric_to_monitor`. Default null.
    public var monitor: String?
    /// `min` or `max`; null infers it from the metric's name. Default null.
    public var mode: MetricMode?
    /// Validation checks without improvement before stopping. Default `3`.
    public var patience = 3
    /// The least change that counts as an improvement. Default `0.0`.
    public var minDelta = 0.0
    /// Stop as soon as the metric is NaN or infinite. Default `true`.
    public var checkFinite = true
    /// Stop as soon as the metric is worse than this (above it for `min`, below for `max`). Default null.
    public var divergenceThreshold: Double?
    /// Validation checks made within the first `start_from_step` optimizer steps neither set the best
    /// value nor use up patience (a warm-up in which no improvement is expected, as Keras's
    /// `start_from_epoch`; fine-tuning raises it to `fine_tuning.warm_start_steps`). Default `0`.
    public var startFromStep = 0

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case monitor, mode, patience, minDelta = "min_delta", checkFinite = "check_finite"
        case divergenceThreshold = "divergence_threshold", startFromStep = "start_from_step"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        monitor = try c.decodeIfPresent(String.self, forKey: .monitor)
        mode = try c.decodeIfPresent(MetricMode.self, forKey: .mode)
        patience = try c.value(.patience, or: patience)
        minDelta = try c.value(.minDelta, or: minDelta)
        checkFinite = try c.value(.checkFinite, or: checkFinite)
        divergenceThreshold = try c.decodeIfPresent(Double.self, forKey: .divergenceThreshold)
        startFromStep = try c.value(.startFromStep, or: startFromStep)
    }
}
