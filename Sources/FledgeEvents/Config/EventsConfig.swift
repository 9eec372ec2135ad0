import FledgeTrain

/// A whole events-model configuration: where the events are, how time is split, what to
/// predict, and the network and training settings (FledgeTrain's sections).
///
/// ```yaml
/// experiment: {name: clickstream-churn, seed: 0}
/// data_sources:
///   - {type: event, path: Examples/Data/shop_clickstream_synthetic.csv, main_entity_column: user_id,
///      date_column: timestamp, date_format: "yyyy-MM-dd HH:mm:ss"}
/// data_params: {data_start_date: 2024-01-01, validation_start_date: 2024-05-01, test_start_date: 2024-06-01,
///               check_target_for_next_N_days: 28}
/// target: {type: churn}
/// model: {layers: [64, 32]}              # task follows from the target
/// training: {epochs: 30, learning_rate: 0.001}
/// ```
/// `fledge train` recognises it by its `data_sources` section. Load with `EventsConfig.load(path:overrides:)`.
public struct EventsConfig: ConfigSection {
    /// Naming, seed and run folder.
    public var experiment = ExperimentConfig()
    /// The tables: one `event` source, optionally `main_entity_attribute` and `attribute` sources.
    public var dataSources: [DataSourceConfig] = []
    /// Dates of the temporal split and feature settings.
    public var dataParams = EventDataParams()
    /// The declarative target (nil when a Swift `EventTask` is given instead).
    public var target: TargetConfig?
    /// The network; `model.task` is set from the target.
    public var model = ModelConfig()
    /// Loop, optimizer, schedule, early stopping and checkpoints.
    public var training = TrainingConfig()

    /// A configuration with every default and no sources.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case experiment
        case dataSources = "data_sources"
        case dataParams = "data_params"
        case target, model, training
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)
    public static let subsections: [String: any ConfigSection.Type] = [
        "experiment": ExperimentConfig.self, "data_params": EventDataParams.self, "target": TargetConfig.self,
        "model": ModelConfig.self, "training": TrainingConfig.self,
    ]

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        experiment = try c.value(.experiment, or: experiment)
        dataSources = try c.requiredDataSources(forKey: .dataSources)
        dataParams = try c.value(.dataParams, or: dataParams)
        target = try c.decodeIfPresent(TargetConfig.self, forKey: .target)
        model = try c.value(.model, or: model)
        training = try c.value(.training, or: training)
        if let target { model.task = target.type.taskKind.trainerTask }
    }

    /// Reads and checks an events config (unknown keys, types, `--set` overrides as for `FledgeConfig`).
    public static func load(path: String, overrides: [String] = []) throws -> EventsConfig {
        try ConfigFile.load(EventsConfig.self, path: path, overrides: overrides,
                            userInfo: [ModelConfig.taskIsOptional: true]) { try $0.validate() }
    }

    /// `load(path:)` on YAML text.
    public static func load(yaml: String, source: String = "events.yaml", overrides: [String] = []) throws -> EventsConfig {
        try ConfigFile.load(EventsConfig.self, yaml: yaml, source: source, overrides: overrides,
                            userInfo: [ModelConfig.taskIsOptional: true]) { try $0.validate() }
    }

    /// Whether a YAML file is an events config (it has `data_sources`), without loading it.
    public static func isEventsConfig(path: String) -> Bool {
        ConfigFile.topLevelKeys(path: path).contains(CodingKeys.dataSources.rawValue)
    }

    /// Checks the training settings the way `FledgeConfig` does.
    public func validate() throws {
        try trainerConfig(task: model.task).validate()
    }

    /// The FledgeTrain config the trainer runs with (the data section is unused: data comes from the events).
    public func trainerConfig(task: TaskKind) -> FledgeConfig {
        var config = FledgeConfig(task: task, trainPath: "<events>", labelColumn: "<target>")
        config.experiment = experiment
        config.model = model
        config.model.task = task
        config.training = training
        return config
    }
}

extension DeclarativeTarget.Kind {
    /// The task kind this target trains.
    public var taskKind: EventTaskKind {
        switch self {
        case .churn: .binary
        case .propensity: .multilabel
        case .favouriteCategory: .multiclass
        case .spend: .regression
        case .nextItems: .recommendation
        }
    }
}
