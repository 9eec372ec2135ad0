/// `training.checkpoint:` — when checkpoints are written and how many are kept. The best
/// `save_top_k` (by `metric_to_monitor`) and the most recent `save_total_limit` are kept
/// separately, as Hugging Face keeps the best checkpoint beyond its total limit.
public struct CheckpointConfig: ConfigSection {
    /// `best`, `steps`, `epoch` or `no`. Default `epoch`.
    public var saveStrategy: SaveStrategy = .epoch
    /// Optimizer steps between checkpoints when `save_strategy: steps`. Default null.
    public var saveSteps: Int?
    /// How many of the best checkpoints to keep (-1 keeps all, 0 none). Default `1`.
    public var saveTopK = 1
    /// How many of the most recent checkpoints to keep besides the best; null keeps all. Default null.
    public var saveTotalLimit: Int?
    /// Epochs between checkpoints when `save_strategy: epoch`. Default `1`.
    public var checkpointInterval = 1
    /// Always write a `last` checkpoint (the one `--resume last` uses). Default `true`.
    public var saveLast = true
    /// Save only the model weights (no optimizer/scheduler state; such a checkpoint cannot resume). Default `false`.
    public var weightsOnly = false

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case saveStrategy = "save_strategy", saveSteps = "save_steps", saveTopK = "save_top_k"
        case saveTotalLimit = "save_total_limit", checkpointInterval = "checkpoint_interval"
        case saveLast = "save_last", weightsOnly = "weights_only"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        saveStrategy = try c.value(.saveStrategy, or: saveStrategy)
        saveSteps = try c.decodeIfPresent(Int.self, forKey: .saveSteps)
        saveTopK = try c.value(.saveTopK, or: saveTopK)
        saveTotalLimit = try c.decodeIfPresent(Int.self, forKey: .saveTotalLimit)
        checkpointInterval = try c.value(.checkpointInterval, or: checkpointInterval)
        saveLast = try c.value(.saveLast, or: saveLast)
        weightsOnly = try c.value(.weightsOnly, or: weightsOnly)
    }
}
