import Foundation
import Testing

/// How `fledge train` shows progress: a live bar and validation tables on a real terminal (run
/// under tmux and read back with capture-pane), plain lines without carriage returns elsewhere.
@Suite struct ProgressOutputTests {
    /// `tmux`, if installed (scripts/setup.sh installs it).
    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func arguments(experiment: URL) -> [String] {
        ["train", "Examples/configs/binary.yaml", "--set", "training.epochs=2",
         "--set", "experiment.experiment_dir=\(experiment.path)", "--set", "experiment.run_id=progress"]
    }

    @Test func terminalShowsProgressBarAndValidationTable() throws {
        guard let tmux = Self.tmux else {
            print("SKIPPED terminalShowsProgressBarAndValidationTable: tmux not found; run scripts/setup.sh to install it")
            return
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let session = "fledge-test-\(UUID().uuidString.prefix(8))"
        let done = scratch.appendingPathComponent("done")
        let quoted = ([FledgeProcess.binary.path] + Self.arguments(experiment: scratch)).map { "'\($0)'" }.joined(separator: " ")
        // The pane stays open after the command (the shell waits), so capture-pane can read it.
        let script = "cd '\(FledgeProcess.repositoryRoot.path)' && FLEDGE_NUM_THREADS=1 \(quoted); echo $? > '\(done.path)'; sleep 60"
        try Self.run(tmux, capture: false, ["-L", session, "new-session", "-d", "-s", session, "-x", "200", "-y", "60", "sh", "-c", script])
        defer { _ = try? Self.run(tmux, capture: false, ["-L", session, "kill-server"]) }
        var waited = 0
        while !FileManager.default.fileExists(atPath: done.path), waited < 600 {
            Thread.sleep(forTimeInterval: 0.5)
            waited += 1
        }
        let status = try String(contentsOf: done, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pane = try Self.run(tmux, ["-L", session, "capture-pane", "-p", "-t", session, "-S", "-200"])
        #expect(status == "0", "fledge train failed under tmux:\n\(pane)")
        #expect(pane.contains("epoch 2/2"), "no progress bar in the pane:\n\(pane)")
        #expect(pane.contains("13/13"), "the bar never reached the last batch:\n\(pane)")
        #expect(pane.contains("ETA") && pane.contains("samples/s") && pane.contains("lr "), "bar fields missing:\n\(pane)")
        #expect(pane.contains("| val_loss"), "no validation table:\n\(pane)")
    }

    @Test func pipedOutputHasPlainLinesWithoutCarriageReturns() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-pipe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = try FledgeProcess.run(Self.arguments(experiment: scratch))
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!output.stdout.contains("\r"))
        #expect(!output.stdout.contains("\u{1B}["))
        #expect(output.stdout.contains("] epoch 2"), "no timestamped epoch lines:\n\(output.stdout)")
    }

    @Test func verbosePrintsEveryStepAndQuietOnlyTheSummary() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-verbose-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let verbose = try FledgeProcess.run(Self.arguments(experiment: scratch) + ["--verbose", "--set", "experiment.run_id=v"])
        #expect(verbose.status == 0, "\(verbose.stderr)")
        #expect(verbose.stdout.contains("batch 13/13"))
        #expect(verbose.stdout.components(separatedBy: "  batch ").count - 1 == 2 * TrainedRun.batchesPerEpoch)
        let quiet = try FledgeProcess.run(Self.arguments(experiment: scratch) + ["--quiet", "--set", "experiment.run_id=q"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stdout.contains("epoch 1"))
        #expect(quiet.stdout.contains("run: "))
    }

    /// Runs a helper program and returns its standard output when `capture` is set. Starting a
    /// tmux server must not capture or wait: the server would hold the pipe and the wait open.
    @discardableResult
    static func run(_ executable: String, capture: Bool = true, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = capture ? pipe : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Not waiting when not capturing: the tmux client returns at once, but Foundation's
        // Process on Linux can block until the forked server exits.
        guard capture else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
