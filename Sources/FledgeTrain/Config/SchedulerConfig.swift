/// `training.scheduler:` — the learning-rate schedule. Which keys matter depends on `type`:
/// step: step_size, gamma · multistep: milestones, gamma · exponential: gamma · cosine: eta_min ·
/// linear_warmup / cosine_warmup: warmup_steps or warmup_ratio · one_cycle: max_lr, pct_start ·
/// reduce_on_plateau: factor, patience (watching `training.metric_to_monitor`).
public struct SchedulerConfig: ConfigSection {
    /// constant, step, multistep, exponential, cosine, linear_warmup, cosine_warmup, one_cycle or
    /// reduce_on_plateau. Default `constant`.
    public var type: SchedulerKind = .constant
    /// Warmup length in optimizer steps (constant, linear_warmup, cosine_warmup). Default null (0).
    public var warmupSteps: Int?
    /// Warmup length as a fraction of all optimizer steps; give this or `warmup_steps`. Default null.
    public var warmupRatio: Double?
    /// Scheduler steps (epochs, or steps with `interval: step`) between decays of `step`. Default null.
    public var stepSize: Int?
    /// Scheduler steps at which `multistep` decays. Default `[]`.
    public var milestones: [Int] = []
    /// The decay factor of step, multistep and exponential. Default `0.1`.
    public var gamma = 0.1
    /// The lowest rate of `cosine`. Default `0.0`.
    public var etaMin = 0.0
    /// The peak rate of `one_cycle`; null uses `training.learning_rate`. Default null.
    public var maxLr: Double?
    /// The fraction of `one_cycle` spent raising the rate. Default `0.3`.
    public var pctStart = 0.3
    /// The factor `reduce_on_plateau` multiplies the rate by. Default `0.1`.
    public var factor = 0.1
    /// Validation checks without improvement before `reduce_on_plateau` reduces the rate. Default `10`.
    public var patience = 10
    /// `step` (after every optimizer step) or `epoch`; null picks the type's natural unit
    /// (step for warmups, one_cycle, cosine and constant; epoch for the others). Default null.
    public var interval: SchedulerInterval?

    /// A section with every default.
    public init() {}

    /// `interval`, or the unit the schedule type naturally counts.
    public var effectiveInterval: SchedulerInterval { interval ?? type.defaultInterval }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, warmupSteps = "warmup_steps", warmupRatio = "warmup_ratio", stepSize = "step_size"
        case milestones, gamma, etaMin = "eta_min", maxLr = "max_lr", pctStart = "pct_start"
        case factor, patience, interval
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        type = try c.value(.type, or: type)
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps)
        warmupRatio = try c.decodeIfPresent(Double.self, forKey: .warmupRatio)
        stepSize = try c.decodeIfPresent(Int.self, forKey: .stepSize)
        milestones = try c.value(.milestones, or: milestones)
        gamma = try c.value(.gamma, or: gamma)
        etaMin = try c.value(.etaMin, or: etaMin)
        maxLr = try c.decodeIfPresent(Double.self, forKey: .maxLr)
        pctStart = try c.value(.pctStart, or: pctStart)
        factor = try c.value(.factor, or: factor)
        patience = try c.value(.patience, or: patience)
        interval = try c.decodeIfPresent(SchedulerInterval.self, forKey: .interval)
    }
}
