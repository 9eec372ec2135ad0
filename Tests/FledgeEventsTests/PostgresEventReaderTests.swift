import FledgePostgres
import FledgeTestSupport
import Foundation
import Testing
@testable import FledgeEvents

/// PostgresEventTableReader against a real server (`make test` starts one; see docs/postgres.md),
/// on the real clickstream loaded into a table.
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))
struct PostgresEventReaderTests {
    static func source(table: String, chunks: Int) -> DataSourceConfig {
        var source = clickstreamSource()
        source.path = nil
        source.connection = TestPostgres.url!
        source.table = table
        source.numQueryChunks = chunks
        source.disallowedColumns.append("line")
        return source
    }

    /// Every row as text cells, sorted: equal for two tables exactly when they hold the same rows.
    static func sortedRows(_ table: EventTable) -> [[String]] {
        let cells: [[String]] = table.columns.map { column in
            switch column {
            case .decimal(let values): values.map { $0.isNaN ? "∅" : String($0) }
            case .text(let codes, let values): codes.map { $0 < 0 ? "∅" : values[Int($0)] }
            case .timestamp(let seconds): seconds.map { $0 == Int64.min ? "∅" : TimestampParser.text($0) }
            }
        }
        return (0..<table.rowCount).map { row in cells.map { $0[row] } }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func chunkedReadsReturnExactlyTheRowsOfTheCSV() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        let table = try TestPostgres.clickstreamTable()
        let csv = try CSVEventTableReader().read(clickstreamSource())
        let expected = Self.sortedRows(csv)
        for chunks in [1, 5] {
            let read = try EventTableReaders.standard.read(Self.source(table: table, chunks: chunks))
            #expect(read.columnNames == csv.columnNames, "num_query_chunks \(chunks)")
            #expect(read.rowCount == 31_106)
            #expect(Self.sortedRows(read) == expected, "num_query_chunks \(chunks): rows differ from the CSV's")
            #expect(read.source.hasPrefix("postgresql://postgres@") && read.source.hasSuffix("(table \(table))"))
        }
        // Chunks partition the rows by entity: every user's events come from one chunk query.
        let chunkSizes = try (0..<4).map { chunk in
            try db.query("SELECT count(*) AS n, count(DISTINCT user_id) AS users FROM \(table) WHERE "
                         + PostgresEventTableReader.chunkCondition(source: Self.source(table: table, chunks: 4), names: [], chunk: chunk))
        }
        #expect(try chunkSizes.map { try $0.int(0, "n") }.reduce(0, +) == 31_106)
        #expect(try chunkSizes.map { try $0.int(0, "users") }.reduce(0, +) == 600)
        #expect(try chunkSizes.allSatisfy { try $0.int(0, "n") > 0 })
    }

    @Test func aStoreLoadedFromPostgresEqualsTheStoreLoadedFromCSV() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        let table = try TestPostgres.clickstreamTable()

