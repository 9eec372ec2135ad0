import ArgumentParser
import FledgeData
import FledgeEvents
import FledgeTrain
import Foundation

/// `fledge predict <run|model> --data new.csv --out predictions.csv`.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a trained model's predictions for every row of a CSV file.",
        discussion: """
            One output row per input row: the id column (or `row`, the 1-based row number), then the \
            class probabilities and the predicted label (classification) or the predicted value \
            (regression). Label columns in the input are ignored.
            """
    )

    @Argument(help: "A run directory (<experiment_dir>/<run_id>) or its model/ directory.")
    var model: String

    @Option(help: "A CSV file with the same feature columns as the training data (tabular models).")
    var data: String?

    @Option(help: ArgumentHelp("Events models: score every entity from its history before this date (yyyy-MM-dd).",
                               valueName: "date"))
    var predictionDate: String?

    @Option(help: "Events models: how many items each recommendation lists (default: the config's top_k).")
    var topK: Int?

    @Option(help: "Events models: the probability from which a label is predicted (binary, multilabel). Default 0.5.")
    var threshold: Float?

    @Option(parsing: .upToNextOption, help: "Events models: score only these entities.")
    var entityIds: [String] = []

    @Option(help: "Events models: an events config whose data sources to read (default: the one saved with the model).")
    var config: String?

    @Option(help: "Where to write the predictions: CSV for tabular models, tab-separated for events models.")
    var out: String

    @Option(help: "The field delimiter of the --data file (tabular models).")
    var delimiter: String = ","

    func validate() throws {
        if predictionDate == nil {
            guard data != nil else { throw ValidationError("give --data new.csv (tabular models) or --prediction-date D (events models)") }
            guard topK == nil, threshold == nil, entityIds.isEmpty, config == nil else {
                throw ValidationError("--top-k, --threshold, --entity-ids and --config go with --prediction-date (events models)")
            }
        } else {
            guard data == nil else { throw ValidationError("--data is for tabular models; an events model reads its data sources (use --config to change them)") }
            guard topK == nil || threshold == nil else { throw ValidationError("give --top-k (recommendation) or --threshold (classification), not both") }
            if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1, got \(topK)") }
        }
        guard delimiter.count == 1 else { throw ValidationError("--delimiter must be a single character, got '\(delimiter)'") }
    }

    func run() throws {
        try OutputFile.checkDirectory(of: out)
        if let predictionDate { return try predictEvents(at: predictionDate) }
        guard let data else { return }
        let bundle = try FledgeModel.load(from: URL(fileURLWithPath: model))
        let table = try CSVReader.read(path: data, delimiter: Character(delimiter))
        let predictions = try bundle.predict(table)
        let text = predictions.csv(idColumn: bundle.preprocessor.idColumn ?? "id", rowNumberColumn: "row")
        try OutputFile.write(Data(text.utf8), to: out)
        print("wrote \(predictions.count) predictions to \(out)")
    }

    /// `--prediction-date`: scores entities of an events model from their history before the date.
    private func predictEvents(at text: String) throws {
        let date = try EventsCommands.date(text, option: "--prediction-date")
        let bundle = try EventsCommands.model(model)
        let config = try EventsCommands.config(for: bundle, path: config, overrides: [])
        let store = try EventDatasets.openStore(config, readers: EventsCommands.readers)
        let predictions = try bundle.predict(store: store, at: date, entityIDs: entityIds.isEmpty ? nil : entityIds)
        let text = predictions.tsv(threshold: threshold ?? 0.5, topK: topK ?? bundle.description.topK ?? 10)
        try OutputFile.write(Data(text.utf8), to: out)
        var message = "wrote \(predictions.entityIDs.count) predictions to \(out)"
        if predictions.skippedWithoutHistory > 0 {
            message += " (\(predictions.skippedWithoutHistory) entities without events before \(TimestampParser.dayText(date)) skipped)"
        }
        print(message)
    }
}
