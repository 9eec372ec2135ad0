import FledgePostgres
import Foundation

/// Reads a data source from PostgreSQL: the whole `table`, or the rows of `query`, from the
/// database `connection: postgresql://user@host:port/db` names.
///
/// With `num_query_chunks: N` (N > 1) the read runs as N queries, chunk k holding the rows whose
/// key (`main_entity_column`, else `join_key`) hashes to k (`hashtext(key::text)` modulo N; rows
/// with a NULL key go to chunk 0). Each chunk's rows are typed as they stream in, so the server
/// sends, and this process holds as raw rows, one chunk at a time, and every entity's events sit
/// in one chunk. The rows are the same as one unchunked read (in another order; the store sorts).
///
/// Column types follow the declared PostgreSQL types: integer, floating-point, numeric and boolean
/// columns are decimal; `timestamp`, `timestamptz` and `date` columns are timestamps (UTC);
/// text types are text. Key columns are always text; `column_type_overrides` win; the date column
/// may also be text in `date_format` or unix seconds. Other types (arrays, JSON, geometry) are an
/// error that says to cast them in a `query`.
public struct PostgresEventTableReader: EventTableReader {
    /// A reader.
    public init() {}

    public func read(_ source: DataSourceConfig) throws -> EventTable {
        guard let connection = source.connection else {
            throw EventsError.invalidSetup(
                "data source \"\(source.displayName)\": a PostgreSQL source needs `connection: postgresql://user@host:5432/db`")
        }
        guard (source.table == nil) != (source.query == nil) else {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\": give exactly one of `table` or `query`")
        }
        guard source.numQueryChunks >= 1 else {
            throw EventsError.invalidSetup(
                "data source \"\(source.displayName)\": num_query_chunks is \(source.numQueryChunks); it must be 1 or more")
        }
        let url: PostgresURL
        do { url = try PostgresURL(connection) } catch {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\": \(error)")
        }
        let location = url.description + (source.table.map { " (table \($0))" } ?? " (query)")
        do {
            let session = try PostgresSession(url: url)
            defer { session.close() }
            return try read(session, source: source, location: location)
        } catch let error as PostgresClientError {
            throw EventsError.databaseError(source: location, message: "\(error)")
        } catch EventsError.unknownColumn(_, let column, let available) {
            // DataSourceConfig.location shows the connection as written, password included.
            throw EventsError.unknownColumn(source: location, column: column, available: available)
        }
    }

    private func read(_ session: PostgresSession, source: DataSourceConfig, location: String) throws -> EventTable {
        let base = source.query ?? "SELECT * FROM \(Self.quoted(source.table!))"
        let described = try session.describe(base)
        let names = try source.selectedColumns(available: described.map(\.name))
        let builders = try names.map { name in
            try PostgresColumnBuilder(name: name, type: described.first { $0.name == name }!.type, source: source, location: location)
        }
        let selectList = names.map(Self.quoted).joined(separator: ", ")
        let rowCount = RowCounter()
        for chunk in 0..<source.numQueryChunks {
            var sql = "SELECT \(selectList) FROM (\(base)) AS fledge_source"
            if source.numQueryChunks > 1 {
                sql += " WHERE " + Self.chunkCondition(source: source, names: names, chunk: chunk)
            }
            try session.forEachRow(sql) { row in
                for (builder, value) in zip(builders, row) { try builder.append(value, row: rowCount.value) }
                rowCount.value += 1
            }
        }
        return EventTable(source: location, columnNames: names, columns: builders.map { $0.column() }, rowCount: rowCount.value)
    }

    /// `WHERE` condition of chunk `chunk`: the key's hash modulo the chunk count (NULL keys in chunk 0).
    static func chunkCondition(source: DataSourceConfig, names: [String], chunk: Int) -> String {
        let key = Self.quoted(source.mainEntityColumn ?? source.joinKey ?? names[0])
        let n = source.numQueryChunks
        return "COALESCE(((hashtext(\(key)::text)::bigint % \(n)) + \(n)) % \(n), 0) = \(chunk)"
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The number of rows read so far; updated on postgres-nio's event loop, read after each query ends.
private final class RowCounter: @unchecked Sendable {
    var value = 0
}
