import Foundation
import FledgeTrain

/// One searched parameter: a config key path, its distribution, and the categorical value of
/// another parameter it depends on (if any).
public struct SearchParameter: Sendable, Equatable {
    /// The config key path (`training.learning_rate`); also the parameter's name in the study.
    public var name: String
    /// The values it can take.
    public var distribution: Distribution
    /// Searched only when the parameter `parent` has the choice index `choice`.
    public var condition: (parent: String, choice: Int)?

    /// A parameter, conditional when `condition` is given.
    public init(name: String, distribution: Distribution, condition: (parent: String, choice: Int)? = nil) {
        self.name = name
        self.distribution = distribution
        self.condition = condition
    }

    public static func == (a: SearchParameter, b: SearchParameter) -> Bool {
        a.name == b.name && a.distribution == b.distribution && a.condition?.parent == b.condition?.parent
            && a.condition?.choice == b.condition?.choice
    }
}

/// The parameters a study searches, in a fixed order (unconditional ones first, each sorted by name)
/// so conditions can be decided while sampling.
public struct SearchSpace: Sendable, Equatable {
    /// The parameters, parents before the parameters that depend on them.
    public let parameters: [SearchParameter]

    /// A space from parameters; they are reordered parents first.
    public init(_ parameters: [SearchParameter]) {
        let sorted = parameters.sorted { $0.name < $1.name }
        self.parameters = sorted.filter { $0.condition == nil } + sorted.filter { $0.condition != nil }
    }

    /// The space a config's `tune.params` describes, after `TuneConfig.validate()` (so a bad space
    /// is rejected here, before any trial, with the key path).
    public init(config: TuneConfig) throws {
        try config.validate()
        var parameters: [SearchParameter] = []
        for (name, spec) in config.params {
            let distribution: Distribution
            switch spec.type {
            case .float:
                distribution = .float(low: spec.low!, high: spec.high!, log: spec.log, step: spec.step)
            case .int:
                distribution = .int(low: Int(spec.low!), high: Int(spec.high!), log: spec.log, step: Int(spec.step ?? 1))
            case .categorical:
                distribution = .categorical(spec.choices!)
            }
            var condition: (String, Int)?
            if let (parent, value) = spec.condition?.first, let index = config.params[parent]?.choices?.firstIndex(of: value) {
                condition = (parent, index)
            }
            parameters.append(SearchParameter(name: name, distribution: distribution, condition: condition))
        }
        self.init(parameters)
    }

    /// The parameter called `name`.
    public subscript(name: String) -> SearchParameter? { parameters.first { $0.name == name } }

    /// Whether `parameter` is searched given the values chosen so far for its parent.
    public func isActive(_ parameter: SearchParameter, given params: [String: Double]) -> Bool {
        guard let condition = parameter.condition else { return true }
        return params[condition.parent].map { Int($0) == condition.choice } ?? false
    }

    /// A short digest of the space: workers and resumed runs must agree on it to share a study.
    public var fingerprint: String {
        let text = parameters.map { p in
            "\(p.name)=\(p.distribution.canonical)" + (p.condition.map { "|if \($0.parent)=\($0.choice)" } ?? "")
        }.joined(separator: ";")
        return String(format: "%016llx", StableHash.fnv1a(text))
    }

    /// The config values of stored parameters, by name.
    public func configValues(_ params: [String: Double]) -> [String: ConfigValue] {
        var values: [String: ConfigValue] = [:]
        for parameter in parameters {
            if let stored = params[parameter.name] { values[parameter.name] = parameter.distribution.configValue(stored) }
        }
        return values
    }

    /// The `key.path=value` overrides that apply stored parameters to a config (as `--set` does).
    public func overrides(_ params: [String: Double]) -> [String] {
        configValues(params).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.yamlText)" }
    }
}

/// A hash that is the same in every process and run (Swift's `Hasher` is randomly seeded).
enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// A seed for one trial and one parameter, derived from the sampler seed alone, so any worker
    /// samples trial n identically.
    static func seed(_ samplerSeed: UInt64, trial: Int, parameter: String) -> UInt64 {
        var z = samplerSeed ^ (UInt64(truncatingIfNeeded: trial) &* 0x9E37_79B9_7F4A_7C15) ^ fnv1a(parameter)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
