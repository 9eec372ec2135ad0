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
        case .fraction(let fraction): try container.encode(fraction)
        }
    }
}
