import Foundation
import Testing

/// `fledge compare` on two real breast-cancer runs that differ in learning rate.
@Test func compareTabulatesConfigDifferencesAndWritesAnOverlay() throws {
    let first = try TrainedRun.runDirectory()
    let experiment = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-compare-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: experiment) }
    let trained = try FledgeProcess.run(
        ["train", "Examples/configs/binary.yaml", "--set", "experiment.experiment_dir=\(experiment.path)",
         "--set", "experiment.run_id=slow", "--set", "training.learning_rate=0.0001"] + TrainedRun.smallRun)
    #expect(trained.status == 0, "\(trained.stderr)")
    let second = experiment.appendingPathComponent("slow")
    // Training wrote its learning curves.
    for name in ["loss.svg", "lr.svg"] {
        #expect(FileManager.default.fileExists(atPath: second.appendingPathComponent("plots/\(name)").path), "\(name)")
    }

    let out = experiment.appendingPathComponent("compare.svg")
    let output = try FledgeProcess.run(["compare", first.path, second.path, "--out", out.path])
    #expect(output.status == 0, "\(output.stderr)")
    let lines = output.stdout.split(separator: "\n").map(String.init)
    let header = try #require(lines.first)
    #expect(header.contains("training.learning_rate") && header.contains("final val_loss") && header.contains("best val_loss"))
    #expect(!header.contains("experiment.run_id"))
    #expect(lines.contains { $0.hasPrefix("shared") } && lines.contains { $0.hasPrefix("slow") && $0.contains("0.0001") })
    let svg = try String(contentsOf: out, encoding: .utf8)
    #expect(svg.contains("data-name=\"shared\"") && svg.contains("data-name=\"slow\""))
    #expect(svg.hasSuffix("</svg>\n"))
}

@Test func compareNeedsTwoRuns() throws {
    let output = try FledgeProcess.run(["compare", "only-one"])
    #expect(output.status != 0)
    #expect(output.stderr.contains("at least two"))
}
