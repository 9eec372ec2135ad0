import FledgeTrain

/// `representation:` — how the behavioural representation of a foundation model is fitted:
/// Cleora item embeddings and EMDE density sketches (docs/foundation.md, "Representation").
///
/// ```yaml
/// representation:
///   item_column: product_id      # default: the id column with most values, else the categorical one
///   embedding_dimension: 64
///   cleora_iterations: 4
///   sketch_partitions: 16        # K
///   sketch_buckets: 64           # B, a power of two (log2 B hyperplanes per partition)
///   half_lives_days: [7, 30, 180]
/// ```
/// Unknown keys and out-of-range values are errors naming the key path (`representation.sketch_buckets`).
public struct RepresentationParams: ConfigSection {
    /// The event column whose values are the items; nil picks the `id` column with the most values,
    /// else the `categorical` one with the most values.
    public var itemColumn: String?
    /// The width of an item embedding. Default 64.
    public var embeddingDimension = 64
    /// How many propagation steps Cleora takes. Default 4.
    public var cleoraIterations = 4
    /// How many independent partitions (hash functions) a sketch has: K. Default 16.
    public var sketchPartitions = 16
    /// Buckets per partition: B, a power of two (`log2 B` hyperplanes cut the space). Default 64.
    public var sketchBuckets = 64
    /// The half-lives (days) of the decayed input ("recency") sketches, one sketch each. Default `[7, 30, 180]`.
    public var halfLivesDays: [Double] = [7, 30, 180]

    /// Parameters with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case itemColumn = "item_column"
        case embeddingDimension = "embedding_dimension"
        case cleoraIterations = "cleora_iterations"
        case sketchPartitions = "sketch_partitions"
        case sketchBuckets = "sketch_buckets"
        case halfLivesDays = "half_lives_days"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        itemColumn = try c.decodeIfPresent(String.self, forKey: .itemColumn)
        embeddingDimension = try c.value(.embeddingDimension, or: embeddingDimension)
        cleoraIterations = try c.value(.cleoraIterations, or: cleoraIterations)
        sketchPartitions = try c.value(.sketchPartitions, or: sketchPartitions)
        sketchBuckets = try c.value(.sketchBuckets, or: sketchBuckets)
        halfLivesDays = try c.value(.halfLivesDays, or: halfLivesDays)
        if let (key, message) = problem() {
            throw ConfigIssue.invalidValue(at: c.codingPath + [key], message)
        }
    }

    /// Checks the values (for parameters built in Swift; loading a file checks them already).
    /// - Throws: `ConfigError` naming `<section>.<key>` and the allowed range.
    public func validate(section: String = "representation") throws {
        guard let (key, message) = problem() else { return }
        let path = section.isEmpty ? key.stringValue : "\(section).\(key.stringValue)"
        throw ConfigError(kind: .invalidValue, keyPath: path, message: "\(path): \(message)")
    }

    /// The first out-of-range value, with what to write instead.
    private func problem() -> (CodingKeys, String)? {
        if let itemColumn, itemColumn.isEmpty { return (.itemColumn, "is empty; name an event column or leave it out") }
        if embeddingDimension <= 0 { return (.embeddingDimension, "is \(embeddingDimension); it must be positive (e.g. 64)") }
        if cleoraIterations < 1 { return (.cleoraIterations, "is \(cleoraIterations); it must be at least 1 (e.g. 4)") }
        if sketchPartitions < 1 { return (.sketchPartitions, "is \(sketchPartitions); it must be at least 1 (e.g. 16)") }
        if sketchBuckets < 2 || sketchBuckets & (sketchBuckets - 1) != 0 || sketchBuckets > 1 << 30 {
            return (.sketchBuckets, "is \(sketchBuckets); it must be a power of two, at least 2 (e.g. 64: 6 hyperplanes per partition)")
        }
        if halfLivesDays.isEmpty { return (.halfLivesDays, "is empty; give at least one half-life in days (e.g. [7, 30, 180])") }
        if let bad = halfLivesDays.first(where: { !($0 > 0) || !$0.isFinite }) {
            return (.halfLivesDays, "holds \(bad); every half-life must be a positive number of days")
        }
        return nil
    }
}
