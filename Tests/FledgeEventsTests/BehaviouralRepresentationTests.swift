@testable import FledgeEvents
import FledgeTensor
import FledgeTrain
import Foundation
import Testing

/// Cleora embeddings and EMDE sketches: seeded, normalised, meaningful on the synthetic shop,
/// leak-free, consistent between the three ways of sketching, and saved/loaded bit for bit.
@Suite struct BehaviouralRepresentationTests {
    /// 300 customers over 2023: about 14k events, built in memory.
    static let shop = try! ShopEventGenerator(config: ShopGeneratorConfig(customers: 300, days: 365, startDate: "2023-01-01", seed: 5))
    static let store = shop.eventStore()
    static let until: Int64 = 1_696_118_400  // 2023-10-01
    static let params: RepresentationParams = {
        var params = RepresentationParams()
        params.embeddingDimension = 16
        params.sketchPartitions = 6
        params.sketchBuckets = 16
        params.halfLivesDays = [7, 30]
        return params
    }()
    static let fitted = try! BehaviouralRepresentation.fit(store: store, params: params, until: until, seed: 3)

    @Test func sameSeedGivesTheSameRepresentationAndAnotherSeedDoesNot() throws {
        let again = try BehaviouralRepresentation.fit(store: Self.store, params: Self.params, until: Self.until, seed: 3)
        #expect(again == Self.fitted)
        let other = try BehaviouralRepresentation.fit(store: Self.store, params: Self.params, until: Self.until, seed: 4)
        #expect(other.items == Self.fitted.items && other.embeddings != Self.fitted.embeddings)
    }

