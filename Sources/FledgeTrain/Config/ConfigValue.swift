/// Any scalar or list a config key can hold (`0.1`, `64`, `sgd`, `true`, `[128, 64]`): the type of
/// the values a search space chooses among, kept as written so it can be applied as an override.
public indirect enum ConfigValue: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A number with a fraction or exponent.
    case double(Double)
    /// Text.
    case string(String)
    /// A list (`[128, 64]`).
    case list([ConfigValue])

    public init(from decoder: Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var values: [ConfigValue] = []
            while !list.isAtEnd { values.append(try list.decode(ConfigValue.self)) }
            self = .list(values)
            return
        }
        let c = try decoder.singleValueContainer()
        if let value = try? c.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? c.decode(Int.self) {
            self = .int(value)
        } else if let value = try? c.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .bool(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .int(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .double(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .string(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .list(let values): var c = encoder.unkeyedContainer(); for v in values { try c.encode(v) }
        }
    }

    /// The value as one line of YAML (`0.001`, `sgd`, `[128, 64]`), quoted where a plain string would read as
    /// something else: the text a `--set key=value` override takes.
    public var yamlText: String {
        switch self {
        case .bool(let v): return v ? "true" : "false"
        case .int(let v): return "\(v)"
        case .double(let v): return "\(v)"
        case .list(let values): return "[" + values.map(\.yamlText).joined(separator: ", ") + "]"
        case .string(let s):
            let special = s.isEmpty || Double(s) != nil || ["true", "false", "null", "~", "yes", "no"].contains(s.lowercased())
                || s.contains(where: { ":#[]{},&*!|>'\"%@`".contains($0) }) || s.first == " " || s.last == " "
            guard special else { return s }
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    public var description: String { yamlText }

    /// The number this value holds, if it is one.
    public var number: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }
}
