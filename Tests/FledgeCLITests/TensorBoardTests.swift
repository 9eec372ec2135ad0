import Foundation
import Testing

/// `training.report_to: [tensorboard]` writes event files TensorBoard's own reader accepts, holding
/// every scalar of metrics.jsonl. Needs python3 with `tensorboard` (scripts/setup.sh installs it);
/// set FLEDGE_SKIP_PYTHON_TESTS=1 to skip where Python is unavailable.
@Suite struct TensorBoardTests {
    /// Reads `<dir>` with EventAccumulator and prints `{tag: [[step, value], ...]}` as JSON.
    static let reader = """
        import json, sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        acc = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})
        acc.Reload()
        print(json.dumps({t: [[e.step, e.value] for e in acc.Scalars(t)] for t in acc.Tags()["scalars"]}))
        """

    @Test func tensorBoardReaderFindsEveryScalar() throws {
        let environment = ProcessInfo.processInfo.environment
        let hasTensorBoard = (try? Self.python(["-c", "import tensorboard"]).status) == 0
        if !hasTensorBoard && environment["FLEDGE_SKIP_PYTHON_TESTS"] == "1" {
            print("SKIPPED tensorBoardReaderFindsEveryScalar: FLEDGE_SKIP_PYTHON_TESTS=1 and python3 lacks tensorboard")
            return
        }
        try #require(hasTensorBoard, "python3 cannot import tensorboard: run scripts/setup.sh (pip install tensorboard) or set FLEDGE_SKIP_PYTHON_TESTS=1")

        let experiment = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: experiment) }
        let output = try FledgeProcess.run(
            ["train", "Examples/configs/binary.yaml", "--quiet", "--set", "training.epochs=2",
             "--set", "training.report_to=[tensorboard]", "--set", "training.log_every_n_steps=5",
             "--set", "experiment.experiment_dir=\(experiment.path)", "--set", "experiment.run_id=tb"])
        try #require(output.status == 0, "\(output.stderr)")
        let run = experiment.appendingPathComponent("tb")

        let read = try Self.python(["-c", Self.reader, run.appendingPathComponent("tensorboard").path])
        try #require(read.status == 0, "EventAccumulator failed: \(read.stderr)")
        let scalars = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [[Double]]])

        let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count > 3)
        var checked = 0
        for line in lines {
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let step = try #require(entry["step"] as? Int)
            for (key, value) in entry where key != "step" && key != "epoch" {
                guard let number = value as? Double else { continue }  // null: a non-finite value
                let expected = Double(Float(number))
                let found = scalars[key]?.contains { $0[0] == Double(step) && abs($0[1] - expected) <= 1e-6 * max(1, abs(expected)) } ?? false
                #expect(found, "scalar \(key) = \(number) at step \(step) not in the event file")
                checked += 1
            }
        }
        #expect(checked > 10)
        #expect(scalars["val_loss"] != nil && scalars["train_loss"] != nil && scalars["lr"] != nil)
    }

    @Test func unknownReportTargetIsAConfigError() throws {
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--quiet",
                                            "--set", "training.report_to=[wandb]"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("training.report_to[0]") && output.stderr.contains("tensorboard"), "\(output.stderr)")
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Small outputs; read stderr after stdout (a chatty warning stream would still fit the pipe).
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
