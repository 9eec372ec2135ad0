import Foundation
import Testing

/// Every user mistake stops with exactly one `error:` line on stderr naming the file, line and
/// column (or key path) and what to do, exit status 1, and no stack trace.
@Suite struct BadInputTests {
    /// Checks that `output` is the failure `message` and nothing else.
    func expectUserError(_ output: FledgeOutput, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(output.status == 1, "exit status", sourceLocation: sourceLocation)
        #expect(output.stderr == "error: \(message)\n", sourceLocation: sourceLocation)
    }

    /// A minimal binary config for `csv` in `directory`.
    func tinyConfig(_ directory: TemporaryDirectory, csv: String, extra: String = "") throws -> String {
        try directory.write("config.yaml", """
            experiment:
              experiment_dir: \(directory.url.path)
            data:
              train_path: \(csv)
              label_column: target
            \(extra)
            model:
              task: binary
              layers: [4]
            training:
              epochs: 1
              batch_size: 4

            """)
    }

    /// Ten labelled rows `a,b,target` as CSV lines (no header).
    static let goodRows = (0..<10).map { "\($0),\(10 - $0),\($0 % 2)" }

    /// Writes `name`: the header `a,b,target` and the good rows, with file line `line` replaced by `text`.
    func writeCSV(_ name: String, in directory: TemporaryDirectory, line: Int, replacedBy text: String) throws -> String {
        var lines = ["a,b,target"] + Self.goodRows
        lines[line - 1] = text
        return try directory.write(name, lines.joined(separator: "\n") + "\n")
    }

    // MARK: Config

    @Test func unknownKeyInTheFileNamesLineColumnAndTheNearestKey() throws {
        let directory = try TemporaryDirectory()
        let csv = try directory.write("d.csv", (["a,b,target"] + Self.goodRows).joined(separator: "\n"))
        let config = try directory.write("config.yaml", """
            data:
              train_path: \(csv)
              label_column: target
            model:
              task: binary
            training:
              epochs: 1
              learnin_rate: 0.01

            """)
        let output = try FledgeProcess.run(["train", config])
        expectUserError(output, "\(config):8:3: training.learnin_rate is not a known key; did you mean training.learning_rate?")
    }

    @Test func unknownKeyInAnOverrideNamesTheArgument() throws {
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--set", "trainin.epochs=2"])
        expectUserError(output, "--set trainin.epochs=2: trainin is not a known key; did you mean training?")
    }

    @Test func wrongValueTypeNamesTheKeyPath() throws {
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--set", "training.epochs=ten"])
        expectUserError(output, "--set training.epochs=ten: training.epochs: expected an integer, got 'ten'")
    }

    @Test func nonPositiveSaveStepsIsAConfigError() throws {
        // ModelCheckpoint traps on it, so the config check must catch it first.
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--set", "training.checkpoint.save_steps=0"])
        expectUserError(output, "--set training.checkpoint.save_steps=0: training.checkpoint.save_steps must be positive")
    }

    @Test func missingConfigFileSaysHowToMakeOne() throws {
        let output = try FledgeProcess.run(["train", "no/such/config.yaml"])
        expectUserError(output, "no/such/config.yaml: no such file; write one with `fledge init --task binary > no/such/config.yaml`")
    }

    // MARK: Data while training

    @Test func rowWithTooFewFieldsNamesLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let csv = try writeCSV("short.csv", in: directory, line: 4, replacedBy: "3,7")
        let output = try FledgeProcess.run(["train", try tinyConfig(directory, csv: csv)])
        expectUserError(output, "\(csv):4:3: this row has 2 fields but the header has 3 columns; add the missing values (an empty field between two delimiters is a missing value)")
    }

    @Test func nonNumericValueInANumericColumnNamesLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let csv = try writeCSV("text.csv", in: directory, line: 6, replacedBy: "4,six,0")
        let config = try tinyConfig(directory, csv: csv, extra: "  column_types: {b: numeric}")
        let output = try FledgeProcess.run(["train", config])
        expectUserError(output, "\(csv):6:2: \"six\" in numeric column \"b\" is not a number; fix the value, leave the cell empty to mark it missing, or declare the column categorical (data.column_types)")
    }

    @Test func emptyFileSaysWhatACSVNeeds() throws {
        let directory = try TemporaryDirectory()
        let csv = try directory.write("empty.csv", "")
        let output = try FledgeProcess.run(["train", try tinyConfig(directory, csv: csv)])
        expectUserError(output, "\(csv):1:1: the file is empty; a CSV needs a header line with the column names and at least one data row")
    }

    @Test func missingLabelColumnListsTheHeader() throws {
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--set", "data.label_column=diagnosis"])
        let header = try breastCancerRows(0) { _ in }[0].split(separator: ",").joined(separator: ", ")
        expectUserError(output, "Examples/Data/breast_cancer.csv:1:1: no column named \"diagnosis\"; the header has: \(header); check the column name in the configuration")
    }

    @Test func missingTrainingFileNamesThePath() throws {
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--set", "data.train_path=no/such.csv"])
        expectUserError(output, "no/such.csv: file not found; check the path (relative paths start from the working directory)")
    }

    @Test func nanLossStopsAndNamesTheLastGoodCheckpoint() throws {
        let directory = try TemporaryDirectory()
        // Plain SGD with a learning rate of 1000 overflows on the fourth batch; a checkpoint is
        // written after every step, so the last good one is checkpoint-3.
        let output = try FledgeProcess.run([
            "train", "Examples/configs/binary.yaml", "--quiet",
            "--set", "experiment.experiment_dir=\(directory.url.path)", "--set", "experiment.run_id=nan",
            "--set", "training.optimizer=sgd", "--set", "training.learning_rate=1e3",
            "--set", "training.checkpoint.save_strategy=steps", "--set", "training.checkpoint.save_steps=1",
        ])
        let checkpoint = directory.url.appendingPathComponent("nan/checkpoints/checkpoint-3").path
        #expect(output.status == 1)
        #expect(output.stderrLines.count == 1)
        #expect(output.stderr.hasPrefix("error: training stopped: the loss became "))
        #expect(output.stderr.contains("the last good checkpoint is \(checkpoint); lower training.learning_rate"))
        #expect(FileManager.default.fileExists(atPath: checkpoint + "/model.safetensors"))
    }

    // MARK: Data for a trained model

    /// The breast-cancer header and its first rows, with `edit` applied to the row list.
    func breastCancerRows(_ count: Int, edit: (inout [String]) -> Void) throws -> [String] {
        let text = try String(contentsOf: FledgeProcess.repositoryRoot.appendingPathComponent("Examples/Data/breast_cancer.csv"), encoding: .utf8)
        var rows = text.split(separator: "\n").prefix(count + 1).map(String.init)
        edit(&rows)
        return rows
    }

    @Test func unseenLabelNamesLineColumnAndKnownLabels() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        let rows = try breastCancerRows(4) { rows in
            rows[3] = rows[3].split(separator: ",").dropLast().joined(separator: ",") + ",2"
        }
        let csv = try directory.write("unseen.csv", rows.joined(separator: "\n") + "\n")
        let output = try FledgeProcess.run(["evaluate", run.path, "--data", csv])
        expectUserError(output, "\(csv):4:31: label \"2\" was not seen in the training data (known labels: 0, 1); remove the row or retrain on data that contains this label")
    }

    @Test func evaluateWithoutTheLabelColumnPointsToPredict() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        let rows = try breastCancerRows(3) { rows in
            rows = rows.map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        }
        let csv = try directory.write("unlabelled.csv", rows.joined(separator: "\n") + "\n")
        let output = try FledgeProcess.run(["evaluate", run.path, "--data", csv])
        expectUserError(output, "\(csv):1:1: no label column \"target\"; evaluate compares predictions with the labels the model was trained on, so the file needs that column (for unlabelled rows use fledge predict)")
    }

    @Test func nonNumericValueForPredictionNamesLineAndColumn() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        let rows = try breastCancerRows(3) { rows in
            var fields = rows[2].split(separator: ",").map(String.init)
            fields[1] = "abc"
            rows[2] = fields.joined(separator: ",")
        }
        let csv = try directory.write("new.csv", rows.joined(separator: "\n") + "\n")
        let output = try FledgeProcess.run(["predict", run.path, "--data", csv, "--out", directory.path("p.csv")])
        expectUserError(output, "\(csv):3:2: \"abc\" in numeric column \"mean texture\" is not a number; fix the value, leave the cell empty to mark it missing, or declare the column categorical (data.column_types)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("p.csv")))
    }

    @Test func missingModelDirectoryNamesThePath() throws {
        let output = try FledgeProcess.run(["evaluate", "runs/no-such-run", "--data", "Examples/Data/breast_cancer.csv"])
        expectUserError(output, "model runs/no-such-run does not exist; pass a run directory or its model/ folder")
    }

    @Test func missingDataFileForPredictionNamesThePath() throws {
        let run = try TrainedRun.runDirectory()
        let output = try FledgeProcess.run(["predict", run.path, "--data", "no/new.csv", "--out", "/tmp/unused.csv"])
        expectUserError(output, "no/new.csv: file not found; check the path (relative paths start from the working directory)")
    }

    @Test func unwritableOutputNamesTheDirectory() throws {
        let run = try TrainedRun.runDirectory()
        let output = try FledgeProcess.run(["predict", run.path, "--data", "Examples/Data/breast_cancer.csv", "--out", "/no/such/dir/p.csv"])
        expectUserError(output, "/no/such/dir/p.csv: cannot write the file: the directory /no/such/dir does not exist; create it or choose another --out path")
    }

    @Test func evaluateRefusesAnUnwritableOutputBeforeMeasuring() throws {
        let run = try TrainedRun.runDirectory()
        let output = try FledgeProcess.run(["evaluate", run.path, "--data", "Examples/Data/breast_cancer.csv", "--out", "/no/such/dir/m.json"])
        expectUserError(output, "/no/such/dir/m.json: cannot write the file: the directory /no/such/dir does not exist; create it or choose another --out path")
        #expect(output.stdout.isEmpty)
    }
}
