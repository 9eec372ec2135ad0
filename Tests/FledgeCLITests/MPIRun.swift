import Foundation

/// Runs the built `fledge` under Open MPI's `mpirun` on this machine (loopback), as root too
/// (CI runs as root), with a time limit so a hung job fails the test instead of hanging it.
enum MPIRun {
    /// `mpirun` on PATH, or nil (the data-parallel tests are skipped then; setup.sh installs openmpi-bin).
    static let mpirun: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// True when `mpirun` is installed.
    static var isAvailable: Bool { mpirun != nil }

    /// The environment of every job: root allowed, one thread per rank (tests share 2 cores).
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment["FLEDGE_NUM_THREADS"] = "1"
        return environment
    }

    /// `mpirun --oversubscribe <apps>` where each app is `-np N fledge <arguments>` (several apps
    /// are joined with `:`, so ranks can get different arguments), killed after `timeLimit` seconds.
    static func run(_ apps: [(processes: Int, arguments: [String])], timeLimit: TimeInterval = 240) throws -> (output: FledgeOutput, timedOut: Bool) {
        guard let mpirun else { throw MissingMPIRun() }
        var arguments = ["--oversubscribe"]
        for (index, app) in apps.enumerated() {
            if index > 0 { arguments.append(":") }
            arguments += ["-np", String(app.processes), FledgeProcess.binary.path] + app.arguments
        }
        return try launch(mpirun, arguments, timeLimit: timeLimit)
    }

    /// Runs `fledge <arguments>` without mpirun (it may start mpirun itself), with a time limit.
    static func runFledge(_ arguments: [String], timeLimit: TimeInterval = 240) throws -> (output: FledgeOutput, timedOut: Bool) {
        try launch(FledgeProcess.binary, arguments, timeLimit: timeLimit)
    }

    private static func launch(_ executable: URL, _ arguments: [String], timeLimit: TimeInterval) throws -> (output: FledgeOutput, timedOut: Bool) {
        let scratch = try TemporaryDirectory()
        let outURL = URL(fileURLWithPath: scratch.path("stdout")), errURL = URL(fileURLWithPath: scratch.path("stderr"))
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = FledgeProcess.repositoryRoot
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        process.environment = environment
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let timedOut = process.isRunning
        if timedOut { process.terminate() }
        process.waitUntilExit()
        let output = FledgeOutput(status: process.terminationStatus,
                                  stdout: try String(contentsOf: outURL, encoding: .utf8),
                                  stderr: try String(contentsOf: errURL, encoding: .utf8))
        return (output, timedOut)
    }

    struct MissingMPIRun: Error, CustomStringConvertible {
        var description: String { "mpirun is not installed (apt install openmpi-bin; scripts/setup.sh does)" }
    }
}
