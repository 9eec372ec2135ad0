import Foundation
import Testing

/// `fledge tune`: a real small search on breast cancer, bad search spaces, two workers, kill -9.
@Suite struct TuneCommandTests {
    /// A tuning config in a fresh folder (runs go there too); returns the folder and the config path.
    static func makeConfig(nTrials: Int = 4, extraTune: String = "", params: String? = nil, epochs: Int = 3) throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-tune-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = FledgeProcess.repositoryRoot.appendingPathComponent("Examples/Data/breast_cancer.csv").path
        let yaml = """
            experiment: {name: bc, seed: 7, experiment_dir: \(folder.path)/runs}
            data: {train_path: \(data), label_column: target, validation_split: 0.2, test_size: 0.1, standardize: true}
            model: {task: binary, layers: [8]}
            training: {epochs: \(epochs), batch_size: 64, learning_rate: 0.001, metrics: [accuracy], metric_to_monitor: val_loss,
                       checkpoint: {save_strategy: "no"}}
            tune:
              n_trials: \(nTrials)
              sampler: {type: tpe, n_startup_trials: 2}
              pruner: {type: none}
            \(extraTune)
              params:
            \(params ?? """
                    training.learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
                    model.layers: {type: categorical, choices: [[4], [16, 8]]}
                """)
            """
        let path = folder.appendingPathComponent("tune.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    static func csvRows(_ folder: URL) throws -> [[String]] {
        let text = try String(contentsOf: folder.appendingPathComponent("runs/bc/trials.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func tuneRunsTrialsAndWritesTheStudyReport() throws {
        let (folder, config) = try Self.makeConfig()
        let output = try FledgeProcess.run(["tune", config])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("best trial"))
        let study = folder.appendingPathComponent("runs/bc")
        for name in ["study.sqlite", "trials.csv", "trials.json", "best.json", "best_config.yaml", "importances.json", "history.svg"] {
            #expect(FileManager.default.fileExists(atPath: study.appendingPathComponent(name).path), "missing \(name)")
        }
        let rows = try Self.csvRows(folder)
        #expect(rows.count == 4 && rows.allSatisfy { $0[1] == "complete" }, "\(rows)")
        let best = try JSONSerialization.jsonObject(with: Data(contentsOf: study.appendingPathComponent("best.json"))) as! [String: Any]
        let params = best["params"] as! [String: Any]
        let bestConfig = try String(contentsOf: study.appendingPathComponent("best_config.yaml"), encoding: .utf8)
        let line = bestConfig.split(separator: "\n").first { $0.contains("  learning_rate: ") }!
        let written = Double(line.split(separator: " ").last!)!
        #expect(abs(written / (params["training.learning_rate"] as! Double) - 1) < 1e-12, "\(line)")
        #expect(try String(contentsOf: study.appendingPathComponent("history.svg"), encoding: .utf8).contains("<svg"))
        // best_config.yaml trains as it is.
        let train = try FledgeProcess.run(["train", study.appendingPathComponent("best_config.yaml").path, "--quiet",
                                           "--set", "training.epochs=1", "--set", "experiment.run_id=check"])
        #expect(train.status == 0, "\(train.stderr)")
        // Running it again without --resume refuses; with --resume and a larger budget continues.
        let again = try FledgeProcess.run(["tune", config])
        #expect(again.status == 1 && again.stderr.contains("--resume"), "\(again.stderr)")
        let resumed = try FledgeProcess.run(["tune", config, "--resume", "--n-trials", "5"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.csvRows(folder).count == 5)
    }

    @Test(arguments: [
        ("training.learning_rate: {type: float, low: 0.1, high: 0.01}", "tune.params.training.learning_rate.low"),
        ("training.learning_rate: {type: float, low: 0.0, high: 0.1, log: true}", "log: true needs positive bounds"),
        ("model.layers: {type: categorical, choices: []}", "tune.params.model.layers.choices is empty"),
        ("training.learnin_rate: {type: float, low: 0.001, high: 0.1}", "did you mean training.learning_rate"),
        ("model.dropout: {type: float, low: 0.0, high: 1.5}", "tune.params.model.dropout: the value 1.5 is not valid"),
        ("training.optimizer: {type: categorical, choices: [adam, lion]}", "'lion' is not one of"),
        ("training.learning_rate: {type: float, low: 0.001, hihg: 0.1}", "did you mean tune.params.training.learning_rate.high"),
    ])
    func invalidSearchSpacesAreRejectedBeforeAnyTrial(param: String, message: String) throws {
        let (folder, config) = try Self.makeConfig(params: "    " + param)
        let output = try FledgeProcess.run(["tune", config])
        #expect(output.status == 1)
        #expect(output.stderrLines.count == 1 && output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.contains("tune.yaml:"), "the error names the file: \(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/bc/study.sqlite").path))
    }

    @Test func twoWorkerProcessesShareOneStudy() throws {
        let (folder, config) = try Self.makeConfig(nTrials: 6)
        let output = try FledgeProcess.run(["tune", config, "--workers", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try Self.csvRows(folder)
        #expect((6...7).contains(rows.count), "at most one extra trial per racing worker: \(rows.count)")
        #expect(rows.map { Int($0[0])! } == Array(0..<rows.count))
        let workers = Set(rows.map { $0[$0.count - 2] })
        #expect(workers.count == 2, "both processes ran trials: \(workers)")
        #expect(output.stdout.contains("[worker 1] trial"))
    }

    @Test func killingTuneLosesNoCompletedTrialAndResumeFinishesTheBudget() throws {
        let (folder, config) = try Self.makeConfig(nTrials: 6, extraTune: "  heartbeat_interval: 0.2\n  heartbeat_timeout: 1.5", epochs: 8)
        let out = folder.appendingPathComponent("stdout.txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let process = Process()
        process.executableURL = FledgeProcess.binary
        process.arguments = ["tune", config]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for two completed trials, then kill -9 in the middle of the third.
        let deadline = Date().addingTimeInterval(120)
        var completedBefore: [String] = []
        while Date() < deadline {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            completedBefore = text.split(separator: "\n").filter { $0.contains(" complete ") }.map(String.init)
            if completedBefore.count >= 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(completedBefore.count >= 2)
        let resumed = try FledgeProcess.run(["tune", config, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let rows = try Self.csvRows(folder)
        #expect(rows.count == 6 && rows.allSatisfy { $0[1] == "complete" }, "\(rows.map { $0.prefix(3) })")
        // The trials completed before the kill are intact: same values as printed then.
        for line in completedBefore {
            let number = Int(line.split(separator: " ")[1])!
            let printed = Double(line.split(separator: " ")[4])!
            #expect(abs(Double(rows[number][2])! - printed) < 1e-5 * max(1, abs(printed)), "trial \(number)")
        }
        // The trial the kill interrupted was re-queued: the resumed worker ran that same number to completion.
        let interrupted = completedBefore.count
        #expect(resumed.stdout.contains("trial \(interrupted) complete"), "\(resumed.stdout)")
    }
}
