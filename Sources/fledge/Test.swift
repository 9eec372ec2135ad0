import ArgumentParser
import FledgeEvents
import FledgeTrain
import Foundation

/// `fledge test <run>`: an events model's loss and metrics on the test split of its config.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a trained events model on the test split of its config.",
        discussion: """
            Reloads <run>/model, reads the data sources again, computes the targets of the test split \
            (history before data_params.test_start_date, target until test_end_date or N days later) \
            and prints the loss and metrics. --config (with --set) uses another events config, e.g. newer data.
            """
    )

    @Argument(help: "A run directory (<experiment_dir>/<run_id>) or its model/ directory.")
    var model: String

    @Option(help: "An events config to take the data sources and dates from (default: the one saved with the model).")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of --config (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(parsing: .upToNextOption, help: "Metrics to compute instead of the model's (e.g. auroc f1).")
    var metrics: [String] = []

    @Option(help: "Also write the metrics as JSON to this file.")
    var out: String?

    func run() throws {
        if let out { try OutputFile.checkDirectory(of: out) }
        let bundle = try EventsCommands.model(model)
        let config = try EventsCommands.config(for: bundle, path: config, overrides: overrides)
        let store = try EventDatasets.openStore(config, readers: EventsCommands.readers)
        let measured = try bundle.test(store: store, config: config, metrics: metrics.isEmpty ? nil : metrics)
        print("test: \(MetricsText.inline(measured))")
        if let out {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try OutputFile.write(encoder.encode(measured.mapValues { $0.isFinite ? $0 : 0 }), to: out)
        }
    }
}
