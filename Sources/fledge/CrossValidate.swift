import ArgumentParser
import FledgeTrain
import FledgeTune
import Foundation

/// `fledge cv config.yaml --folds 5 [--stratified] [--group-column C] [--repeats R]`: k-fold
/// cross-validation with the preprocessing fitted inside each fold.
struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Cross-validate a training config: per-fold and mean ± std metrics, out-of-fold predictions.",
        discussion: """
            Writes <experiment_dir>/<run_id or name-cv-timestamp>/ with cv_report.json, oof_predictions.csv \
            and one run directory per fold. Folds are shuffled by experiment.seed (repeat r: seed + r). \
            See docs/experiments.md.
            """
    )

    @Argument(help: "The YAML config file.")
    var config: String

    @Option(help: "The number of folds k (each held out once).")
    var folds = 5

    @Flag(help: "Keep each class's share equal in every fold (binary and multiclass tasks).")
    var stratified = false

    @Option(help: ArgumentHelp("Keep all rows with the same value of this column in one fold.", valueName: "column"))
    var groupColumn: String?

    @Option(help: "Repeat k-fold this many times with fresh folds.")
    var repeats = 1

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override one config key, e.g. --set training.epochs=20 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Flag(help: "Print only the fold lines and the summary, not the training progress.")
    var quiet = false

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2, not \(folds)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, not \(repeats)") }
    }

    func run() throws {
        let config = try FledgeConfig.load(path: config, overrides: overrides)
        let options = CrossValidationOptions(folds: folds, stratified: stratified, groupColumn: groupColumn, repeats: repeats)
        let quiet = quiet
        let validator = CrossValidator(config: config, options: options,
                                       progress: { quiet ? nil : ProgressPrinter() }, log: { print($0) })
        let result = try validator.run()
        print("cv: \(result.directory.path)")
        print("mean ± std over \(result.report.perFold.count) fits (held-out folds):")
        for line in MetricSummary.lines(result.report.summary) { print("  " + line) }
        print("out-of-fold predictions: \(result.outOfFoldFile.path)")
    }
}
