/// A problem with a configuration that the user can fix: an unknown key, a value of the wrong type
/// or outside its valid set, two spellings of one key, a missing required key, or settings that
/// contradict each other.
///
/// `description` is the one-line message the CLI prints, prefixed with where the problem is:
/// `config.yaml:12:3: training.learnin_rate is not a known key; did you mean training.learning_rate?`
/// or, for a command-line override, `--set training.learnin_rate=3e-4: ...`.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What kind of problem this is (tests and tools can switch on it).
    public enum Kind: Equatable, Sendable {
        /// The file does not exist or cannot be read.
        case fileNotReadable
        /// The text is not valid YAML.
        case syntax
        /// A key that the schema does not know; `suggestion` is the nearest valid key path, if any is close.
        case unknownKey(suggestion: String?)
        /// The same key (or a key and its alias) given twice.
        case duplicateKey
        /// A value of the wrong type (`expected` says which).
        case typeMismatch(expected: String)
        /// A value outside its valid set or range.
        case invalidValue
        /// A required key is absent.
        case missingKey
        /// A `--set` argument that is not `key.path=value`.
        case malformedOverride
    }

    /// What kind of problem this is.
    public var kind: Kind
    /// The dotted key path the problem is about (`training.learning_rate`), or "" for the whole file.
    public var keyPath: String
    /// Where it is: `file:line:column`, `file`, `--set k=v`, or nil when the config was built in Swift.
    public var location: String?
    /// What is wrong and what to do, starting with the key path.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, keyPath: String, location: String? = nil, message: String) {
        self.kind = kind
        self.keyPath = keyPath
        self.location = location
        self.message = message
    }

    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }
}
