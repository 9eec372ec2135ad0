import ArgumentParser
import FledgeData
import FledgeTrain
import Foundation

/// `fledge evaluate <run|model> --data test.csv`: the model's loss and metrics on a labelled CSV.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print and save a trained model's metrics on a labelled CSV file.",
        discussion: "Uses the preprocessing saved with the model, so the CSV needs the same columns as the training data."
    )

    @Argument(help: "A run directory (<experiment_dir>/<run_id>) or its model/ directory.")
    var model: String

    @Option(help: "A CSV file with a header and the label column(s).")
    var data: String

    @Option(help: "Where to save the metrics as JSON (default: metrics-<data file name>.json in the model directory).")
    var out: String?

    @Option(help: "The CSV field delimiter.")
    var delimiter: String = ","

    @Option(parsing: .upToNextOption, help: "Metrics to compute instead of the model's own, e.g. --metrics accuracy auroc.")
    var metrics: [String] = []

    func validate() throws {
        guard delimiter.count == 1 else { throw ValidationError("--delimiter must be a single character, got '\(delimiter)'") }
    }

    func run() throws {
        if let out { try OutputFile.checkDirectory(of: out) }
        let bundle = try FledgeModel.load(from: URL(fileURLWithPath: model))
        let table = try CSVReader.read(path: data, delimiter: Character(delimiter))
        let values: [String: Double]
        do {
            values = try bundle.evaluate(table, metrics: metrics.isEmpty ? nil : metrics)
        } catch DataError.missingColumn(let file, let line, let column, _) where bundle.preprocessor.labelColumns.contains(column) {
            // The data layer's advice ("check the column name in the configuration") fits training;
            // here the file simply lacks labels.
            throw LabelsNeeded(file: file, line: line, column: column)
        }
        for name in values.keys.sorted() {
            print("\(name): \(MetricsText.format(values[name]!))")
        }
        let destination = out ?? defaultDestination().path
        try OutputFile.write(MetricsText.json(values), to: destination)
        print("saved \(destination)")
    }

    /// `<model dir>/metrics-<data stem>.json`, next to the model the metrics describe.
    private func defaultDestination() -> URL {
        let stem = URL(fileURLWithPath: data).deletingPathExtension().lastPathComponent
        var directory = URL(fileURLWithPath: model)
        let nested = directory.appendingPathComponent("model")
        if FileManager.default.fileExists(atPath: nested.appendingPathComponent(FledgeModel.descriptionFile).path) {
            directory = nested
        }
        return directory.appendingPathComponent("metrics-\(stem).json")
    }
}

/// `evaluate` was given a CSV without the label column the model was trained on.
struct LabelsNeeded: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let column: String

    var description: String {
        "\(file):\(line):1: no label column \"\(column)\"; evaluate compares predictions with the labels the model was trained on, so the file needs that column (for unlabelled rows use fledge predict)"
    }
}
