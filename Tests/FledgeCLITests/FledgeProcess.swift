import Foundation

/// What one run of the `fledge` binary printed and how it exited.
struct FledgeOutput {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Non-empty lines written to standard error.
    var stderrLines: [String] {
        stderr.split(whereSeparator: \.isNewline).map(String.init)
    }
}

/// Runs the built `fledge` executable as a subprocess, the way a user would.
///
/// The binary is looked up next to the test bundle (`swift build --build-tests` puts both in
/// `.build/<triple>/<config>/`), or at `$FLEDGE_BINARY` when that is set. Commands run from the
/// repository root so the example configs' relative paths resolve.
enum FledgeProcess {
    /// The repository root, derived from this file's path (Tests/FledgeCLITests/FledgeProcess.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `fledge` executable built alongside the tests.
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["FLEDGE_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        // The test runner is `<build dir>/FledgePackageTests.xctest` (Linux) or lives inside
        // `<build dir>/FledgePackageTests.xctest/Contents/MacOS/` (macOS); look upwards for `fledge`.
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: "/proc/self/exe") {
            directory = Bundle.main.bundleURL.deletingLastPathComponent()
        }
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("fledge")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/fledge")
    }()

    /// Runs `fledge <arguments>` from `directory` (the repository root by default) and waits for it.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> FledgeOutput {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("fledge-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Output goes to files, not pipes, so a chatty command can never block on a full pipe.
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["FLEDGE_NUM_THREADS"] = "1"  // tests run in parallel on a shared machine
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return FledgeOutput(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8)
        )
    }
}

/// A temporary directory removed when the value is released by the test.
final class TemporaryDirectory {
    /// The directory's URL.
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-cli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
