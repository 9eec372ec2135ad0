/// A whole training configuration: one YAML file with the sections `experiment`, `data`, `model`,
/// `training` and `seeds`, every key snake_case with a documented default.
///
/// Load a file with `FledgeConfig.load(path:overrides:)`: unknown keys, wrong types and invalid
/// values are `ConfigError`s that name the file, line, column and key path (and the nearest valid
/// key); `--set training.learning_rate=3e-4` style overrides are applied before checking.
/// `resolvedYAML()` writes every key with its effective value (saved as `<run>/config.yaml`);
/// `template(task:)` is the commented starting point `fledge init --task` prints.
///
/// In Swift, start from the defaults and change what you need:
/// ```swift
/// var config = FledgeConfig(task: .multiclass, trainPath: "digits.csv", labelColumn: "digit")
/// config.training.optimizer = .adamw
/// try config.validate()
/// ```
public struct FledgeConfig: ConfigSection {
    /// Naming, seed and run folder.
    public var experiment = ExperimentConfig()
    /// Files, columns, splits and preprocessing.
    public var data = DataConfig()
    /// Task and network.
    public var model = ModelConfig()
    /// Loop, optimizer, schedule, early stopping and checkpoints.
    public var training = TrainingConfig()
    /// Multi-seed training: how many seeds, when they count as converged, where they go.
    public var seeds = SeedsConfig()

    /// A configuration with every default (task `binary`, no data paths).
    public init() {}

    /// A configuration with every default but the task and the data that every run needs.
    public init(task: TaskKind, trainPath: String? = nil, labelColumn: String? = nil) {
        model.task = task
        data.trainPath = trainPath
        data.labelColumn = labelColumn
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case experiment, data, model, training, seeds
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)
    public static let subsections: [String: any ConfigSection.Type] = [
        "experiment": ExperimentConfig.self, "data": DataConfig.self, "model": ModelConfig.self,
        "training": TrainingConfig.self, "seeds": SeedsConfig.self,
    ]

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        experiment = try c.value(.experiment, or: experiment)
        data = try c.value(.data, or: data)
        guard let model = try c.decodeIfPresent(ModelConfig.self, forKey: .model) else {
            throw ConfigIssue(kind: .missingKey, keyPath: "model.task",
                              message: "model.task is required; use one of \(TaskKind.validNames)")
        }
        self.model = model
        training = try c.value(.training, or: training)
        seeds = try c.value(.seeds, or: seeds)
    }
}
