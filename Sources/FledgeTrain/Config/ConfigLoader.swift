import Foundation
import Yams

extension FledgeConfig {
    /// Reads, checks and decodes the YAML file at `path`, after applying `overrides`
    /// (`"training.learning_rate=3e-4"`, values parsed as YAML scalars or flow lists), then
    /// validates it. Throws `ConfigError` naming the file, line, column and key path.
    public static func load(path: String, overrides: [String] = []) throws -> FledgeConfig {
        try ConfigFile.load(FledgeConfig.self, path: path, overrides: overrides) { try $0.validate() }
    }

    /// Checks and decodes YAML text as `load(path:overrides:)` does; `source` names it in messages.
    public static func load(yaml: String, source: String = "config.yaml", overrides: [String] = []) throws -> FledgeConfig {
        try ConfigFile.load(FledgeConfig.self, yaml: yaml, source: source, overrides: overrides) { try $0.validate() }
    }
}

/// Loads any root configuration type (`FledgeConfig`, FledgeEvents' `EventsConfig`) from YAML
/// with the same checks: unknown keys with suggestions, `--set` overrides, errors located at
/// `file:line:column`.
public enum ConfigFile {
    /// Reads `path`, applies `overrides`, decodes `Root` (with `userInfo` for its decoders) and
    /// runs `validate`, locating any `ConfigError` in the file.
    public static func load<Root: ConfigSection>(
        _ type: Root.Type, path: String, overrides: [String] = [], userInfo: [CodingUserInfoKey: Any] = [:],
        underlay: (any Encodable)? = nil, validate: (Root) throws -> Void = { _ in }
    ) throws -> Root {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let message = isDirectory.boolValue ? "is a folder; give the path of a YAML config file"
                : exists ? "cannot be read as UTF-8 text; check its permissions and encoding"
                : "no such file; write one with `fledge init --task binary > \(path)`"
            throw ConfigError(kind: .fileNotReadable, keyPath: "", location: path, message: message)
        }
        return try load(type, yaml: text, source: path, overrides: overrides, userInfo: userInfo, underlay: underlay,
                        validate: validate)
    }

    /// `load(_:path:...)` on YAML text; `source` names it in messages.
    ///
    /// `underlay` is a base configuration the file is layered over, key by key: every key the file
    /// (after `overrides`) does not set comes from it, nested mappings merge, lists and scalars
    /// are replaced whole, `key: null` in the file removes the base's value. Fine-tuning uses it to
    /// inherit the pretraining config. Errors in keys the file sets are located in the file.
    public static func load<Root: ConfigSection>(
        _ type: Root.Type, yaml: String, source: String, overrides: [String] = [],
        userInfo: [CodingUserInfoKey: Any] = [:], underlay: (any Encodable)? = nil,
        validate: (Root) throws -> Void = { _ in }
    ) throws -> Root {
        var document = try ConfigDocument(yaml: yaml, source: source, root: Root.self)
        for override in overrides { try document.apply(override: override) }
        if let underlay { try document.layer(over: underlay) }
        let config: Root
        do {
            config = try YAMLDecoder().decode(Root.self, from: document.root, userInfo: userInfo)
        } catch let issue as ConfigIssue {
            throw document.located(issue.error)
        } catch let error as DecodingError {
            throw document.located(document.describe(error))
        }
        do {
            try validate(config)
        } catch let error as ConfigError {
            throw document.located(error)
        }
        return config
    }

    /// The top-level keys of a YAML file (empty when it cannot be read or is not a mapping),
    /// so a command can tell which kind of config a file is before loading it.
    public static func topLevelKeys(path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
              let node = try? Yams.compose(yaml: text), let mapping = node.mapping else { return [] }
        return mapping.keys.compactMap(\.string)
    }
}

/// A parsed config file: its node tree, where each key and value is in the file, and which key
/// paths command-line overrides replaced (so errors point at the `--set` argument instead).
struct ConfigDocument {
    var root: Node
    let source: String
    /// Line and column of each key (`training.epochs`) and of each value (`model.layers[1]`).
    private var keyMarks: [String: Mark] = [:]
    private var valueMarks: [String: Mark] = [:]
    /// Overridden key path → the `--set` argument that set it.
    private var overrides: [(path: String, argument: String)] = []

