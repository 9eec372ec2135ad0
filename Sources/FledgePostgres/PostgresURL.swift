import Foundation

/// A parsed `postgresql://user[:password]@host[:port]/database[?sslmode=...]` connection URL.
///
/// `postgres://` is accepted too. The port defaults to 5432, the user to `postgres`; `sslmode` is
/// `disable`, `prefer` (the default, as libpq, except for loopback hosts, where it is `disable`) or `require`. ``description`` never shows the password,
/// so errors and logs can name the server safely.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum SSLMode: String, Sendable, Equatable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain TCP otherwise.
        case prefer
        /// TLS or fail.
        case require
    }

    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// The password, if the URL has one (trust or peer authentication needs none).
    public var password: String?
    /// The database name.
    public var database: String
    /// TLS use.
    public var sslMode: SSLMode

    /// Parses a connection URL; throws ``PostgresClientError/invalidURL(_:reason:)`` naming what is wrong.
    public init(_ string: String) throws {
        let redacted = PostgresURL.redact(string)
        guard let components = URLComponents(string: string),
              let scheme = components.scheme?.lowercased() else {
            throw PostgresClientError.invalidURL(redacted, reason: "it is not a URL")
        }
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw PostgresClientError.invalidURL(redacted, reason: "the scheme must be postgresql:// (or postgres://), not \(scheme)://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresClientError.invalidURL(redacted, reason: "it names no host")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresClientError.invalidURL(redacted, reason: "it must name one database after the host, as in postgresql://user@host:5432/mydb")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        // TLS to a loopback server protects nothing and costs a TLS context per connection.
        self.sslMode = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased()) ? .disable : .prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw PostgresClientError.invalidURL(redacted, reason: "unknown parameter '\(item.name)' (only sslmode is supported)")
            }
            guard let mode = SSLMode(rawValue: item.value ?? "") else {
                throw PostgresClientError.invalidURL(redacted, reason: "sslmode must be disable, prefer or require, not '\(item.value ?? "")'")
            }
            self.sslMode = mode
        }
    }

    /// `postgresql://user@host:port/database`, without the password.
    public var description: String {
        "postgresql://\(user)@\(host):\(port)/\(database)"
    }

    /// Whether a string looks like a PostgreSQL URL (the scheme alone decides).
    public static func isPostgresURL(_ string: String) -> Bool {
        let lower = string.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// The string with any password replaced by `***`, for messages about URLs that do not parse.
    static func redact(_ string: String) -> String {
        guard let schemeEnd = string.range(of: "://"),
              let at = string.range(of: "@", range: schemeEnd.upperBound..<string.endIndex),
              let colon = string.range(of: ":", range: schemeEnd.upperBound..<at.lowerBound) else {
            return string
        }
        return String(string[..<colon.upperBound]) + "***" + String(string[at.lowerBound...])
    }
}
