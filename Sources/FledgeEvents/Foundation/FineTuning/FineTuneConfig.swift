import FledgeTrain

/// `finetune.yaml` — a downstream task on a pretrained foundation model. Everything but the target
/// is inherited from the pretraining config stored in the checkpoint; each section given here
/// overrides it key by key (nested mappings merge, lists and values replace, `key: null` clears).
///
/// ```yaml
/// target: {type: churn, event_column: event, events: [purchase]}     # required (or a Swift task)
/// data_params: {check_target_for_next_N_days: 14, training_entity_fraction: 0.3}
/// training: {epochs: 5, learning_rate: 3.0e-4, metric_to_monitor: val_auroc}
/// fine_tuning: {warm_start_steps: 50}
/// loading_config: {clicks: {path: data/clicks-2025.csv}}          # one data source's keys
/// experiment: {name: churn-finetune}
/// ```
/// Not inherited (they belong to the pretraining run and task): `experiment.run_id`,
/// `training.loss`, `training.metrics`. `data_params.target_sampling_strategy` must stay `random`.
/// docs/foundation.md ("Fine-tuning") maps every MonadDataParams / MonadTrainingParams field to its key.
public struct FineTuneConfig: ConfigSection {
    /// The resolved events configuration: the pretraining config with this file's overrides and target.
    public var events: EventsConfig
    /// The `fine_tuning:` section.
    public var fineTuning = FineTuningParams()

