import Foundation
import Testing

/// `fledge train`: the run directory, overrides, resume and templates, end to end.
@Suite struct TrainCommandTests {
    @Test func trainWritesTheRunDirectory() throws {
        let run = try TrainedRun.runDirectory()
        let files = FileManager.default
        for name in ["config.yaml", "metrics.jsonl", "checkpoints", "model"] {
            #expect(files.fileExists(atPath: run.appendingPathComponent(name).path), "run lacks \(name)")
        }
        for name in ["model.safetensors", "model.json", "preprocessor.json"] {
            #expect(files.fileExists(atPath: run.appendingPathComponent("model/\(name)").path), "model/ lacks \(name)")
        }
        let checkpoints = try files.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path)
        #expect(checkpoints.contains { $0.hasPrefix("checkpoint-") })
        #expect(checkpoints.contains { $0.hasPrefix("best-") })
    }

    @Test func theResolvedConfigRecordsTheOverrides() throws {
        let run = try TrainedRun.runDirectory()
        let config = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(config.contains("epochs: 3"))
        #expect(config.contains("run_id: shared"))
        #expect(config.contains("label_column: target"))
    }

    @Test func metricsLogHoldsOneJSONObjectPerLine() throws {
        let run = try TrainedRun.runDirectory()
        let text = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty)
        var sawValidation = false
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["step"] != nil)
            if object?["val_accuracy"] != nil { sawValidation = true }
        }
        #expect(sawValidation)
    }

    @Test func quietTrainingPrintsOnlyTheSummary() throws {
        let (_, output) = try TrainedRun.result.get()
        #expect(output.status == 0)
        #expect(output.stderr.isEmpty)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "run: \(TrainedRun.experimentDirectory.appendingPathComponent("shared").path)")
        #expect(lines.contains { $0.hasPrefix("validation: ") && $0.contains("val_accuracy") })
        #expect(lines.contains { $0.hasPrefix("test: ") && $0.contains("accuracy") })
        #expect(!output.stdout.contains("saved checkpoint"))
    }

    @Test func progressLinesShowWithoutQuiet() throws {
        let directory = try TemporaryDirectory()
        let output = try FledgeProcess.run([
            "train", "Examples/configs/binary.yaml", "--set", "experiment.experiment_dir=\(directory.url.path)",
            "--set", "training.epochs=1",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("training 1 epochs"))
        #expect(output.stdout.contains("val_loss"))
    }

    @Test func resumeLastContinuesTheRun() throws {
        let directory = try TemporaryDirectory()
        let common = ["train", "Examples/configs/binary.yaml",
                      "--set", "experiment.experiment_dir=\(directory.url.path)", "--set", "experiment.run_id=r",
                      "--set", "training.early_stopping=null"]
        let first = try FledgeProcess.run(common + ["--set", "training.epochs=1", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try FledgeProcess.run(common + ["--set", "training.epochs=2", "--resume", "last"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("resuming at step"))
        #expect(second.stdout.contains("finished at step \(2 * TrainedRun.batchesPerEpoch)"))
    }

    /// `fledge init --task <task>` output trains as is once pointed at data (fast_dev_run: one batch).
    @Test(arguments: [
        ("binary", ["data.train_path=Examples/Data/breast_cancer.csv", "data.label_column=target"]),
        ("multiclass", ["data.train_path=Examples/Data/wine.csv", "data.label_column=target"]),
        ("multilabel", ["data.train_path=Examples/Data/multilabel.csv", "data.id_column=id",
                        "data.label_columns=[label_sports, label_tech, label_travel]"]),
        ("regression", ["data.train_path=Examples/Data/diabetes.csv", "data.label_column=target"]),
    ])
    func initTemplateTrainsWithFastDevRun(task: String, data: [String]) throws {
        let directory = try TemporaryDirectory()
        let template = try FledgeProcess.run(["init", "--task", task])
        #expect(template.status == 0)
        let config = try directory.write("config.yaml", template.stdout)
        var arguments = ["train", config, "--set", "training.fast_dev_run=true", "--quiet",
                         "--set", "experiment.experiment_dir=\(directory.url.path)"]
        for override in data { arguments += ["--set", override] }
        let output = try FledgeProcess.run(arguments)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("trained 1 steps"))
    }
}
