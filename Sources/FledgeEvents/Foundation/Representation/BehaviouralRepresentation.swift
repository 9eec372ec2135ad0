import Dispatch
import FledgeTensor
import Foundation

/// Item embeddings (Cleora) and EMDE density sketches, fitted on the events before a date and
/// saved with a foundation model.
///
/// ```swift
/// let representation = try BehaviouralRepresentation.fit(store: store, params: RepresentationParams(),
///                                                         until: validationStart, seed: 7)
/// let inputs = representation.inputSketches(store: store, samples: samples, dataStart: dataStart)
/// let targets = representation.targetSketches(store: store, samples: samples, until: targetEnds)
/// let scores = representation.itemScores(sketchProbabilities: softmaxPerPartition(predicted))
/// ```
/// Items are kept by value (sorted), so a saved representation works on a new store of later
/// data: values it never saw are left out of sketches (`unseenItems(in:)` counts them).
/// docs/foundation.md ("Representation") gives the formulas.
public struct BehaviouralRepresentation: Sendable, Equatable {
    /// The event column whose values are the items.
    public let itemColumn: String
    /// The item vocabulary by value, sorted; an item's index is its position here.
    public let items: [String]
    /// The width of an embedding.
    public let embeddingDimension: Int
    /// `items.count × embeddingDimension`, row-major, each row of L2 norm 1.
    public let embeddings: [Float]
    /// K: the number of partitions of a sketch.
    public let partitions: Int
    /// B: the buckets of a partition.
    public let buckets: Int
    /// The half-lives (days) of the input sketches, one sketch each.
    public let halfLivesDays: [Double]
    /// `items.count × partitions`, row-major: item `i`'s bucket in partition `k` is `bucketCodes[i * partitions + k]`.
    public let bucketCodes: [Int32]
    /// The parameters fitted with.
    public let params: RepresentationParams
    /// The seed fitted with.
    public let seed: UInt64
    /// Only events strictly before this time (seconds since 1970) were used.
    public let until: Int64
    /// How many events (with an item, before `until`) the embeddings were propagated over.
    public let fittedEvents: Int
    /// How long each part of `fit` took (nil for a loaded representation; not compared by `==`).
    public internal(set) var fitTimings: RepresentationFitTimings?
    private let itemLookup: [String: Int]

    /// The width of one sketch: `partitions × buckets`.
    public var sketchWidth: Int { partitions * buckets }
    /// The width of the input sketches: one sketch per half-life.
    public var inputWidth: Int { halfLivesDays.count * sketchWidth }

