import Foundation

/// Mean ± standard deviation of one metric over several runs (seeds or folds).
///
/// `std` is the population standard deviation (divide by n, NumPy's `np.std` default, which is
/// how scikit-learn users report `cross_val_score(...).std()`); non-finite values are left out
/// and counted in `n` only when finite.
public struct MetricSummary: Codable, Equatable, Sendable {
    /// The mean of the finite values (NaN when there is none).
    public var mean: Double
    /// The population standard deviation of the finite values.
    public var std: Double
    /// The smallest and largest finite value.
    public var min: Double
    public var max: Double
    /// How many finite values there were.
    public var n: Int

    /// The summary of `values`.
    public init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        n = finite.count
        guard !finite.isEmpty else {
            (mean, std, min, max) = (.nan, .nan, .nan, .nan)
            return
        }
        let mean = finite.reduce(0, +) / Double(finite.count)
        self.mean = mean
        std = (finite.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(finite.count)).squareRoot()
        min = finite.min()!
        max = finite.max()!
    }

    /// One summary per metric name found in any of `runs`.
    public static func summarize(_ runs: [[String: Double]]) -> [String: MetricSummary] {
        let names = Set(runs.flatMap(\.keys))
        return Dictionary(uniqueKeysWithValues: names.map { name in (name, MetricSummary(runs.compactMap { $0[name] })) })
    }

    /// `0.9712 ± 0.0050` (four significant digits).
    public var text: String { String(format: "%.4g ± %.2g", mean, std) }

    /// One line per metric, sorted by name: `val_accuracy  0.9712 ± 0.0050  (n=3)`.
    public static func lines(_ summaries: [String: MetricSummary]) -> [String] {
        let width = summaries.keys.map(\.count).max() ?? 0
        return summaries.keys.sorted().map { name in
            name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(summaries[name]!.text)  (n=\(summaries[name]!.n))"
        }
    }

    // JSON has no NaN: a summary without values is written with nulls.
    enum CodingKeys: String, CodingKey { case mean, std, min, max, n }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in [(CodingKeys.mean, mean), (.std, std), (.min, min), (.max, max)] {
            if value.isFinite { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try c.encode(n, forKey: .n)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean) ?? .nan
        std = try c.decodeIfPresent(Double.self, forKey: .std) ?? .nan
        min = try c.decodeIfPresent(Double.self, forKey: .min) ?? .nan
        max = try c.decodeIfPresent(Double.self, forKey: .max) ?? .nan
        n = try c.decode(Int.self, forKey: .n)
    }
}

/// Writes `value` as pretty-printed JSON with sorted keys, atomically.
func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try encoder.encode(value).write(to: url, options: .atomic)
}
