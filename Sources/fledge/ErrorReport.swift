import ArgumentParser
import Foundation

/// Turns an error thrown while a subcommand runs into the one line a user sees.
enum ErrorReport {
    /// The line printed for `error`, without the `error: ` prefix.
    ///
    /// Library errors conform to `CustomStringConvertible` (or `LocalizedError`) with a message that
    /// already names the file, line and column (or key path) and what to do. Line breaks are folded so the report stays one line, which scripts
    /// and the end-to-end tests rely on.
    static func message(for error: any Error) -> String {
        let text: String
        if let localized = error as? any LocalizedError, let description = localized.errorDescription {
            text = description
        } else {
            text = String(describing: error)
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let joined = lines.filter { !$0.isEmpty }.joined(separator: " ")
        // Libraries may already start their message with "error:"; do not print it twice.
        if joined.lowercased().hasPrefix("error:") {
            return String(joined.dropFirst("error:".count)).trimmingCharacters(in: .whitespaces)
        }
        return joined
    }

    /// Prints `error: <message>` to standard error.
    static func print(_ error: any Error) {
        FileHandle.standardError.write(Data("error: \(message(for: error))\n".utf8))
    }

    /// Whether ArgumentParser should report `error` itself (usage errors, `--help`, explicit exit codes).
    ///
    /// `--help` parses into ArgumentParser's internal help command, whose `run()` throws an internal
    /// error type, so the check goes by the defining module as well as by the public types.
    static func isArgumentParserError(_ error: any Error) -> Bool {
        if error is ValidationError || error is CleanExit || error is ExitCode { return true }
        return String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
