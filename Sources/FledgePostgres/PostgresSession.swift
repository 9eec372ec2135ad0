import Foundation
import Logging
import PostgresNIO

/// A blocking connection to one PostgreSQL database.
///
/// postgres-nio is asynchronous; Fledge's storages and readers are synchronous, so every call here
/// waits on the NIO future (`EventLoopFuture.wait()`), which runs on postgres-nio's own event-loop
/// threads. It never hops through Swift's cooperative thread pool, so calling it from code that runs
/// there (a test, a `Task`) cannot starve that pool. Do not call it from an `async` function that must
/// not block; wrap it in a detached thread instead.
///
/// One session is one connection: statements run one at a time (a lock serialises callers), and
/// ``transaction(_:)`` holds the connection for its whole body.
///
/// ```swift
/// let db = try PostgresSession(url: "postgresql://postgres@127.0.0.1:5432/fledge")
/// try db.execute("CREATE TABLE IF NOT EXISTS t (id bigint, name text)")
/// try db.execute("INSERT INTO t VALUES ($1, $2)", [.int(1), .text("a")])
/// let rows = try db.query("SELECT id, name FROM t WHERE id > $1", [.int(0)])
/// ```
public final class PostgresSession: @unchecked Sendable {
    /// The server and database (no password).
    public let url: PostgresURL
    private let connection: PostgresConnection
    private let logger: Logger
    // Recursive: a transaction body calls execute/query while the transaction holds the lock.
    private let lock = NSRecursiveLock()
    private var isClosedByUser = false
    private var inTransaction = false

    /// Connects to the database a `postgresql://` URL names; throws a ``PostgresClientError`` naming the server.
    public convenience init(url: String, connectTimeout: Duration = .seconds(10)) throws {
        try self.init(url: PostgresURL(url), connectTimeout: connectTimeout)
    }

