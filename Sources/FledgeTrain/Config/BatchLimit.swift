/// A number of batches given as a count or as a fraction, as Lightning's `limit_train_batches`:
/// an integer is that many batches, a number with a decimal point is that fraction of them
/// (`1.0` = all, `0.25` = a quarter, `10` = ten batches).
public enum BatchLimit: Codable, Equatable, Sendable {
    /// Exactly this many batches (capped at the number available).
    case count(Int)
    /// This fraction of the batches, in [0, 1].
    case fraction(Double)

    /// All batches.
    public static let all = BatchLimit.fraction(1)

    /// The number of batches to use out of `available`: a fraction rounds down but keeps at least
    /// one batch when the fraction is positive.
    public func batches(outOf available: Int) -> Int {
        switch self {
        case .count(let count): return min(count, available)
        case .fraction(let fraction):
            guard fraction > 0, available > 0 else { return 0 }
            return min(available, max(1, Int(Double(available) * fraction)))
        }
    }

    /// True when this limit selects no batches at all.
    public var isZero: Bool {
        switch self {
        case .count(let count): count == 0
        case .fraction(let fraction): fraction == 0
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .count(count)
        } else if let fraction = try? container.decode(Double.self) {
            self = .fraction(fraction)
        } else if let text = try? container.decode(String.self), let fraction = Double(text), text.contains(".") {
            self = .fraction(fraction)      // how JSON keeps a whole fraction such as 1.0 apart from a count
        } else {
            let text = (try? container.decode(String.self)).map { "'\($0)'" } ?? "this value"
            throw ConfigIssue(kind: .typeMismatch(expected: "an integer or a fraction"),
                              keyPath: keyPathString(decoder.codingPath),
                              message: "\(keyPathString(decoder.codingPath)): expected an integer (batches) or a fraction "
                                  + "such as 0.25, got \(text)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .count(let count): try container.encode(count)
        case .fraction(let fraction):
            // JSON writes 1.0 as 1, which would read back as a count of one batch: outside YAML
            // (events.json, foundation.json) a whole fraction is written as the text "1.0".
            let isYAML = String(reflecting: type(of: encoder)).hasPrefix("Yams.")
            if !isYAML && fraction == fraction.rounded() {
                try container.encode(String(format: "%.1f", fraction))
            } else {
                try container.encode(fraction)
            }
        }
    }
}
