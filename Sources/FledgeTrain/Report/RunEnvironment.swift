import FledgeTensor
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Fledge release (the CLI's `--version` and the run report print it).
public enum FledgeVersion {
    /// The version string.
    public static let current = "0.1.0"
}

/// Where a run was trained, for the report: Fledge version, the git commit of the directory it
/// was launched from, threads, CPU, OS and the Swift compiler Fledge was built with.
public struct RunEnvironment: Codable, Equatable, Sendable {
    /// `FledgeVersion.current`.
    public var fledgeVersion: String
    /// `git rev-parse HEAD` in the working directory (suffixed "(modified)" when the tree has
    /// uncommitted changes), nil outside a repository or without git.
    public var gitCommit: String?
    /// Threads for GEMM and parallel loops (`FLEDGE_NUM_THREADS`).
    public var threads: Int
    /// Cores the process may use.
    public var cores: Int
    /// The CPU model (`/proc/cpuinfo`), when known.
    public var cpuModel: String?
    /// Physical memory in GiB.
    public var memoryGiB: Double
    /// The operating system (`/etc/os-release` name, kernel version).
    public var operatingSystem: String
    /// The Swift compiler Fledge was built with.
    public var swiftVersion: String

    /// The environment of this process.
    public static func current(workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> RunEnvironment {
        let info = ProcessInfo.processInfo
        return RunEnvironment(
            fledgeVersion: FledgeVersion.current, gitCommit: gitCommit(in: workingDirectory),
            threads: Threading.threadCount, cores: info.activeProcessorCount, cpuModel: cpuModel(),
            memoryGiB: (Double(info.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            operatingSystem: operatingSystem(), swiftVersion: compilerVersion)
    }

    /// The compiler version, to the minor release (Swift has no run-time constant for it).
    static var compilerVersion: String {
        #if compiler(>=6.4)
        "Swift 6.4 or later"
        #elseif compiler(>=6.3)
        "Swift 6.3"
        #elseif compiler(>=6.2)
        "Swift 6.2"
        #elseif compiler(>=6.1)
        "Swift 6.1"
        #else
        "Swift 6.0"
        #endif
    }

    static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The distribution's name (`/etc/os-release`) and the kernel (`uname`), e.g.
    /// "Debian GNU/Linux 12 (bookworm), Linux 6.1.0 x86_64".
    static func operatingSystem() -> String {
        var parts: [String] = []
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            parts.append(line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
        var system = utsname()
        if uname(&system) == 0 {
            func text<T>(_ field: T) -> String {
                withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            }
            parts.append("\(text(system.sysname)) \(text(system.release)) \(text(system.machine))")
        }
        return parts.isEmpty ? ProcessInfo.processInfo.operatingSystemVersionString : parts.joined(separator: ", ")
    }

    /// The commit checked out in `directory`, or nil (no git, not a repository, or git too slow).
    static func gitCommit(in directory: URL) -> String? {
        guard let head = git(["rev-parse", "HEAD"], in: directory), head.count == 40 else { return nil }
        let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory)
        return status.map { $0.isEmpty ? head : "\(head) (modified)" } ?? head
    }

    private static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