    /// Assembles a fitted representation (`fit` and `load` use this).
    init(itemColumn: String, items: [String], embeddingDimension: Int, embeddings: [Float], bucketCodes: [Int32],
         params: RepresentationParams, seed: UInt64, until: Int64, fittedEvents: Int) {
        precondition(embeddings.count == items.count * embeddingDimension
                     && bucketCodes.count == items.count * params.sketchPartitions,
                     "BehaviouralRepresentation: embeddings or bucket codes do not match the item count")
        self.itemColumn = itemColumn
        self.items = items
        self.embeddingDimension = embeddingDimension
        self.embeddings = embeddings
        self.partitions = params.sketchPartitions
        self.buckets = params.sketchBuckets
        self.halfLivesDays = params.halfLivesDays
        self.bucketCodes = bucketCodes
        self.params = params
        self.seed = seed
        self.until = until
        self.fittedEvents = fittedEvents
        itemLookup = Dictionary(items.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Fits the embeddings and the partitions on the events of `store` with time < `until`.
    ///
    /// Pass the validation start date as `until` so nothing the model is evaluated on shapes it.
    /// - Throws: `ConfigError` for out-of-range parameters; `EventsError.unknownColumn` when
    ///   `item_column` is not an event column; `EventsError.invalidSetup` when it is not a
    ///   categorical or id column, when no column can be the item column, or when no event with an
    ///   item lies before `until`.
    public static func fit(store: EventStore, params: RepresentationParams, until: Int64, seed: UInt64) throws
        -> BehaviouralRepresentation {
        try params.validate()
        let column = try itemColumn(of: store, params: params)
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { clock = now }
            return Double(now - clock) / 1e9
        }
        var timings = RepresentationFitTimings()
        let graph = ItemGraph(store: store, column: column, until: until)
        timings.graphSeconds = lap()
        guard !graph.items.isEmpty else {
            let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(until)))
            throw EventsError.invalidSetup("representation: no event of \(store.source) has a \(column.name) value before \(date); "
                                           + "move validation_start_date later or check representation.item_column")
        }
        let root = SeededGenerator(seed: seed)
        let embeddings = CleoraEmbedding.fit(graph: graph, dimension: params.embeddingDimension,
                                             iterations: params.cleoraIterations, seed: root.derived(stream: 1).state[0])
        timings.cleoraSeconds = lap()
        let codes = EMDEPartitioning.bucketCodes(embeddings: embeddings, dimension: params.embeddingDimension,
                                                 partitions: params.sketchPartitions, buckets: params.sketchBuckets,
                                                 seed: root.derived(stream: 2).state[0])
        timings.partitionSeconds = lap()
        var resolved = params
        resolved.itemColumn = column.name
        var representation = BehaviouralRepresentation(
            itemColumn: column.name, items: graph.items, embeddingDimension: params.embeddingDimension, embeddings: embeddings,
            bucketCodes: codes, params: resolved, seed: seed, until: until, fittedEvents: graph.edgeCount)
        representation.fitTimings = timings
        return representation
    }

    /// The item column: `params.itemColumn`, else the id column with most values, else the categorical one.
    static func itemColumn(of store: EventStore, params: RepresentationParams) throws -> StoredColumn {
        if let name = params.itemColumn {
            let column = try store.requireColumn(name, context: "representation.item_column")
            guard column.type == .categorical || column.type == .id else {
                throw EventsError.invalidSetup("representation.item_column: \(name) is a \(column.type) column; items must be "
                                               + "a categorical or id column (e.g. a product id)")
            }
            return column
        }
        for type in [EventColumnType.id, .categorical] {
            if let best = store.columns.filter({ $0.type == type }).max(by: { $0.vocabulary.count < $1.vocabulary.count }) {
                return best
            }
        }
        throw EventsError.invalidSetup("representation: \(store.source) has no categorical or id column to take items from; "
                                       + "set representation.item_column")
    }

    /// The bucket of item `item` in partition `partition`.
    public func bucket(ofItem item: Int, partition: Int) -> Int { Int(bucketCodes[item * partitions + partition]) }

    /// The index of an item value, or nil if it was not seen before `until`.
    public func itemIndex(of value: String) -> Int? { itemLookup[value] }

    /// Item `item`'s embedding.
    public func embedding(ofItem item: Int) -> ArraySlice<Float> {
        embeddings[(item * embeddingDimension)..<((item + 1) * embeddingDimension)]
    }

    /// The cosine similarity of two items (a dot product: rows have norm 1).
    public func similarity(_ a: Int, _ b: Int) -> Float {
        zip(embedding(ofItem: a), embedding(ofItem: b)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.itemColumn == rhs.itemColumn && lhs.items == rhs.items && lhs.embeddingDimension == rhs.embeddingDimension
            && lhs.embeddings == rhs.embeddings && lhs.bucketCodes == rhs.bucketCodes && lhs.params == rhs.params
            && lhs.seed == rhs.seed && lhs.until == rhs.until && lhs.fittedEvents == rhs.fittedEvents
    }
}

/// Wall-clock seconds of the parts of `BehaviouralRepresentation.fit`.
public struct RepresentationFitTimings: Sendable, Equatable {
    /// Building the entity–item graph from the store.
    public var graphSeconds = 0.0
    /// Cleora's random init and propagation.
    public var cleoraSeconds = 0.0
    /// EMDE's hyperplanes and bucket codes.
    public var partitionSeconds = 0.0
    /// The whole fit.
    public var totalSeconds: Double { graphSeconds + cleoraSeconds + partitionSeconds }
}
