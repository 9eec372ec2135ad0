import ArgumentParser
import FledgeTensor
import Foundation

/// `fledge-bench`: engine benchmarks that print JSON lines (never run as tests).
@main
struct FledgeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fledge-bench",
        abstract: "Fledge engine benchmarks; each prints JSON lines.",
        subcommands: [MLPBenchmark.self, GeneratorBenchmark.self, DeepMLPBenchmark.self, GEMMBenchmark.self, MathOpsBenchmark.self, CSVBenchmark.self,
                      EventsBenchmark.self, RepresentationBenchmark.self, FoundationBenchmark.self, AllReduceBenchmark.self, DataParallelBenchmark.self,
                      LoggingOverheadBenchmark.self, TuneBenchmark.self]
    )
}

/// Prints one JSON object as a line (keys sorted, so lines diff well).
func printJSONLine(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    fflush(nil)   // every stream: a line at a time even into a file or pipe, so an interrupted run keeps its lines

}

/// Rounds for printing.
func rounded(_ value: Double, _ digits: Int = 1) -> Double {
    let scale = pow(10, Double(digits))
    return (value * scale).rounded() / scale
}
