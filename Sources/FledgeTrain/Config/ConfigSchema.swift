/// A section of the configuration (`training`, `training.scheduler`, ...): its YAML keys, the
/// alternative spellings it accepts, and its nested sections. The loader checks every key in a file
/// against these lists, so they are the one description of what a valid key is.
public protocol ConfigSection: Codable, Equatable, Sendable {
    /// The canonical snake_case keys, in the order `resolvedYAML()` writes them.
    static var keyNames: [String] { get }
    /// Alternative spellings: alias → canonical key (`num_train_epochs` → `epochs`).
    static var aliases: [String: String] { get }
    /// Keys whose value is itself a section.
    static var subsections: [String: any ConfigSection.Type] { get }
}

extension ConfigSection {
    public static var aliases: [String: String] { [:] }
    public static var subsections: [String: any ConfigSection.Type] { [:] }

    /// Every key this section accepts: canonical keys then aliases.
    static var acceptedKeys: [String] { keyNames + aliases.keys.sorted() }

    /// Every dotted key path below this section (canonical spellings), prefixed with `prefix`.
    static func keyPaths(prefix: String) -> [String] {
        keyNames.flatMap { key -> [String] in
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard let section = subsections[key] else { return [path] }
            return [path] + section.keyPaths(prefix: path)
        }
    }

    /// The section type found by following `keys` down from this one, or nil if a key is not a section.
    static func section(at keys: ArraySlice<String>) -> (any ConfigSection.Type)? {
        guard let first = keys.first else { return Self.self }
        let canonical = aliases[first] ?? first
        return subsections[canonical]?.section(at: keys.dropFirst())
    }
}

/// A named choice in a config (`optimizer: adamw`): decoded case-insensitively (`-` and `_` alike);
/// an invalid name is an error that lists the valid ones. Types declared elsewhere (FledgeData's
/// `TargetKind`, `ColumnKind`, ...) keep their own `Decodable`, so sections decode them with
/// `KeyedDecodingContainer.option(_:forKey:)`, which parses the same way.
public protocol ConfigOption: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension ConfigOption {
    /// Parses a config spelling, ignoring case and treating `-` as `_`.
    public init?(configName: String) {
        let key = configName.lowercased().replacingOccurrences(of: "-", with: "_")
        guard let value = Self.allCases.first(where: { $0.rawValue == key }) else { return nil }
        self = value
    }

    /// The valid spellings, for messages.
    public static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public init(from decoder: Decoder) throws {
        self = try Self.parse(decoder.singleValueContainer().decode(String.self), at: decoder.codingPath)
    }

    /// Parses `text` as the value at `path`, or throws an `invalidValue` issue listing the valid names.
    static func parse(_ text: String, at path: [CodingKey]) throws -> Self {
        guard let value = Self(configName: text) else {
            throw ConfigIssue.invalidValue(at: path, "'\(text)' is not one of \(validNames)")
        }
        return value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
