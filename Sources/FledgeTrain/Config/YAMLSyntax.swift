import Foundation
import Yams

/// Turns Yams' parse errors into located `ConfigError`s.
enum YAMLSyntax {
    static func error(_ error: YamlError, yaml: String, source: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var detail = context.map { "\(problem) \($0.text)" } ?? problem
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") {
                detail += " (YAML does not allow tabs for indentation; use spaces)"
            }
            return ConfigError(kind: .syntax, keyPath: "", location: "\(source):\(mark.line):\(mark.column)",
                               message: "not valid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            let (path, line, column) = locateDuplicate(key, from: context.mark.line, in: yaml)
            return ConfigError(kind: .duplicateKey, keyPath: path,
                               location: line.map { "\(source):\($0):\(column)" } ?? source,
                               message: "\(path) is given twice; keep only one")
        default:
            let firstLine = String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            return ConfigError(kind: .syntax, keyPath: "", location: source, message: "not valid YAML: \(firstLine)")
        }
    }

    /// The key path, line and column of the second `key:` at one indentation from `startLine` on
    /// (block-style YAML; the parent keys are the nearest less-indented `name:` lines above it).
    private static func locateDuplicate(_ key: String, from startLine: Int, in yaml: String)
        -> (path: String, line: Int?, column: Int) {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var firstIndent: Int?
        for number in max(1, startLine)...max(1, lines.count) where number <= lines.count {
            guard let (indent, name) = keyLine(lines[number - 1]), name == key else { continue }
            if firstIndent == nil { firstIndent = indent; continue }
            guard indent == firstIndent else { continue }
            var path = [key], level = indent
            for above in stride(from: number - 2, through: 0, by: -1) {
                if let (aboveIndent, parent) = keyLine(lines[above]), aboveIndent < level {
                    path.insert(parent, at: 0)
                    level = aboveIndent
                }
            }
            return (path.joined(separator: "."), number, indent + 1)
        }
        return (key, nil, 0)
    }

    /// The indentation and key of a `  key: ...` line, ignoring comments and list items.
    private static func keyLine(_ line: String) -> (Int, String)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        guard let colon = rest.firstIndex(of: ":"), !rest.hasPrefix("#"), !rest.hasPrefix("-") else { return nil }
        let name = rest[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
        return (indent, name)
    }
}
