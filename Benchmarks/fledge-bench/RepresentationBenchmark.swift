import ArgumentParser
import FledgeEvents
import FledgeTensor
import Foundation

/// `fledge-bench representation`: how fast a foundation model's behavioural representation is
/// fitted (Cleora item embeddings + EMDE partitions) and how fast it sketches, on the synthetic
/// shop (`ShopEventGenerator`, built in memory). Prints one JSON line per stage.
struct RepresentationBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "representation",
                                                    abstract: "Measure Cleora/EMDE fitting (events/s) and sketching (samples/s).")

    @Option(help: "About this many events: customers are chosen to give it.") var events = 1_000_000
    @Option(help: "Days simulated.") var days = 365
    @Option(help: "Products per category (12 categories).") var productsPerCategory = 400
    @Option(help: "representation.embedding_dimension") var dimension = 64
    @Option(help: "representation.cleora_iterations") var iterations = 4
    @Option(help: "representation.sketch_partitions") var partitions = 16
    @Option(help: "representation.sketch_buckets") var buckets = 64
    @Option(help: "Training split points per customer to sketch.") var splitsPerEntity = 5
    @Option(help: "Write the fitted graph's edges (int32 entity, item per event) here, for scripts/bench/compare_cleora.py.")
    var edgesOut: String?

    func run() throws {
        // Events per customer of this setting, from a small population (the generator is per-customer deterministic).
        var config = ShopGeneratorConfig(customers: 500, days: days, startDate: "2023-01-01", seed: 1)
        config.productsPerCategory = productsPerCategory
        let probe = try ShopEventGenerator(config: config).eventStore().eventCount
        config.customers = max(1, Int((Double(events) / Double(max(probe, 1)) * 500).rounded()))
        let generateWatch = Stopwatch()
        let store = try ShopEventGenerator(config: config).eventStore()
        printJSONLine(["benchmark": "representation_generate", "customers": config.customers, "events": store.eventCount,
                       "seconds": rounded(generateWatch.elapsed, 3), "foreign_cores": rounded(generateWatch.foreignCores, 2)])

        var params = RepresentationParams()
        params.embeddingDimension = dimension
        params.cleoraIterations = iterations
        params.sketchPartitions = partitions
        params.sketchBuckets = buckets
        let range = store.timeRange!
        let until = range.lowerBound + (range.upperBound - range.lowerBound) * 3 / 4
        let fitWatch = Stopwatch()
        let representation = try BehaviouralRepresentation.fit(store: store, params: params, until: until, seed: 1)
        let fitSeconds = fitWatch.elapsed
        let timings = representation.fitTimings!
        printJSONLine(["benchmark": "representation_fit", "events": store.eventCount, "fitted_events": representation.fittedEvents,
                       "items": representation.items.count, "dimension": dimension, "iterations": iterations,
                       "partitions": partitions, "buckets": buckets, "threads": Threading.threadCount,
                       "seconds": rounded(fitSeconds, 3), "graph_seconds": rounded(timings.graphSeconds, 3),
                       "cleora_seconds": rounded(timings.cleoraSeconds, 3), "partition_seconds": rounded(timings.partitionSeconds, 3),
                       "events_per_s": rounded(Double(representation.fittedEvents) / fitSeconds, 0),
                       "cleora_events_per_s": rounded(Double(representation.fittedEvents) / timings.cleoraSeconds, 0),
                       "foreign_cores": rounded(fitWatch.foreignCores, 2)])

        if let edgesOut { try writeEdges(store: store, representation: representation, to: edgesOut) }

        // Training-like samples: up to `splitsPerEntity` split points per customer before `until`.
        var samples: [SplitSample] = []
        var random = SeededGenerator(seed: 2)
        for entity in 0..<store.entityCount {
            guard store.offsets[entity + 1] > store.offsets[entity], store.timestamps[store.offsets[entity]] < until else { continue }
            let first = store.timestamps[store.offsets[entity]]
            for _ in 0..<splitsPerEntity {
                samples.append(SplitSample(entity: entity, splitTimestamp: first + Int64(random.nextUniform() * Float(until - first)) + 1))
            }
        }
        let ends = samples.map { $0.splitTimestamp + 30 * 86_400 }
        let historyEvents = samples.reduce(0) { $0 + store.events(ofEntity: $1.entity).within(from: range.lowerBound, until: $1.splitTimestamp).count }
        // In batches, as a trainer would (all 100k input sketches at once would take 1.2 GB).
        let batch = 4_096
        var inputSeconds = 0.0, targetSeconds = 0.0, foreign = 0.0
        var targets = Tensor(shape: [0, representation.sketchWidth], values: [])
        for start in stride(from: 0, to: samples.count, by: batch) {
            let part = Array(samples[start..<min(samples.count, start + batch)])
            let inputWatch = Stopwatch()
            _ = representation.inputSketches(store: store, samples: part, dataStart: range.lowerBound)
            inputSeconds += inputWatch.elapsed
            foreign += inputWatch.foreignCores * inputWatch.elapsed
            let targetWatch = Stopwatch()
            let sketches = representation.targetSketches(store: store, samples: part, until: Array(ends[start..<(start + part.count)]))
            targetSeconds += targetWatch.elapsed
            if start == 0 { targets = sketches }
        }
        let decodeRows = min(2_000, targets.shape[0])
        let probabilities = Tensor(shape: [decodeRows, representation.sketchWidth],
                                   values: Array(targets.scalars.prefix(decodeRows * representation.sketchWidth)))
        let decodeWatch = Stopwatch()
        let scores = representation.itemScores(sketchProbabilities: probabilities)
        let decodeSeconds = decodeWatch.elapsed
        printJSONLine(["benchmark": "representation_sketch", "samples": samples.count, "input_width": representation.inputWidth, "batch": batch,
                       "history_events": historyEvents, "input_seconds": rounded(inputSeconds, 3),
                       "input_samples_per_s": rounded(Double(samples.count) / inputSeconds, 0),
                       "input_history_events_per_s": rounded(Double(historyEvents) / inputSeconds, 0),
                       "target_seconds": rounded(targetSeconds, 3),
                       "target_samples_per_s": rounded(Double(samples.count) / targetSeconds, 0),
                       "decode_rows": decodeRows, "decode_items": scores.shape[1], "decode_seconds": rounded(decodeSeconds, 3),
                       "decode_rows_per_s": rounded(Double(decodeRows) / decodeSeconds, 0),
                       "foreign_cores": rounded(foreign / max(inputSeconds, 1e-9), 2)])
    }

    /// The entity–item pairs of the events the representation was fitted on, as little-endian int32 pairs.
    private func writeEdges(store: EventStore, representation: BehaviouralRepresentation, to path: String) throws {
        guard let column = store.column(named: representation.itemColumn) else { return }
        let itemOfCode = column.vocabulary.map { Int32(representation.itemIndex(of: $0) ?? -1) }
        var edges: [Int32] = []
        edges.reserveCapacity(2 * representation.fittedEvents)
        for entity in 0..<store.entityCount {
            for row in store.offsets[entity]..<store.offsets[entity + 1] where store.timestamps[row] < representation.until {
                let code = column.code(at: row)
                guard code >= 0, itemOfCode[Int(code)] >= 0 else { continue }
                edges.append(Int32(entity))
                edges.append(itemOfCode[Int(code)])
            }
        }
        try edges.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
    }
}
