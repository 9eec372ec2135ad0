import Foundation

/// Opens a study storage from the text users write in `tune.storage` or `--storage`.
///
/// `sqlite:///abs/path/study.sqlite`, `sqlite://relative.sqlite` and a plain path select
/// `SQLiteStudyStorage`; `memory:` an `InMemoryStudyStorage`; `postgresql://user@host:port/db`
/// (or `postgres://`) a `PostgresStudyStorage`. Other schemes are added by the program that links
/// their implementation, with `adding(scheme:opener:)`, so nothing is global.
public struct StudyStorageFactory: Sendable {
    /// Opens a storage for a URL of one scheme.
    public typealias Opener = @Sendable (_ url: String) throws -> any StudyStorage

    private var openers: [String: Opener]

    /// The factory for SQLite files and memory.
    public static let standard = StudyStorageFactory(openers: [
        "sqlite": { url in try SQLiteStudyStorage(path: StudyStorageFactory.sqlitePath(url)) },
        "memory": { _ in InMemoryStudyStorage() },
        "postgresql": { url in try PostgresStudyStorage(url: url) },
        "postgres": { url in try PostgresStudyStorage(url: url) },
    ])

    private init(openers: [String: Opener]) { self.openers = openers }

    /// A factory that also opens URLs of `scheme` (`postgresql`; `postgres` is an alias users write too).
    public func adding(scheme: String, opener: @escaping Opener) -> StudyStorageFactory {
        var copy = self
        copy.openers[scheme.lowercased()] = opener
        return copy
    }

    /// The schemes this factory opens.
    public var schemes: [String] { openers.keys.sorted() }

    /// Opens the storage `url` names (a path without a scheme means SQLite).
    public func open(url: String) throws -> any StudyStorage {
        let scheme = Self.scheme(of: url) ?? "sqlite"
        guard let opener = openers[scheme] else { throw StudyStorageError.unsupportedURL(url) }
        return try opener(url)
    }

    /// The lowercased scheme before `:` (nil for a plain path).
    public static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon]
        guard scheme.count > 1, scheme.allSatisfy({ $0.isLetter || $0 == "+" }) else { return nil }  // C:\ stays a path
        return scheme.lowercased()
    }

    /// The file path of a SQLite URL or plain path.
    public static func sqlitePath(_ url: String) -> String {
        guard Self.scheme(of: url) == "sqlite" else { return url }
        var rest = url.drop(while: { $0 != ":" }).dropFirst()
        if rest.hasPrefix("///") { rest = rest.dropFirst(2) } else if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
        return String(rest)
    }
}
