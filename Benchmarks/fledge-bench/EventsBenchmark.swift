import ArgumentParser
import FledgeEvents
import Foundation

/// `fledge-bench events`: how fast event files become FledgeEvents' columnar store (read the CSV,
/// type the columns, parse timestamps, sort every entity's events by time) and how fast features
/// are computed from it; prints events/s and the peak resident memory.
///
/// `--path` reads an existing file in the shop format (`customer_id,timestamp,event_type,
/// product_id,category,price,channel`, e.g. from `fledge generate-events`); `--generate N` first
/// writes N such events to `--out` with a simple seeded generator (time-sorted overall, so the
/// store has to regroup them by customer).
struct EventsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Measure event loading speed (events/s).")

    @Option(help: "An event CSV in the shop format.") var path: String?
    @Option(help: "Generate this many events first (to --out).") var generate: Int?
    @Option(help: "Where --generate writes.") var out = "/tmp/fledge-bench-events.csv"
    @Option(help: "Customers in a generated file.") var entities = 100_000
    @Option(help: "Repetitions of the load; the fastest counts.") var repeats = 2
    @Option(help: "Samples to compute features for (one per entity, at the last day).") var featureSamples = 100_000

    func run() throws {
        var file = path ?? out
        if let generate {
            let watch = Stopwatch()
            try ShopFileWriter.write(events: generate, customers: entities, to: out)
            file = out
            printJSONLine(["benchmark": "events_generate", "events": generate, "seconds": rounded(watch.elapsed, 3)])
        }
        var source = DataSourceConfig(eventsAt: file, mainEntityColumn: "customer_id", dateColumn: "timestamp",
                                      dateFormat: "yyyy-MM-dd HH:mm:ss")
        source.columnTypeOverrides = ["product_id": .id]
        var best = Double.infinity, bestRead = Double.infinity
        var store: EventStore?
        var foreign = 0.0
        for _ in 0..<repeats {
            store = nil
            let watch = Stopwatch()
            let table = try CSVEventTableReader().read(source)
            let read = watch.elapsed
            let built = try EventStore.build(events: table, source: source)
            if watch.elapsed < best { best = watch.elapsed; foreign = watch.foreignCores }
            bestRead = min(bestRead, read)
            store = built
        }
        guard let store else { return }
        printJSONLine(["benchmark": "events_load", "path": file, "events": store.eventCount, "entities": store.entityCount,
                       "seconds": rounded(best, 3), "read_seconds": rounded(bestRead, 3),
                       "events_per_s": rounded(Double(store.eventCount) / best, 0), "peak_rss_mb": rounded(PeakMemory.megabytes, 0),
                       "foreign_cores": rounded(foreign, 2)])
        var params = EventDataParams()
        params.useRecencySketches = true
        let layout = FeatureLayout(store: store, params: params)
        let end = store.timeRange!.upperBound
        let split = end - end % 86_400
        let extractor = FeatureExtractor(layout: layout, store: store, dataStart: store.timeRange!.lowerBound)
        let samples = (0..<min(featureSamples, store.entityCount)).map { SplitSample(entity: $0, splitTimestamp: split) }
        let watch = Stopwatch()
        let features = extractor.features(samples)
        let seconds = watch.elapsed
        let historyEvents = samples.reduce(0) { $0 + store.offsets[$1.entity + 1] - store.offsets[$1.entity] }
        printJSONLine(["benchmark": "events_features", "samples": samples.count, "features": features.shape[1],
                       "seconds": rounded(seconds, 3), "samples_per_s": rounded(Double(samples.count) / seconds, 0),
                       "history_events_per_s": rounded(Double(historyEvents) / seconds, 0),
                       "foreign_cores": rounded(watch.foreignCores, 2)])
    }
}

/// Peak resident memory of this process (VmHWM).
enum PeakMemory {
    static var megabytes: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }
}

/// Writes a simple seeded shop file for the benchmark: customers with different activity,
/// products in 20 categories, three event types, 180 days; rows in time order.
enum ShopFileWriter {
    static func write(events: Int, customers: Int, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write \(path)")
        }
        defer { try? handle.close() }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let kinds = ["view", "view", "view", "view", "add_to_cart", "purchase"]
        let channels = ["web", "app", "store"]
        let start: Int64 = 1_704_067_200  // 2024-01-01
        let span: Int64 = 180 * 86_400
        var buffer = "customer_id,timestamp,event_type,product_id,category,price,channel\n"
        for index in 0..<events {
            let time = start + span * Int64(index) / Int64(max(events, 1))
            let r = next()
            // Skewed activity: squaring the uniform draw favours low customer numbers.
            let u = Double(r >> 11) / Double(1 << 53)
            let customer = Int(u * u * Double(customers))
            let product = Int(next() % 50_000)
            let price = 5 + Double(product % 200) * 0.5
            buffer += "c\(customer),\(TimestampParser.text(time)),\(kinds[Int(r % 6)]),p\(product),cat\(product % 20),\(price),\(channels[Int((r >> 8) % 3)])\n"
            if buffer.utf8.count > 1 << 22 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }
}
