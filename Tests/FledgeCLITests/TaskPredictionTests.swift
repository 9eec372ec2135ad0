import Foundation
import Testing

/// Prediction files for the other tasks: an id column when the config names one, label sets for
/// multilabel, values for regression.
@Suite struct TaskPredictionTests {
    /// Trains `config` for one epoch into `directory` and returns the run directory.
    func trainOneEpoch(_ config: String, in directory: TemporaryDirectory) throws -> String {
        let output = try FledgeProcess.run([
            "train", config, "--quiet", "--set", "training.epochs=1",
            "--set", "experiment.experiment_dir=\(directory.url.path)", "--set", "experiment.run_id=run",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        return directory.path("run")
    }

    @Test func multilabelPredictionsCarryTheIdColumnAndLabelSets() throws {
        let directory = try TemporaryDirectory()
        let run = try trainOneEpoch("Examples/configs/multilabel.yaml", in: directory)
        let out = directory.path("p.csv")
        let output = try FledgeProcess.run(["predict", run, "--data", "Examples/Data/multilabel.csv", "--out", out])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 801)
        #expect(lines.first == "id,probability_label_sports,probability_label_tech,probability_label_travel,label")
        #expect(lines[1].hasPrefix("c0000,"))
        let labels = lines[1].split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? "?"
        let known: Set<Substring> = ["label_sports", "label_tech", "label_travel"]
        #expect(labels.split(separator: "|").allSatisfy { known.contains($0) })
    }

    @Test func regressionPredictionsAreValuesAndEvaluationGivesR2() throws {
        let directory = try TemporaryDirectory()
        let run = try trainOneEpoch("Examples/configs/regression.yaml", in: directory)
        let out = directory.path("p.csv")
        let predicted = try FledgeProcess.run(["predict", run, "--data", "Examples/Data/diabetes.csv", "--out", out])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "row,prediction")
        #expect(lines.count == 443)
        #expect(Double(lines[1].split(separator: ",")[1]) != nil)

        let evaluated = try FledgeProcess.run(["evaluate", run, "--data", "Examples/Data/diabetes.csv", "--out", directory.path("m.json")])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.contains("r2: "))
        #expect(evaluated.stdout.contains("rmse: "))
    }
}