        let fromCSV = try EventStore.load([clickstreamSource()])
        let fromPostgres = try EventStore.load([Self.source(table: table, chunks: 3)])
        #expect(fromPostgres.eventCount == fromCSV.eventCount)
        // Chunked queries return the rows in another order; the store is the same anyway.
        #expect(fromPostgres.entityIDs == fromCSV.entityIDs)
        #expect(fromPostgres.offsets == fromCSV.offsets)
        #expect(fromPostgres.timestamps == fromCSV.timestamps)
        #expect(fromPostgres.columns.map(\.name).sorted() == fromCSV.columns.map(\.name).sorted())
        for column in fromCSV.columns {
            let other = fromPostgres.column(named: column.name)!
            #expect(other.vocabulary == column.vocabulary, "column \(column.name)")
            #expect((0..<fromCSV.eventCount).allSatisfy { other.text(at: $0) == column.text(at: $0) && other.number(at: $0) == column.number(at: $0) },
                    "column \(column.name)")
        }
    }

    @Test func declaredTypesOverridesQueriesAndBadCellsAreHandled() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        let table = TestPostgres.uniqueName("typed_events")
        try db.execute("""
            CREATE TABLE \(table) (customer_id bigint, at timestamptz, price numeric, qty integer, gift boolean,
                                   channel text, signup date, tags text[], day_text text)
            """)
        defer { _ = try? db.execute("DROP TABLE \(table)") }
        try db.execute("""
            INSERT INTO \(table) VALUES
              (7, '2024-01-02 10:00:00+00', 3.5, 2, true, 'web', '2023-12-01', '{a}', '2024-01-02'),
              (8, '2024-01-03 11:00:00+02', NULL, NULL, false, NULL, NULL, '{}', 'not a date')
            """)
        var source = DataSourceConfig()
        source.connection = TestPostgres.url!
        source.query = "SELECT customer_id, at, price, qty, gift, channel, signup FROM \(table)"
        source.mainEntityColumn = "customer_id"
        source.dateColumn = "at"
        source.columnTypeOverrides = ["qty": .categorical]
        let read = try EventTableReaders.standard.read(source)
        #expect(read.source.hasSuffix("(query)"))
        guard case .text(let ids, let idValues)? = read.column(named: "customer_id"),
              case .timestamp(let at)? = read.column(named: "at"),
              case .decimal(let price)? = read.column(named: "price"),
              case .text(let qty, let qtyValues)? = read.column(named: "qty"),
              case .decimal(let gift)? = read.column(named: "gift"),
              case .timestamp(let signup)? = read.column(named: "signup") else {
            Issue.record("unexpected column kinds: \(read.columns)")
            return
        }
        let order = ids.map { idValues[Int($0)] }
        let first = order.firstIndex(of: "7")!, second = order.firstIndex(of: "8")!
        #expect(TimestampParser.text(at[first]) == "2024-01-02 10:00:00")
        #expect(TimestampParser.text(at[second]) == "2024-01-03 09:00:00")
        #expect(price[first] == 3.5 && price[second].isNaN)
        #expect(qty[first] >= 0 && qtyValues[Int(qty[first])] == "2" && qty[second] == -1)
        #expect(gift[first] == 1 && gift[second] == 0)
        #expect(TimestampParser.text(signup[first]) == "2023-12-01 00:00:00" && signup[second] == Int64.min)

        source.columnTypeOverrides = [:]
        source.query = "SELECT customer_id, at, tags FROM \(table)"
        #expect { try EventTableReaders.standard.read(source) } throws: { error in
            "\(error)".contains("tags::text")
        }
        source.query = "SELECT customer_id, day_text FROM \(table) ORDER BY customer_id"
        source.dateColumn = "day_text"
        source.dateFormat = "yyyy-MM-dd"
        #expect { try EventTableReaders.standard.read(source) } throws: { error in
            guard case EventsError.unparseableDate(let location, "day_text", "not a date", "yyyy-MM-dd") = error else { return false }
            return location.hasSuffix("(query) row 2")
        }
        source.allowedColumns = ["revenue"]
        #expect { try EventTableReaders.standard.read(source) } throws: { error in
            guard case EventsError.unknownColumn(let where_, "revenue", _) = error else { return false }
            return where_.hasPrefix("postgresql://")
        }
    }
}

@Test func aPostgresSourceWithABadConnectionNamesItWithoutThePassword() {
    var source = DataSourceConfig()
    source.connection = "postgresql://analyst:s3cret@127.0.0.1:1/shop?sslmode=disable"
    source.table = "events"
    source.mainEntityColumn = "customer_id"
    source.dateColumn = "ts"
    #expect { try EventTableReaders.standard.read(source) } throws: { error in
        let message = "\(error)"
        return message.contains("postgresql://analyst@127.0.0.1:1/shop (table events)") && !message.contains("s3cret")
    }
    source.numQueryChunks = 0
    #expect { try EventTableReaders.standard.read(source) } throws: { error in "\(error)".contains("num_query_chunks is 0") }
}
