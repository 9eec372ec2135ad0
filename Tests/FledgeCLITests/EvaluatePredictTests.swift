import Foundation
import Testing

/// `fledge evaluate` and `fledge predict` on the shared trained binary run.
@Suite struct EvaluatePredictTests {
    static let data = "Examples/Data/breast_cancer.csv"

    @Test func evaluatePrintsAndSavesMetrics() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        let out = directory.path("metrics.json")
        let output = try FledgeProcess.run(["evaluate", run.path, "--data", Self.data, "--out", out])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("accuracy: 0.9"))
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Double]
        let accuracy = try #require(saved?["accuracy"])
        #expect(accuracy > 0.9)
        #expect(saved?["loss"] != nil)
    }

    @Test func evaluateSavesNextToTheModelByDefault() throws {
        let run = try TrainedRun.runDirectory()
        let output = try FledgeProcess.run(["evaluate", run.path, "--data", Self.data])
        let saved = run.appendingPathComponent("model/metrics-breast_cancer.json").path
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasSuffix("saved \(saved)\n"))
        #expect(FileManager.default.fileExists(atPath: saved))
    }

    @Test func evaluateAcceptsTheModelDirectoryAndChosenMetrics() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        let out = directory.path("m.json")
        let output = try FledgeProcess.run([
            "evaluate", run.appendingPathComponent("model").path, "--data", Self.data, "--out", out,
            "--metrics", "accuracy", "average_precision",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Double]
        #expect(saved?["average_precision"] != nil)
        #expect(saved?["f1"] == nil)
    }

    @Test func predictWritesOneRowPerInputWithRowNumbers() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        let out = directory.path("predictions.csv")
        let output = try FledgeProcess.run(["predict", run.path, "--data", Self.data, "--out", out])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "wrote 569 predictions to \(out)\n")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 570)
        #expect(lines.first == "row,probability,label")
        let fields = lines[1].split(separator: ",")
        #expect(fields.count == 3)
        #expect(fields[0] == "1")
        let probability = try #require(Double(fields[1]))
        #expect((0...1).contains(probability))
        #expect(fields[2] == "0" || fields[2] == "1")
    }

    @Test func predictNeedsNoLabelColumn() throws {
        let run = try TrainedRun.runDirectory()
        let directory = try TemporaryDirectory()
        // The first five rows without the `target` column.
        let rows = try String(contentsOfFile: FledgeProcess.repositoryRoot.appendingPathComponent(Self.data).path, encoding: .utf8)
            .split(separator: "\n").prefix(6)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
        let input = try directory.write("new.csv", rows.joined(separator: "\n") + "\n")
        let out = directory.path("p.csv")
        let output = try FledgeProcess.run(["predict", run.path, "--data", input, "--out", out])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 6)
    }
}
