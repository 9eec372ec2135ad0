import ArgumentParser
import FledgeEvents
import Foundation

/// `fledge-bench generate-events`: how fast `ShopEventGenerator` (`fledge generate-events`) writes
/// the synthetic shop; prints events/s and bytes/s of events.csv.
struct GeneratorBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate-events",
                                                    abstract: "Measure the synthetic shop generator (events/s).")

    @Option(help: "Customers to simulate.") var customers = 200_000
    @Option(help: "Days to simulate.") var days = 365
    @Option(help: "Output directory.") var out = "/tmp/fledge-bench-shop"

    func run() throws {
        let watch = Stopwatch()
        let generator = try ShopEventGenerator(config: ShopGeneratorConfig(customers: customers, days: days, seed: 1))
        let summary = try generator.write(to: URL(fileURLWithPath: out))
        let seconds = watch.elapsed
        let bytes = (try? FileManager.default.attributesOfItem(atPath: out + "/events.csv")[.size] as? Int) ?? 0
        printJSONLine(["benchmark": "generate_events", "customers": customers, "days": days, "events": summary.events,
                       "seconds": rounded(seconds, 3), "events_per_s": rounded(Double(summary.events) / seconds, 0),
                       "mb_per_s": rounded(Double(bytes) / 1_048_576 / seconds, 1), "foreign_cores": rounded(watch.foreignCores, 2)])
    }
}
