import FledgePostgres
import FledgeTestSupport
import Foundation
import Testing
@testable import FledgeEvents

/// PostgresEventTableReader against a real server (`make test` starts one; see docs/postgres.md),
/// on the real clickstream loaded into a table.
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))
struct PostgresEventReaderTests {
    /// The clickstream CSV as a table (timestamps as `timestamp`, the rest as text). It is loaded
    /// once per server and kept (the test database is scratch), so later runs and tests reuse it.
    static func clickstreamTable(in db: PostgresSession) throws -> String {
        let table = "fledge_test_clickstream_v1"
        try db.transaction {
            // Two test processes may get here at once: one loads, the other waits and finds the table.
            try db.execute("SELECT pg_advisory_xact_lock(hashtext('\(table)'))")
            guard try db.query("SELECT to_regclass('\(table)') IS NULL AS missing").rows == [[.bool(true)]] else { return }
            try db.execute("""
                CREATE TABLE \(table) (user_id text, session_id text, event text, "timestamp" timestamp, platform text,
                                       acquisition_channel text, user_cohort text, user_lifecycle text)
                """)
            let lines = try String(contentsOfFile: clickstreamPath, encoding: .utf8).split(separator: "\n").dropFirst()
            let rows = lines.map { line in
                "(" + line.split(separator: ",", omittingEmptySubsequences: false)
                    .map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ") + ")"
            }
            // Literal rows: much faster than binding 250,000 parameters in a debug build.
            for start in stride(from: 0, to: rows.count, by: 5000) {
                try db.execute("INSERT INTO \(table) VALUES " + rows[start..<min(start + 5000, rows.count)].joined(separator: ", "))
            }
        }
        #expect(try db.query("SELECT count(*) AS n FROM \(table)").int(0, "n") == 31_106)
        return table
    }

    static func source(table: String, chunks: Int) -> DataSourceConfig {
        var source = clickstreamSource()
        source.path = nil
        source.connection = TestPostgres.url!
        source.table = table
        source.numQueryChunks = chunks
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
        let table = try Self.clickstreamTable(in: db)
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
        let table = try Self.clickstreamTable(in: db)

        let fromCSV = try EventStore.load([clickstreamSource()])
        let fromPostgres = try EventStore.load([Self.source(table: table, chunks: 3)])
        #expect(fromPostgres.eventCount == fromCSV.eventCount)
        #expect(Set(fromPostgres.entityIDs) == Set(fromCSV.entityIDs))
        #expect(fromPostgres.columns.map(\.name).sorted() == fromCSV.columns.map(\.name).sorted())
        for id in fromCSV.entityIDs {
            let a = fromCSV.entityIndex(of: id)!, b = fromPostgres.entityIndex(of: id)!
            let csvTimes = fromCSV.timestamps[fromCSV.offsets[a]..<fromCSV.offsets[a + 1]]
            let pgTimes = fromPostgres.timestamps[fromPostgres.offsets[b]..<fromPostgres.offsets[b + 1]]
            #expect(Array(csvTimes) == Array(pgTimes), "entity \(id)")
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
