import Foundation

/// How the CLI shows metric values: sorted by name, four significant digits on the terminal,
/// full precision in JSON files.
enum MetricsText {
    /// `accuracy 0.9767  loss 0.0712` on one line.
    static func inline(_ metrics: [String: Double]) -> String {
        metrics.keys.sorted().map { "\($0) \(format(metrics[$0]!))" }.joined(separator: "  ")
    }

    /// One value with four significant digits.
    static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    /// The metrics as a pretty-printed JSON object with sorted keys.
    static func json(_ metrics: [String: Double]) throws -> Data {
        // JSON has no NaN or infinity; write them as null so the file stays valid.
        let values = metrics.mapValues { $0.isFinite ? Optional($0) : nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(values)
    }
}