    /// Connects to the database a parsed URL names; throws a ``PostgresClientError`` naming the server.
    public init(url: PostgresURL, connectTimeout: Duration = .seconds(10)) throws {
        self.url = url
        var logger = Logger(label: "fledge.postgres")
        logger.logLevel = .critical
        self.logger = logger
        do {
            var configuration = PostgresConnection.Configuration(
                host: url.host, port: url.port, username: url.user, password: url.password,
                database: url.database, tls: try PostgresSession.tls(for: url.sslMode))
            let (seconds, attoseconds) = connectTimeout.components
            configuration.options.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            connection = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                id: 1, logger: logger
            ).wait()
        } catch {
            throw PostgresClientError.connectionFailed(server: url.description, message: PostgresSession.message(of: error))
        }
    }

    deinit {
        if !isClosedByUser { try? connection.close().wait() }
    }

    /// Whether the connection is closed (by ``close()``, or by the server or network): a closed
    /// session only throws; open a new one to go on.
    public var isClosed: Bool {
        lock.withLock { isClosedByUser || connection.isClosed }
    }

    /// Closes the connection; later calls throw ``PostgresClientError/closed(server:)``.
    public func close() {
        lock.withLock {
            guard !isClosedByUser else { return }
            isClosedByUser = true
            try? connection.close().wait()
        }
    }

    /// Runs one statement with `$1, $2, ...` parameters; returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ binds: [PostgresValue] = []) throws -> Int {
        try run(sql, binds) { result in result.metadata.rows ?? 0 }
    }

    /// Runs a query with `$1, $2, ...` parameters and returns all its rows.
    public func query(_ sql: String, _ binds: [PostgresValue] = []) throws -> PostgresResult {
        try run(sql, binds) { result in
            let rows = Array(result)
            let columns = rows.first.map { $0.map(\.columnName) } ?? []
            let server = url.description
            let values = try rows.map { row in try row.map { try PostgresValue(cell: $0, server: server) } }
            return PostgresResult(columns: columns, rows: values, server: server)
        }
    }

    /// Runs a query and hands each row to `body` as it arrives, without holding all rows in memory;
    /// returns the column names (empty when there were no rows).
    ///
    /// `body` runs on postgres-nio's event-loop thread, one row at a time in order, and must not use
    /// this session; everything it did is visible to the caller once this returns. An error it throws
    /// stops the query and is rethrown here.
    @discardableResult
    public func forEachRow(
        _ sql: String, _ binds: [PostgresValue] = [], _ body: @escaping @Sendable ([PostgresValue]) throws -> Void
    ) throws -> [String] {
        let stream = RowStreamState()
        let server = url.description
        do {
            try runStreaming(sql, binds) { row in
                if stream.columns == nil { stream.columns = row.map(\.columnName) }
                do {
                    try body(try row.map { try PostgresValue(cell: $0, server: server) })
                } catch {
                    stream.bodyError = error
                    throw error
                }
            }
        } catch {
            // The caller's own error comes back as it was thrown, not as a query failure.
            if let bodyError = stream.bodyError { throw bodyError }
            throw error
        }
        return stream.columns ?? []
    }

    /// The names and types of the columns `sql` (a SELECT) returns, without reading its rows.
    public func describe(_ sql: String, _ binds: [PostgresValue] = []) throws -> [PostgresColumn] {
        // A LEFT JOIN onto one constant row always yields exactly one row, whose cells carry the
        // column names and types even when the query itself returns nothing.
        let probe = "SELECT fledge_q.* FROM (SELECT 1) AS fledge_one LEFT JOIN (SELECT * FROM (\(sql)) AS fledge_s LIMIT 1) AS fledge_q ON true"
        return try run(probe, binds) { result in
            result.rows.first.map { row in row.map { PostgresColumn(name: $0.columnName, type: PostgresColumnType($0.dataType)) } } ?? []
        }
    }

    /// Runs `body` inside BEGIN ... COMMIT; any error rolls back and is rethrown.
    ///
    /// The connection is held for the whole body, so other threads' statements on this session wait.
    /// Use `SELECT ... FOR UPDATE` (or an `UPDATE`) inside to serialise workers on other machines.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        precondition(!inTransaction, "PostgresSession.transaction: transactions do not nest")
        try execute("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs a query streaming its rows into `onRow` (on the event loop) while holding the lock.
    private func runStreaming(_ sql: String, _ binds: [PostgresValue], _ onRow: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosedByUser else { throw PostgresClientError.closed(server: url.description) }
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings(binds)), logger: logger, onRow).wait()
        } catch let error as PostgresClientError {
            throw error
        } catch {
            throw clientError(error, sql: sql)
        }
    }

    /// Runs one statement and converts its result while holding the lock.
    private func run<T>(_ sql: String, _ binds: [PostgresValue], _ convert: (PostgresQueryResult) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosedByUser else { throw PostgresClientError.closed(server: url.description) }
        let result: PostgresQueryResult
        do {
            result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings(binds)), logger: logger).wait()
        } catch {
            throw clientError(error, sql: sql)
        }
        return try convert(result)
    }

    private func bindings(_ binds: [PostgresValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds { value.append(to: &bindings) }
        return bindings
    }

    /// A postgres-nio error as a typed error: a lost connection, or the server's rejection of `sql`.
    private func clientError(_ error: any Error, sql: String) -> PostgresClientError {
        let info = (error as? PSQLError)?.serverInfo
        if info == nil, connection.isClosed {
            return .connectionFailed(server: url.description, message: PostgresSession.message(of: error))
        }
        return .queryFailed(server: url.description, sql: sql, message: PostgresSession.message(of: error), sqlState: info?[.sqlState])
    }

    private static func tls(for mode: PostgresURL.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// The most useful text in a postgres-nio error (its `description` is deliberately generic).
    static func message(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let info = error.serverInfo, let message = info[.message] {
            let detail = info[.detail].map { " (\($0))" } ?? ""
            let hint = info[.hint].map { " Hint: \($0)" } ?? ""
            return message + detail + hint
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return error.code.description
    }
}

/// What a streamed query's row handler saw (the column names, an error it threw); written on the
/// event loop, read after the query ends.
private final class RowStreamState: @unchecked Sendable {
    var columns: [String]?
    var bodyError: (any Error)?
}