    /// A fine-tuning config that changes nothing of `base` but its target.
    public init(base: EventsConfig, target: TargetConfig? = nil) {
        events = Self.inheritable(base)
        events.target = target
        if let target { events.model.task = target.type.taskKind.trainerTask }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case experiment
        case dataSources = "data_sources"
        case dataParams = "data_params"
        case target, training
        case loadingConfig = "loading_config"
        case fineTuning = "fine_tuning"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)
    public static let subsections: [String: any ConfigSection.Type] = [
        "experiment": ExperimentConfig.self, "data_params": EventDataParams.self, "target": TargetConfig.self,
        "training": TrainingConfig.self, "fine_tuning": FineTuningParams.self,
    ]

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var events = EventsConfig()
        events.experiment = try c.value(.experiment, or: events.experiment)
        events.dataSources = try c.value(.dataSources, or: [])
        events.dataParams = try c.value(.dataParams, or: events.dataParams)
        events.target = try c.decodeIfPresent(TargetConfig.self, forKey: .target)
        events.training = try c.value(.training, or: events.training)
        if let target = events.target { events.model.task = target.type.taskKind.trainerTask }
        guard events.dataParams.targetSamplingStrategy == .random else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.dataParams, FieldKey("target_sampling_strategy")],
                                           "must be random for a foundation model (its split points are drawn uniformly, as in pretraining), got \(events.dataParams.targetSamplingStrategy.rawValue)")
        }
        try events.dataParams.checkUsableByFoundationModel(at: c.codingPath + [CodingKeys.dataParams])
        if c.contains(.loadingConfig) {
            events.dataSources = try Self.applyingLoadingConfig(c.nestedContainer(keyedBy: FieldKey.self, forKey: .loadingConfig),
                                                                to: events.dataSources)
        }
        self.events = events
        fineTuning = try c.value(.fineTuning, or: fineTuning)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(events.experiment, forKey: .experiment)
        try c.encode(events.dataSources, forKey: .dataSources)
        try c.encode(events.dataParams, forKey: .dataParams)
        try c.encodeIfPresent(events.target, forKey: .target)
        try c.encode(events.training, forKey: .training)
        try c.encode(fineTuning, forKey: .fineTuning)
    }

    /// Reads `finetune.yaml` layered over `base` (the pretraining config), applies `overrides`
    /// (`--set training.epochs=3`) and checks it. Errors name the file, line and key.
    public static func load(path: String, base: EventsConfig, overrides: [String] = []) throws -> FineTuneConfig {
        try ConfigFile.load(FineTuneConfig.self, path: path, overrides: overrides, userInfo: [ModelConfig.taskIsOptional: true],
                            underlay: FineTuneConfig(base: base)) { try $0.events.validate() }
    }

    /// `load(path:base:overrides:)` on YAML text.
    public static func load(yaml: String, base: EventsConfig, source: String = "finetune.yaml",
                            overrides: [String] = []) throws -> FineTuneConfig {
        try ConfigFile.load(FineTuneConfig.self, yaml: yaml, source: source, overrides: overrides,
                            userInfo: [ModelConfig.taskIsOptional: true],
                            underlay: FineTuneConfig(base: base)) { try $0.events.validate() }
    }

    /// `load(path:base:overrides:)`, or only `overrides` over `base` when `path` is nil (Swift
    /// callers that pass no finetune.yaml).
    public static func load(path: String?, base: EventsConfig, overrides: [String] = []) throws -> FineTuneConfig {
        guard let path else { return try load(yaml: "{}", base: base, source: "--set", overrides: overrides) }
        return try load(path: path, base: base, overrides: overrides)
    }

    /// The checkpoint a finetune.yaml names in `data_params.features_path` (after `overrides`).
    /// - Throws: `EventsError.invalidSetup` when it names none; `ConfigError` for a file that cannot be read.
    public static func featuresPath(configPath: String, overrides: [String] = []) throws -> String {
        let probe = try ConfigFile.load(FeaturesPathProbe.self, path: configPath, overrides: overrides)
        guard let path = probe.featuresPath else {
            throw EventsError.invalidSetup("\(configPath): no foundation checkpoint; pass --foundation <pretraining run> or set data_params.features_path")
        }
        return path
    }

    /// What fine-tuning inherits from a pretraining config: all of it but the run id, the loss
    /// and the metrics (they belong to the pretraining run and its self-supervised task).
    static func inheritable(_ base: EventsConfig) -> EventsConfig {
        var config = base
        config.experiment.runId = nil
        config.training.loss = nil
        config.training.metrics = nil
        config.target = nil
        config.model = ModelConfig()
        return config
    }

    /// `loading_config: {<source name>: {key: value}}`: each named source takes the given keys.
    private static func applyingLoadingConfig(_ byName: KeyedDecodingContainer<FieldKey>,
                                              to sources: [DataSourceConfig]) throws -> [DataSourceConfig] {
        var sources = sources
        let names = sources.map(\.displayName)
        for key in byName.allKeys {
            let path = keyPathString(byName.codingPath + [key])
            guard let index = names.firstIndex(of: key.stringValue) else {
                throw ConfigIssue(kind: .unknownKey(suggestion: nil), keyPath: path,
                                  message: "\(path): no data source is named \"\(key.stringValue)\"; the pretraining config's sources are \(names.joined(separator: ", "))")
            }
            let entry = try byName.nestedContainer(keyedBy: FieldKey.self, forKey: key)
            if entry.contains(FieldKey("datasource_cfg")) {
                throw ConfigIssue(kind: .invalidValue, keyPath: path + ".datasource_cfg",
                                  message: "\(path).datasource_cfg: a source's definition cannot be replaced when fine-tuning (the foundation model's features depend on it); override its keys directly, e.g. loading_config: {\(key.stringValue): {path: new.csv}}")
            }
            let given = try byName.decode(DataSourceConfig.self, forKey: key)
            for field in entry.allKeys { sources[index].take(field.stringValue, from: given) }
        }
        return sources
    }
}

