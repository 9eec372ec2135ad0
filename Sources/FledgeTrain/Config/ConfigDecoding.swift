/// A coding key made from any string or index, for reading keys the schema does not name.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

/// Formats a coding path as a config key path: `model.layers[1]`, `training.scheduler.type`.
public func keyPathString(_ path: [CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return text
}

/// A problem found while decoding, before the loader knows where it is in the file; the loader
/// turns it into a `ConfigError` with a `file:line:column` location.
///
/// Public so that config sections declared in other modules (FledgeEvents' `data_sources`) throw
/// issues the loader locates in the file just as FledgeTrain's own.
public struct ConfigIssue: Error {
    /// What kind of problem this is.
    public var kind: ConfigError.Kind
    /// The dotted path of the offending key or value.
    public var keyPath: String
    /// The full message, starting with the key path.
    public var message: String

    /// Creates an issue; `message` should start with the key path.
    public init(kind: ConfigError.Kind, keyPath: String, message: String) {
        self.kind = kind
        self.keyPath = keyPath
        self.message = message
    }

    /// An invalid value at a coding path, with `detail` after the key path.
    public static func invalidValue(at path: [CodingKey], _ detail: String) -> ConfigIssue {
        let keyPath = keyPathString(path)
        return ConfigIssue(kind: .invalidValue, keyPath: keyPath, message: "\(keyPath): \(detail)")
    }

    var error: ConfigError { ConfigError(kind: kind, keyPath: keyPath, message: message) }
}

extension Decoder {
    /// Throws for the first key of this mapping that `Section` does not accept, naming the nearest
    /// valid key; and for a key given in two spellings (`epochs` and `num_train_epochs`).
    public func checkKeys<Section: ConfigSection>(of section: Section.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let accepted = Set(section.acceptedKeys)
        var seen: [String: String] = [:]
        for key in container.allKeys {
            let path = keyPathString(codingPath + [key])
            guard accepted.contains(key.stringValue) else {
                throw ConfigIssue.unknownKey(path: path, section: section)
            }
            let canonical = section.aliases[key.stringValue] ?? key.stringValue
            if let other = seen[canonical] {
                throw ConfigIssue(kind: .duplicateKey, keyPath: path,
                                  message: "\(path): '\(other)' and '\(key.stringValue)' are two spellings of one key; keep only one")
            }
            seen[canonical] = key.stringValue
        }
    }
}

extension ConfigIssue {
    /// The unknown-key error for `path`, suggesting the nearest key of `section` (or the same key
    /// in another section, as `learning_rate` given at the top level).
    static func unknownKey(path: String, section: any ConfigSection.Type) -> ConfigIssue {
        let parts = path.split(separator: ".").map(String.init)
        let prefix = parts.dropLast().joined(separator: ".")
        let key = parts.last ?? path
        let suggestion = KeySuggestion.nearest(to: key, among: section.acceptedKeys)
            .map { prefix.isEmpty ? $0 : "\(prefix).\($0)" }
            ?? FledgeConfig.keyPaths(prefix: "").first { $0.hasSuffix(".\(key)") }
        let message: String
        if let suggestion {
            message = "\(path) is not a known key; did you mean \(suggestion)?"
        } else {
            let where_ = prefix.isEmpty ? "at the top level" : "in \(prefix)"
            message = "\(path) is not a known key; valid keys \(where_): \(section.keyNames.joined(separator: ", "))"
        }
        return ConfigIssue(kind: .unknownKey(suggestion: suggestion), keyPath: path, message: message)
    }
}

extension KeyedDecodingContainer {
    /// The value under `key`, or `fallback` when the key is absent or null.
    public func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

extension KeyedDecodingContainer {
    /// The option under `key` parsed with `ConfigOption`'s rules (for option types declared in
    /// other modules, whose own `Decodable` is stricter and does not know the key path).
    public func option<T: ConfigOption>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        return try T.parse(text, at: codingPath + [key])
    }

    /// A mapping of names to options under `key` (`column_types: {zip: categorical}`).
    public func options<T: ConfigOption>(_ type: T.Type, forKey key: Key) throws -> [String: T]? {
        guard let texts = try decodeIfPresent([String: String].self, forKey: key) else { return nil }
        var result: [String: T] = [:]
        for (name, text) in texts { result[name] = try T.parse(text, at: codingPath + [key, AnyCodingKey(name)]) }
        return result
    }
}

extension Decoder {
    /// The value under `key` or under its alias `alias` (at most one is present; `checkKeys` has
    /// rejected both), or `fallback`.
    func value<T: Decodable>(_ key: String, alias: String, or fallback: T) throws -> T {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let present = container.contains(AnyCodingKey(key)) ? key : alias
        return try container.decodeIfPresent(T.self, forKey: AnyCodingKey(present)) ?? fallback
    }
}