    @Test func defaultItemColumnIsTheIdColumnAndRowsHaveUnitNorm() {
        let r = Self.fitted
        #expect(r.itemColumn == "product_id" && r.params.itemColumn == "product_id")
        #expect(r.items == r.items.sorted() && r.items.count > 100)
        #expect(r.embeddings.count == r.items.count * 16)
        for item in r.items.indices {
            let norm = r.embedding(ofItem: item).reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func fitSeesOnlyEventsBeforeUntil() {
        var before = 0
        for row in 0..<Self.store.eventCount where Self.store.timestamps[row] < Self.until { before += 1 }
        #expect(Self.fitted.fittedEvents == before && before < Self.store.eventCount)
        // An early cut leaves items out of the vocabulary.
        let early = try? BehaviouralRepresentation.fit(store: Self.store, params: Self.params, until: 1_673_000_000, seed: 3)
        #expect(early != nil && early!.items.count < Self.fitted.items.count)
    }

    @Test func itemsOfTheSameOrComplementaryCategoryAreMoreSimilarThanRandomPairs() throws {
        let r = Self.fitted, catalog = Self.shop.catalog
        let category = r.items.map { catalog.category[Int($0.dropFirst())! - 1] }
        var related = (sum: Float(0), count: 0), all = (sum: Float(0), count: 0)
        for a in r.items.indices {
            for b in r.items.indices where b > a {
                let similarity = r.similarity(a, b)
                all.sum += similarity
                all.count += 1
                if category[a] == category[b] || catalog.complement(of: category[a]) == category[b] {
                    related.sum += similarity
                    related.count += 1
                }
            }
        }
        let relatedMean = related.sum / Float(related.count), randomMean = all.sum / Float(all.count)
        #expect(relatedMean > randomMean + 0.1, "related \(relatedMean) vs random \(randomMean)")
    }

    @Test func cleoraStepMatchesTheDenseFormula() {
        // E1 = normalise_rows(centre(D_i⁻¹ M D_e⁻¹ Mᵀ E0)) with dense M, from Fledge's own E0.
        let store = Self.store, column = store.column(named: "product_id")!
        let graph = ItemGraph(store: store, column: column, until: Self.until)
        let items = graph.items.count, entities = store.entityCount, dimension = 5
        let start = CleoraEmbedding.fit(graph: graph, dimension: dimension, iterations: 0, seed: 9)
        let step = CleoraEmbedding.fit(graph: graph, dimension: dimension, iterations: 1, seed: 9)
        var m = [Double](repeating: 0, count: items * entities)
        for entity in 0..<entities {
            for edge in graph.entityOffsets[entity]..<graph.entityOffsets[entity + 1] { m[Int(graph.entityItems[edge]) * entities + entity] += 1 }
        }
        let itemDegree = (0..<items).map { i in (0..<entities).reduce(0.0) { $0 + m[i * entities + $1] } }
        let entityDegree = (0..<entities).map { e in (0..<items).reduce(0.0) { $0 + m[$1 * entities + e] } }
        var f = [Double](repeating: 0, count: entities * dimension), e1 = [Double](repeating: 0, count: items * dimension)
        for e in 0..<entities where entityDegree[e] > 0 {
            for i in 0..<items where m[i * entities + e] > 0 {
                for d in 0..<dimension { f[e * dimension + d] += m[i * entities + e] * Double(start[i * dimension + d]) / entityDegree[e] }
            }
        }
        for i in 0..<items {
            for e in 0..<entities where m[i * entities + e] > 0 {
                for d in 0..<dimension { e1[i * dimension + d] += m[i * entities + e] * f[e * dimension + d] / itemDegree[i] }
            }
        }
        let total = itemDegree.reduce(0, +)
        for d in 0..<dimension {
            let mean = (0..<items).reduce(0.0) { $0 + itemDegree[$1] / total * e1[$1 * dimension + d] }
            for i in 0..<items { e1[i * dimension + d] -= mean }
        }
        for i in 0..<items {
            let norm = (0..<dimension).reduce(0.0) { $0 + e1[i * dimension + $1] * e1[i * dimension + $1] }.squareRoot()
            for d in 0..<dimension { #expect(abs(Double(step[i * dimension + d]) - e1[i * dimension + d] / norm) < 1e-4) }
        }
    }

    /// Two entities, items a, b, c; entity 0 has events 10 and 2 days before the split, one at the
    /// split and one after (which must not count).
    static func tinyStore(extra: [(Int64, Int32)] = []) -> EventStore {
        let day: Int64 = 86_400, split = 100 * day
        var rows: [(Int64, Int32)] = [(split - 10 * day, 0), (split - 2 * day, 1)] + extra
        rows.sort { $0.0 < $1.0 }
        let other: [(Int64, Int32)] = [(split - 5 * day, 1), (split - 4 * day, 2), (split - 3 * day, 0)]
        let all = rows + other
        return EventStore(entityColumn: "user", entityIDs: ["u0", "u1"], offsets: [0, rows.count, all.count],
                          timestamps: all.map(\.0),
                          columns: [StoredColumn(name: "item", values: .id(codes: all.map(\.1), vocabulary: ["a", "b", "c", "new"]))])
    }

    static func tinyRepresentation() throws -> BehaviouralRepresentation {
        var params = RepresentationParams()
        params.embeddingDimension = 4
        params.sketchPartitions = 3
        params.sketchBuckets = 4
        params.halfLivesDays = [1, 10]
        return try BehaviouralRepresentation.fit(store: tinyStore(), params: params, until: 100 * 86_400, seed: 1)
    }

    @Test func inputSketchMatchesHandComputedDecayAndIgnoresEventsFromTheSplitOn() throws {
        let r = try Self.tinyRepresentation()
        let split: Int64 = 100 * 86_400
        let sample = [SplitSample(entity: 0, splitTimestamp: split)]
        let sketch = r.inputSketches(store: Self.tinyStore(), samples: sample, dataStart: 0).scalars
        // Events at and after the split (and an unseen value) change nothing.
        let leaky = Self.tinyStore(extra: [(split, 2), (split + 86_400, 0), (split - 86_400, 3)])
        #expect(r.inputSketches(store: leaky, samples: sample, dataStart: 0).scalars == sketch)
        #expect(r.unseenItems(in: leaky) == UnseenItems(values: 1, events: 1))
        var expected = [Float](repeating: 0, count: r.inputWidth)
        for (h, halfLife) in [1.0, 10.0].enumerated() {
            let wa = exp2(-10 / halfLife), wb = exp2(-2 / halfLife)
            for k in 0..<3 {
                expected[h * r.sketchWidth + k * 4 + r.bucket(ofItem: 0, partition: k)] += Float(wa / (wa + wb))
                expected[h * r.sketchWidth + k * 4 + r.bucket(ofItem: 1, partition: k)] += Float(wb / (wa + wb))
            }
        }
        #expect(zip(sketch, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(sketch) vs \(expected)")
        // dataStart cuts history: only b (2 days back) remains.
        let late = r.inputSketches(store: Self.tinyStore(), samples: sample, dataStart: split - 5 * 86_400).scalars
        #expect(abs(late[r.bucket(ofItem: 1, partition: 0)] - 1) < 1e-6)
        // No history: zeros.
        let empty = r.inputSketches(store: Self.tinyStore(), samples: [SplitSample(entity: 1, splitTimestamp: 0)], dataStart: 0)
        #expect(empty.scalars.allSatisfy { $0 == 0 })
    }

    @Test func targetSketchPartitionsSumToOneAndMatchItemSetSketches() throws {
        let r = Self.fitted, store = Self.store
        let samples = (0..<store.entityCount).map { SplitSample(entity: $0, splitTimestamp: Self.until) }
        let ends = samples.map { $0.splitTimestamp + 30 * 86_400 }
        let targets = r.targetSketches(store: store, samples: samples, until: ends)
        #expect(targets.shape.dimensions == [samples.count, r.sketchWidth])
        var multiHot = [Float](repeating: 0, count: samples.count * r.items.count)
        var nonEmpty = 0
        for (index, sample) in samples.enumerated() {
            let row = Array(targets.scalars[(index * r.sketchWidth)..<((index + 1) * r.sketchWidth)])
            let events = store.events(ofEntity: sample.entity).within(from: Self.until, until: ends[index])
            var seen = 0
            for event in store.firstRow(ofEntity: sample.entity, atOrAfter: Self.until)..<store.firstRow(ofEntity: sample.entity, atOrAfter: ends[index]) {
                guard let item = r.itemIndex(of: store.column(named: "product_id")!.text(at: event)!) else { continue }
                multiHot[index * r.items.count + item] += 1
                seen += 1
            }
            if seen == 0 {
                #expect(row.allSatisfy { $0 == 0 })
                continue
            }
            nonEmpty += 1
            #expect(!events.isEmpty)
            for k in 0..<r.partitions {
                let sum = row[(k * r.buckets)..<((k + 1) * r.buckets)].reduce(0, +)
                #expect(abs(sum - 1) < 1e-5)
            }
        }
        #expect(nonEmpty > 20)
        let fromSets = r.sketches(ofItemSets: Tensor(shape: [samples.count, r.items.count], values: multiHot))
        #expect(zip(fromSets.scalars, targets.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func decodingAnItemsOwnSketchRanksItFirst() {
        let r = Self.fitted
        let codes = r.items.indices.map { item in (0..<r.partitions).map { r.bucket(ofItem: item, partition: $0) } }
        let unique = r.items.indices.filter { item in codes.indices.allSatisfy { $0 == item || codes[$0] != codes[item] } }
        #expect(unique.count > r.items.count / 2)
        var oneHot = [Float](repeating: 0, count: unique.count * r.items.count)
        for (row, item) in unique.enumerated() { oneHot[row * r.items.count + item] = 1 }
        let sketches = r.sketches(ofItemSets: Tensor(shape: [unique.count, r.items.count], values: oneHot))
        let scores = r.itemScores(sketchProbabilities: sketches).scalars
        for (row, item) in unique.enumerated() {
            let rowScores = scores[(row * r.items.count)..<((row + 1) * r.items.count)]
            #expect(rowScores[rowScores.startIndex + item] == Float(r.partitions))
            #expect(rowScores.enumerated().allSatisfy { $0.offset == item || $0.element < Float(r.partitions) })
        }
    }

    @Test func saveAndLoadRoundTripExactlyAndBadFilesAreNamed() throws {
        let directory = URL(fileURLWithPath: temporaryPath("representation"))
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.fitted.save(to: directory)
        let loaded = try BehaviouralRepresentation.load(from: directory)
        #expect(loaded == Self.fitted && loaded.itemIndex(of: Self.fitted.items[7]) == 7)
        let samples = [SplitSample(entity: 3, splitTimestamp: Self.until)]
        #expect(loaded.inputSketches(store: Self.store, samples: samples, dataStart: 0).scalars
                == Self.fitted.inputSketches(store: Self.store, samples: samples, dataStart: 0).scalars)

        let missing = #expect(throws: EventsError.self) { try BehaviouralRepresentation.load(from: directory.appendingPathComponent("nope")) }
        #expect(missing?.description.contains("no representation.json") == true)
        try Data("{".utf8).write(to: directory.appendingPathComponent("representation.json"))
        let broken = #expect(throws: EventsError.self) { try BehaviouralRepresentation.load(from: directory) }
        #expect(broken?.description.contains("representation.json: cannot be read") == true)
    }

    struct Root: ConfigSection {
        var representation = RepresentationParams()
        static let keyNames = ["representation"]
        static let subsections: [String: any ConfigSection.Type] = ["representation": RepresentationParams.self]
    }

    @Test func paramsRejectUnknownKeysAndOutOfRangeValuesNamingTheKey() throws {
        let good = try ConfigFile.load(Root.self, yaml: "representation: {item_column: sku, sketch_buckets: 32, half_lives_days: [3]}",
                                       source: "p.yaml")
        #expect(good.representation.itemColumn == "sku" && good.representation.sketchBuckets == 32
                && good.representation.halfLivesDays == [3] && good.representation.embeddingDimension == 64)
        let cases = [
            ("representation: {sketch_bucket: 32}", "representation.sketch_bucket is not a known key"),
            ("representation: {sketch_buckets: 48}", "representation.sketch_buckets: is 48; it must be a power of two"),
            ("representation: {sketch_buckets: 1}", "representation.sketch_buckets: is 1"),
            ("representation: {embedding_dimension: 0}", "representation.embedding_dimension: is 0; it must be positive"),
            ("representation: {sketch_partitions: 0}", "representation.sketch_partitions: is 0"),
            ("representation: {cleora_iterations: 0}", "representation.cleora_iterations: is 0"),
            ("representation: {half_lives_days: [7, -1]}", "representation.half_lives_days: holds -1.0"),
        ]
        for (yaml, message) in cases {
            let error = #expect(throws: ConfigError.self) { try ConfigFile.load(Root.self, yaml: yaml, source: "p.yaml") }
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error") lacks \(message)")
        }
        var swift = RepresentationParams()
        swift.sketchBuckets = 12
        #expect(throws: ConfigError.self) { try BehaviouralRepresentation.fit(store: Self.store, params: swift, until: Self.until, seed: 0) }
        var column = RepresentationParams()
        column.itemColumn = "price"
        let type = #expect(throws: EventsError.self) { try BehaviouralRepresentation.fit(store: Self.store, params: column, until: Self.until, seed: 0) }
        #expect(type?.description.contains("price is a decimal column") == true)
        column.itemColumn = "sku"
        #expect(throws: EventsError.self) { try BehaviouralRepresentation.fit(store: Self.store, params: column, until: Self.until, seed: 0) }
    }
}
