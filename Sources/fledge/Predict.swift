import ArgumentParser
import FledgeData
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

    @Option(help: "A CSV file with the same feature columns as the training data.")
    var data: String

    @Option(help: "Where to write the predictions CSV.")
    var out: String

    @Option(help: "The CSV field delimiter.")
    var delimiter: String = ","

    func validate() throws {
        guard delimiter.count == 1 else { throw ValidationError("--delimiter must be a single character, got '\(delimiter)'") }
    }

    func run() throws {
        try OutputFile.checkDirectory(of: out)
        let bundle = try FledgeModel.load(from: URL(fileURLWithPath: model))
        let table = try CSVReader.read(path: data, delimiter: Character(delimiter))
        let predictions = try bundle.predict(table)
        let text = predictions.csv(idColumn: bundle.preprocessor.idColumn ?? "id", rowNumberColumn: "row")
        try OutputFile.write(Data(text.utf8), to: out)
        print("wrote \(predictions.count) predictions to \(out)")
    }
}
