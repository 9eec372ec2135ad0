import FledgeTrain

/// A foundation-model pretraining configuration (`fledge pretrain pretrain.yaml`): an events config
/// without a target, plus how the behavioural representation is fitted and the network's shape.
///
/// ```yaml
/// experiment: {name: shop-foundation, seed: 0, experiment_dir: runs}
/// data_sources:
///   - {type: event, path: data/shop/events.csv, main_entity_column: customer_id, date_column: timestamp,
///      date_format: "yyyy-MM-dd HH:mm:ss", column_type_overrides: {product_id: id}}
/// data_params: {data_start_date: 2023-01-01, validation_start_date: 2023-11-01, check_target_for_next_N_days: 30,
///               maximum_splitpoints_per_entity: 8}
/// representation: {item_column: product_id, sketch_partitions: 16, sketch_buckets: 64}
/// foundation: {hidden_layers: [512, 512], dropout: 0.1}
/// training: {epochs: 10, batch_size: 256, learning_rate: 1.0e-3}
/// ```
/// Load with `PretrainConfig.load(path:overrides:)`; the whole config is saved in the checkpoint,
/// so fine-tuning inherits its sources, dates and training settings.
public struct PretrainConfig: ConfigSection {
    /// Naming, seed and run folder.
    public var experiment = ExperimentConfig()
    /// The tables: one `event` source, optionally `main_entity_attribute` and `attribute` sources.
    public var dataSources: [DataSourceConfig] = []
    /// Dates of the temporal split and feature settings (`target_sampling_strategy` is not used:
    /// pretraining draws split points between events).
    public var dataParams = EventDataParams()
    /// The item embeddings and sketches.
    public var representation = RepresentationParams()
    /// The network.
    public var foundation = FoundationParams()
    /// Loop, optimizer, schedule, early stopping and checkpoints (`metric_to_monitor` defaults to `val_loss`, the sketch loss).
    public var training = TrainingConfig()

    /// A configuration with every default and no sources.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case experiment
        case dataSources = "data_sources"
        case dataParams = "data_params"
        case representation, foundation, training
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)
    public static let subsections: [String: any ConfigSection.Type] = [
        "experiment": ExperimentConfig.self, "data_params": EventDataParams.self,
        "representation": RepresentationParams.self, "foundation": FoundationParams.self, "training": TrainingConfig.self,
    ]

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        experiment = try c.value(.experiment, or: experiment)
        dataSources = try c.requiredDataSources(forKey: .dataSources)
        guard c.contains(.dataParams) else {
            throw ConfigIssue(kind: .missingKey, keyPath: "data_params",
                              message: "data_params is required: set at least validation_start_date (pretraining split points end before it) and check_target_for_next_N_days")
        }
        dataParams = try c.value(.dataParams, or: dataParams)
        try dataParams.checkUsableByFoundationModel(at: c.codingPath + [CodingKeys.dataParams])
        representation = try c.value(.representation, or: representation)
        foundation = try c.value(.foundation, or: foundation)
        training = try c.value(.training, or: training)
    }

    /// Reads and checks a pretraining config (unknown keys, types, `--set` overrides as for `FledgeConfig`).
    public static func load(path: String, overrides: [String] = []) throws -> PretrainConfig {
        try ConfigFile.load(PretrainConfig.self, path: path, overrides: overrides) { try $0.validate() }
    }

    /// `load(path:)` on YAML text.
    public static func load(yaml: String, source: String = "pretrain.yaml", overrides: [String] = []) throws -> PretrainConfig {
        try ConfigFile.load(PretrainConfig.self, yaml: yaml, source: source, overrides: overrides) { try $0.validate() }
    }

    /// Checks what decoding cannot: validation_start_date is set, and the training settings as `FledgeConfig` does.
    public func validate() throws {
        guard dataParams.validationStartDate != nil else {
            throw ConfigError(kind: .missingKey, keyPath: "data_params.validation_start_date",
                              message: "data_params.validation_start_date is required to pretrain: the representation and the split points use only events before it, validation uses the window after it")
        }
        if training.metrics != nil {
            throw ConfigError(kind: .invalidValue, keyPath: "training.metrics",
                              message: "training.metrics: pretraining reports its own metrics (val_loss, the sketch loss, and val_recall@k; set k with foundation.top_k); remove training.metrics")
        }
        try representation.validate()
        try foundation.validate()
        try trainerConfig.validate()
    }

    /// The same sources, dates and training as an events config without a target (what
    /// `EventDatasets.openStore` and fine-tuning start from).
    public var eventsConfig: EventsConfig {
        var config = EventsConfig()
        config.experiment = experiment
        config.dataSources = dataSources
        config.dataParams = dataParams
        config.training = training
        config.model.layers = foundation.hiddenLayers
        config.model.dropout = foundation.dropout
        config.model.activation = foundation.activation
        config.model.normalization = foundation.normalization
        return config
    }

    /// The FledgeTrain config the trainer runs with: a regression of the sketch logits (the loss is the sketch loss).
    public var trainerConfig: FledgeConfig {
        eventsConfig.trainerConfig(task: .regression)
    }
}
