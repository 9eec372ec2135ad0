import ArgumentParser
import FledgeTrain
import Foundation

/// `fledge compare <run> <run> ...`: a table of the runs' config differences and validation
/// metrics, and an overlay SVG of their validation-loss curves.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare training runs: config differences, final and best validation metrics, overlaid curves."
    )

    @Argument(help: "Two or more run directories (<experiment_dir>/<run_id>).")
    var runs: [String]

    @Option(help: "Where to write the overlay SVG of the validation-loss curves.")
    var out: String = "compare.svg"

    func validate() throws {
        guard runs.count >= 2 else { throw ValidationError("give at least two run directories to compare") }
    }

    func run() throws {
        for run in runs where !FileManager.default.fileExists(atPath: RunDirectory(root: URL(fileURLWithPath: run)).metricsFile.path) {
            throw ValidationError("\(run) is not a run directory (it has no metrics.jsonl)")
        }
        try OutputFile.checkDirectory(of: out)
        let comparison = try RunComparison(runDirectories: runs.map { URL(fileURLWithPath: $0) })
        print(comparison.table(), terminator: "")
        try OutputFile.write(Data(comparison.overlayChart().svg().utf8), to: out)
        print("saved \(out)")
    }
}
