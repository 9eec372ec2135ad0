/// One entry of `tune.params`: how to search one config key.
///
/// ```yaml
/// training.learning_rate: {type: float, low: 1e-4, high: 1e-1, log: true}
/// model.layers: {type: categorical, choices: [[64], [128, 64]]}
/// training.momentum: {type: float, low: 0.5, high: 0.99, condition: {training.optimizer: sgd}}
/// ```
public struct TuneParamConfig: ConfigSection {
    /// `float`, `int` or `categorical`.
    public var type = TuneParamKind.float
    /// Float and int: the smallest value. Required for them.
    public var low: Double?
    /// Float and int: the largest value (included). Required for them.
    public var high: Double?
    /// Float and int: sample uniformly in log space (bounds must be positive). Default `false`.
    public var log = false
    /// Float and int: values are low + k·step (int default 1). Not with `log`. Default null.
    public var step: Double?
    /// Categorical: the values to choose among (any YAML scalar or list). Required for it.
    public var choices: [ConfigValue]?
    /// Searched only when another categorical parameter has the given value (`{training.optimizer: sgd}`).
    public var condition: [String: ConfigValue]?

    /// A parameter with every default (a float with no bounds yet).
    public init() {}

    /// A float or int parameter.
    public init(type: TuneParamKind, low: Double, high: Double, log: Bool = false, step: Double? = nil) {
        self.type = type
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }

    /// A categorical parameter.
    public init(choices: [ConfigValue]) {
        type = .categorical
        self.choices = choices
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, low, high, log, step, choices, condition
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        type = try c.value(.type, or: type)
        low = try c.decodeIfPresent(Double.self, forKey: .low)
        high = try c.decodeIfPresent(Double.self, forKey: .high)
        log = try c.value(.log, or: log)
        step = try c.decodeIfPresent(Double.self, forKey: .step)
        choices = try c.decodeIfPresent([ConfigValue].self, forKey: .choices)
        condition = try c.decodeIfPresent([String: ConfigValue].self, forKey: .condition)
    }
}

/// The kinds of searched parameter.
public enum TuneParamKind: String, ConfigOption {
    case float, int, categorical
}