/// `fine_tuning:` — what only fine-tuning has.
public struct FineTuningParams: ConfigSection {
    /// Optimizer steps during which only the new head trains (the backbone is frozen), then the
    /// whole network trains. Default 0 (everything trains from the first step).
    public var warmStartSteps = 0
    /// Train the same architecture from freshly initialised weights instead of the pretrained
    /// backbone (the from-scratch baseline; `fledge finetune --from-scratch`). Default `false`.
    public var fromScratch = false
    /// The backbone's learning rate as a multiple of `training.learning_rate` (the new head keeps
    /// the full rate): discriminative fine-tuning, so a small labelled set moves the pretrained
    /// weights less than the head. Default 1 (one rate for all); must be above 0 (a frozen backbone
    /// is `warm_start_steps` longer than the run). Ignored with `from_scratch` (no pretrained weights).
    public var backboneLearningRateMultiplier = 1.0
    /// L2-SP: the coefficient α of the penalty `α/2 · ‖w − w₀‖²` that pulls every backbone weight
    /// toward its pretrained value `w₀` (weight decay toward the pretrained weights instead of toward
    /// zero; the `L2SP` callback adds its gradient before each optimizer step). Default 0 (off);
    /// must be 0 or more. Ignored with `from_scratch`.
    public var l2spStrength = 0.0

    /// Every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case warmStartSteps = "warm_start_steps"
        case fromScratch = "from_scratch"
        case backboneLearningRateMultiplier = "backbone_learning_rate_multiplier"
        case l2spStrength = "l2sp_strength"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        warmStartSteps = try c.value(.warmStartSteps, or: warmStartSteps)
        fromScratch = try c.value(.fromScratch, or: fromScratch)
        backboneLearningRateMultiplier = try c.value(.backboneLearningRateMultiplier, or: backboneLearningRateMultiplier)
        l2spStrength = try c.value(.l2spStrength, or: l2spStrength)
        guard warmStartSteps >= 0 else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.warmStartSteps], "must be 0 or more, got \(warmStartSteps)")
        }
        guard backboneLearningRateMultiplier > 0, backboneLearningRateMultiplier.isFinite else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.backboneLearningRateMultiplier],
                                           "must be a finite number above 0 (1 = the head's rate; to keep the backbone frozen, set warm_start_steps beyond the run), got \(backboneLearningRateMultiplier)")
        }
        guard l2spStrength >= 0, l2spStrength.isFinite else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.l2spStrength],
                                           "must be a finite number, 0 (off) or more, got \(l2spStrength)")
        }
    }
}

/// Reads only `data_params.features_path` of a finetune.yaml (before the checkpoint, and so the
/// base config, is known); the full load checks every key afterwards.
struct FeaturesPathProbe: ConfigSection {
    var featuresPath: String?
    static let keyNames: [String] = []

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        guard c.contains(FieldKey("data_params")) else { return }
        let params = try c.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("data_params"))
        featuresPath = try params.decodeIfPresent(String.self, forKey: FieldKey("features_path"))
    }

    func encode(to encoder: Encoder) throws {}
}

/// A coding key for names the schema does not fix (source names, present-key lists).
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

extension DataSourceConfig {
    /// Sets the field whose YAML key is `key` to `other`'s value (a key `other` was decoded with).
    mutating func take(_ key: String, from other: DataSourceConfig) {
        guard let field = CodingKeys(rawValue: key) else { return }
        switch field {
        case .type: type = other.type
        case .name: name = other.name
        case .path: path = other.path
        case .format: format = other.format
        case .connection: connection = other.connection
        case .table: table = other.table
        case .query: query = other.query
        case .delimiter: delimiter = other.delimiter
        case .mainEntityColumn: mainEntityColumn = other.mainEntityColumn
        case .dateColumn: dateColumn = other.dateColumn
        case .dateFormat: dateFormat = other.dateFormat
        case .joinKey: joinKey = other.joinKey
        case .allowedColumns: allowedColumns = other.allowedColumns
        case .disallowedColumns: disallowedColumns = other.disallowedColumns
        case .columnTypeOverrides: columnTypeOverrides = other.columnTypeOverrides
        case .numQueryChunks: numQueryChunks = other.numQueryChunks
        }
    }
}