    /// The root section, whose keys overrides follow.
    let rootSection: any ConfigSection.Type

    init(yaml: String, source: String, root section: any ConfigSection.Type = FledgeConfig.self) throws {
        self.source = source
        rootSection = section
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw YAMLSyntax.error(error, yaml: yaml, source: source)
        }
        root = composed ?? Node.mapping(Node.Mapping([]))
        guard case .mapping = root else {
            throw ConfigError(kind: .typeMismatch(expected: "a mapping"), keyPath: "",
                              location: root.mark.map { "\(source):\($0.line):\($0.column)" } ?? source,
                              message: "the file must be a mapping with the sections \(section.keyNames.joined(separator: ", "))")
        }
        index(root, path: "")
    }

    /// Records where each key and value is (Yams has already rejected duplicate keys).
    private mutating func index(_ node: Node, path: String) {
        if let mark = node.mark { valueMarks[path] = mark }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let mark = key.mark { keyMarks[childPath] = mark }
                index(value, path: childPath)
            }
        case .sequence(let sequence):
            for (offset, element) in sequence.enumerated() { index(element, path: "\(path)[\(offset)]") }
        default:
            break
        }
    }

    private func location(of mark: Mark?) -> String {
        mark.map { "\(source):\($0.line):\($0.column)" } ?? source
    }

    // MARK: - Overrides

    /// Applies `key.path=value` to the tree. The value is parsed as YAML (`3e-4`, `true`,
    /// `[64, 32]`); giving the alias of a key replaces the other spelling.
    mutating func apply(override argument: String) throws {
        let display = "--set \(argument)"
        guard let equals = argument.firstIndex(of: "=") else {
            throw ConfigError(kind: .malformedOverride, keyPath: "", location: display,
                              message: "expected key.path=value, e.g. training.learning_rate=3e-4")
        }
        let path = String(argument[..<equals]).trimmingCharacters(in: .whitespaces)
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keys.isEmpty, keys.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigError(kind: .malformedOverride, keyPath: path, location: display,
                              message: "'\(path)' is not a key path; write it as section.key, e.g. training.epochs")
        }
        let text = String(argument[argument.index(after: equals)...])
        let value: Node
        do {
            value = try Yams.compose(yaml: text) ?? Node("", Tag(.null))
        } catch {
            throw ConfigError(kind: .syntax, keyPath: path, location: display,
                              message: "\(path): '\(text)' is not a valid YAML value")
        }
        root = Self.setting(value, at: keys[...], in: root, section: rootSection)
        overrides.append((path, display))
    }

    /// `node` with `value` at `keys`, creating mappings on the way (a null or scalar section
    /// becomes a mapping) and dropping the other spelling of an aliased key.
    private static func setting(_ value: Node, at keys: ArraySlice<String>, in node: Node,
                                section: (any ConfigSection.Type)?) -> Node {
        guard let key = keys.first else { return value }
        var mapping = node.mapping ?? Node.Mapping([])
        if let section {
            let canonical = section.aliases[key] ?? key
            let spellings = [canonical] + section.aliases.filter { $0.value == canonical }.map(\.key)
            for other in spellings where other != key { mapping[other] = nil }
        }
        let child = mapping[key] ?? Node.mapping(Node.Mapping([]))
        let subsection = section?.subsections[section?.aliases[key] ?? key]
        mapping[key] = setting(value, at: keys.dropFirst(), in: child, section: subsection)
        return .mapping(mapping)
    }

    // MARK: - Underlay

    /// Merges the document over `base` (encoded to YAML): keys the document lacks (in any of
    /// their spellings) are taken from `base`; mappings merge recursively.
    mutating func layer(over base: some Encodable) throws {
        let encoded = try Yams.compose(yaml: YAMLEncoder().encode(base)) ?? Node.mapping(Node.Mapping([]))
        root = Self.merging(root, over: encoded, section: rootSection)
    }

    private static func merging(_ top: Node, over base: Node, section: (any ConfigSection.Type)?) -> Node {
        guard var mapping = top.mapping, let baseMapping = base.mapping else { return top }
        let present = Set(mapping.keys.compactMap(\.string).map { section?.aliases[$0] ?? $0 })
        for (key, value) in baseMapping {
            guard let name = key.string else { continue }
            let canonical = section?.aliases[name] ?? name
            if present.contains(canonical) {
                let spelling = mapping.keys.compactMap(\.string).first { (section?.aliases[$0] ?? $0) == canonical } ?? name
                if let mine = mapping[spelling], mine.mapping != nil {
                    mapping[spelling] = merging(mine, over: value, section: section?.subsections[canonical])
                }
            } else {
                mapping[name] = value
            }
        }
        return .mapping(mapping)
    }

    // MARK: - Locating errors

    /// `error` with its location: the `--set` argument that wrote the key, else the key's (for
    /// unknown or duplicate keys) or value's line and column, else the nearest enclosing key's.
    func located(_ error: ConfigError) -> ConfigError {
        guard error.location == nil else { return error }
        var located = error
        located.location = location(ofPath: error.keyPath, preferKey: Self.isAboutKey(error.kind))
        return located
    }

    private static func isAboutKey(_ kind: ConfigError.Kind) -> Bool {
        switch kind {
        case .unknownKey, .duplicateKey, .missingKey: true
        default: false
        }
    }

    func location(ofPath path: String, preferKey: Bool) -> String {
        for (overridePath, argument) in overrides.reversed() {
            let inside = path == overridePath || path.hasPrefix(overridePath + ".") || path.hasPrefix(overridePath + "[")
            let created = overridePath.hasPrefix(path + ".") && keyMarks[path] == nil
            if inside || created { return argument }
        }
        var candidate = path
        while true {
            let mark = preferKey ? (keyMarks[candidate] ?? valueMarks[candidate])
                : (valueMarks[candidate] ?? keyMarks[candidate])
            if let mark, !candidate.isEmpty { return location(of: mark) }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { return source }
            candidate = String(candidate[..<cut])
        }
    }

    // MARK: - Decoding errors

    /// Turns a Yams decoding error into a message naming the key path, the expected type and the value.
    func describe(_ error: DecodingError) -> ConfigError {
        switch error {
        case .typeMismatch(let type, let context):
            let path = keyPathString(context.codingPath)
            let expected = Self.describe(type)
            return ConfigError(kind: .typeMismatch(expected: expected), keyPath: path,
                               message: "\(path.isEmpty ? "the file" : path): expected \(expected), got \(valueText(at: path))")
        case .valueNotFound(_, let context), .keyNotFound(_, let context):
            let path = keyPathString(context.codingPath)
            return ConfigError(kind: .missingKey, keyPath: path, message: "\(path): a value is missing")
        case .dataCorrupted(let context):
            let path = keyPathString(context.codingPath)
            return ConfigError(kind: .invalidValue, keyPath: path, message: "\(path): \(context.debugDescription)")
        default:
            return ConfigError(kind: .invalidValue, keyPath: "", message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch String(describing: type) {
        case "Int": "an integer"
        case "UInt64", "UInt": "a non-negative integer"
        case "Double", "Float": "a number"
        case "Bool": "true or false"
        case "String": "a string"
        case "Mapping": "a mapping (key: value lines)"
        case "Sequence": "a list, e.g. [a, b]"
        case "Scalar": "a single value"
        default: String(describing: type)
        }
    }

    /// How the value at `path` reads in a message.
    private func valueText(at path: String) -> String {
        var node: Node? = root
        var remaining = Substring(path)
        while !remaining.isEmpty, let current = node {
            if remaining.hasPrefix("[") {
                let close = remaining.firstIndex(of: "]")!
                let index = Int(remaining[remaining.index(after: remaining.startIndex)..<close]) ?? 0
                node = current.sequence.flatMap { index < $0.count ? $0[index] : nil }
                remaining = remaining[remaining.index(after: close)...]
            } else {
                if remaining.hasPrefix(".") { remaining = remaining.dropFirst() }
                let end = remaining.firstIndex { $0 == "." || $0 == "[" } ?? remaining.endIndex
                node = current.mapping?[String(remaining[..<end])]
                remaining = remaining[end...]
            }
        }
        switch node {
        case .scalar(let scalar)?: return "'\(scalar.string)'"
        case .mapping?: return "a mapping"
        case .sequence?: return "a list"
        default: return "nothing"
        }
    }
}
