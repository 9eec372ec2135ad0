import Foundation

/// Writes a result file (`--out`), turning file-system failures into one clear message.
enum OutputFile {
    /// A result file that could not be written.
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let problem: String

        var description: String { "\(path): \(problem)" }
    }

    /// Throws unless `path`'s directory exists, so a command can refuse a bad `--out` before its work.
    static func checkDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WriteError(path: path, problem: "cannot write the file: the directory \(directory.path) does not exist; create it or choose another --out path")
        }
    }

    /// Writes `data` to `path` atomically (a reader never sees half a file).
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try checkDirectory(of: path)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw WriteError(path: path, problem: "cannot write the file; check that \(directory.path) is writable and \(url.lastPathComponent) is not a directory")
        }
    }
}
