import Foundation

/// An error talking to PostgreSQL, naming the server (without its password) and what to do.
public enum PostgresClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The connection URL does not parse.
    case invalidURL(String, reason: String)
    /// The server could not be reached or refused the login.
    case connectionFailed(server: String, message: String)
    /// The server rejected a statement (`sqlState` is PostgreSQL's five-character error code).
    case queryFailed(server: String, sql: String, message: String, sqlState: String?)
    /// A result column has a type this client does not convert.
    case unsupportedColumnType(server: String, column: String, type: String)
    /// A row value could not be converted to the type asked for.
    case typeMismatch(server: String, column: String, expected: String, actual: String)
    /// The connection was closed (by ``PostgresSession/close()`` or by the server).
    case closed(server: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid PostgreSQL URL '\(url)': \(reason). Use postgresql://user[:password]@host[:port]/database."
        case .connectionFailed(let server, let message):
            return "cannot connect to \(server): \(message). Check that the server runs and accepts TCP connections "
                + "from this machine (listen_addresses, pg_hba.conf), and the user, password and database name."
        case .queryFailed(let server, let sql, let message, let sqlState):
            let code = sqlState.map { " [SQLSTATE \($0)]" } ?? ""
            return "PostgreSQL \(server) rejected the statement\(code): \(message). Statement: \(PostgresClientError.abbreviate(sql))"
        case .unsupportedColumnType(let server, let column, let type):
            return "column '\(column)' from \(server) has type \(type), which Fledge does not read; "
                + "cast it in the query (e.g. \(column)::text or \(column)::double precision)."
        case .typeMismatch(let server, let column, let expected, let actual):
            return "column '\(column)' from \(server) holds \(actual) where \(expected) is needed; cast it in the query."
        case .closed(let server):
            return "the connection to \(server) is closed; open a new PostgresSession."
        }
    }

    /// The first 300 characters of a statement, on one line.
    static func abbreviate(_ sql: String) -> String {
        let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return oneLine.count > 300 ? String(oneLine.prefix(300)) + "..." : oneLine
    }
}
