import Foundation
import Testing

/// `fledge report <run>` and the diagnosis at the end of `fledge train`.
@Suite struct ReportCommandTests {
    @Test func trainEndsWithADiagnosis() throws {
        let (_, output) = try TrainedRun.result.get()
        #expect(output.stdout.contains("Diagnosis: "), "\(output.stdout)")
    }

    @Test func reportPrintsTheSummaryAndTheDiagnosis() throws {
        let run = try TrainedRun.runDirectory()
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("baseline.json").path))
        let output = try FledgeProcess.run(["report", run.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("run: \(run.path)"))
        #expect(output.stdout.contains("best val_loss: "))
        #expect(output.stdout.contains("Diagnosis: "))
    }

    @Test func reportOnAMissingRunSaysWhatIsWrong() throws {
        let directory = try TemporaryDirectory()
        let output = try FledgeProcess.run(["report", directory.url.path])
        #expect(output.status != 0)
        #expect(output.stderr.contains("metrics.jsonl not found"))
    }
}

/// A run stopped by a NaN loss still says what went wrong.
@Test func aNaNLossEndsWithADivergingDiagnosis() throws {
    let directory = try TemporaryDirectory()
    let output = try FledgeProcess.run([
        "train", "Examples/configs/binary.yaml", "--quiet",
        "--set", "experiment.experiment_dir=\(directory.url.path)", "--set", "experiment.run_id=nan",
        "--set", "training.optimizer=sgd", "--set", "training.learning_rate=1e3",
    ])
    #expect(output.status == 1)
    #expect(output.stdout.contains("Diagnosis: diverging"), "\(output.stdout)")
    #expect(output.stdout.contains("training.learning_rate"))
    #expect(output.stderrLines.count == 1)

    // The failing step is in metrics.jsonl (a null loss), so the run alone says "diverging".
    let run = directory.url.appendingPathComponent("nan")
    let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
    let last = try #require(lines.last)
    #expect(last.contains("\"train_loss\":null"), "\(lines)")
    let report = try FledgeProcess.run(["report", run.path])
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("Diagnosis: diverging — the loss became NaN or infinite"), "\(report.stdout)")
}
