import FledgeEvents
import Foundation
import GRDB
import Testing

/// The clickstream copied from ../shared/data (see Examples/Data/NOTICE.md).
let clickstreamPath = "Examples/Data/shop_clickstream_synthetic.csv"

/// A temporary file path that is removed by the caller.
func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("fledge-events-\(UUID().uuidString)-\(name)").path
}

func clickstreamSource() -> DataSourceConfig {
    var source = DataSourceConfig(eventsAt: clickstreamPath, mainEntityColumn: "user_id", dateColumn: "timestamp",
                                  dateFormat: "yyyy-MM-dd HH:mm:ss")
    source.disallowedColumns = ["session_id"]
    return source
}

@Suite struct SourceReadingTests {
    @Test func timestampFormatsParseToUTCSeconds() throws {
        let iso = try TimestampParser(format: "iso8601")
        #expect(iso.parse("1970-01-01") == 0)
        #expect(iso.parse("2024-03-13 10:21:14") == 1_710_325_274)
        #expect(iso.parse("2024-03-13T10:21:14Z") == 1_710_325_274)
        #expect(iso.parse("2024-03-13T12:21:14.250+02:00") == 1_710_325_274)
        #expect(iso.parse("2024-02-30") == nil)
        #expect(iso.parse("13/03/2024") == nil)
        let pattern = try TimestampParser(format: "dd/MM/yyyy HH:mm")
        #expect(pattern.parse("13/03/2024 10:21") == 1_710_325_260)
        #expect(pattern.parse("2024-03-13 10:21") == nil)
        let unix = try TimestampParser(format: "unix_ms")
        #expect(unix.seconds(fromNumber: 1_710_325_274_999) == 1_710_325_274)
        #expect(TimestampParser.text(1_710_325_274) == "2024-03-13 10:21:14")
        #expect(TimestampParser.text(-1) == "1969-12-31 23:59:59")
        #expect(throws: EventsError.self) { try TimestampParser(format: "yyyy-QQ-dd") }
    }

    @Test func csvReaderTypesTheClickstreamColumns() throws {
        let table = try CSVEventTableReader().read(clickstreamSource())
        #expect(table.rowCount == 31_106)
        #expect(table.columnNames == ["user_id", "event", "timestamp", "platform", "acquisition_channel", "user_cohort",
                                      "user_lifecycle"])
        guard case .timestamp(let seconds)? = table.column(named: "timestamp"),
              case .text(let codes, let users)? = table.column(named: "user_id"),
              case .text(_, let events)? = table.column(named: "event") else {
            Issue.record("unexpected column types")
            return
        }
        #expect(TimestampParser.text(seconds[0]) == "2024-03-13 10:21:14")
        #expect(users.count == 600 && users[Int(codes[0])] == "user_0000")
        #expect(events.count == 19 && events.contains("purchase"))
        #expect(table.location(ofRow: 0) == "\(clickstreamPath):2")
    }

    @Test func allowedColumnsAndOverridesAreApplied() throws {
        var source = clickstreamSource()
        source.allowedColumns = ["event", "user_cohort"]
        source.columnTypeOverrides = ["user_cohort": .categorical]
        let table = try CSVEventTableReader().read(source)
        #expect(table.columnNames == ["user_id", "event", "timestamp", "user_cohort"])
        source.allowedColumns = ["revenue"]
        #expect(throws: EventsError.unknownColumn(source: clickstreamPath, column: "revenue",
                                                  available: ["user_id", "session_id", "event", "timestamp", "platform",
                                                              "acquisition_channel", "user_cohort", "user_lifecycle"])) {
            try CSVEventTableReader().read(source)
        }
    }

    @Test func unparseableDateNamesFileLineAndColumn() throws {
        let path = temporaryPath("bad-date.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "customer_id,timestamp,price\nc1,2024-01-02 10:00:00,3.5\nc2,2024-13-02 10:00:00,1\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let source = DataSourceConfig(eventsAt: path, mainEntityColumn: "customer_id", dateColumn: "timestamp",
                                      dateFormat: "yyyy-MM-dd HH:mm:ss")
        let error = #expect(throws: EventsError.self) { try CSVEventTableReader().read(source) }
        #expect(error == .unparseableDate(location: "\(path):3:2", column: "timestamp", text: "2024-13-02 10:00:00",
                                          format: "yyyy-MM-dd HH:mm:ss"))
        #expect(error?.description.contains("does not match date_format") == true)
    }

    @Test func sqliteReaderMatchesTheCSVReader() throws {
        let path = temporaryPath("events.sqlite")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE events (customer_id TEXT, ts TEXT, price REAL, category TEXT)")
            try db.execute(sql: "INSERT INTO events VALUES ('c1', '2024-01-02 10:00:00', 3.5, 'shoes'), ('c2', '2024-01-03 11:00:00', NULL, 'hats'), (7, '2024-01-04 00:00:00', 2, 'shoes')")
        }
        var source = DataSourceConfig(eventsAt: path, mainEntityColumn: "customer_id", dateColumn: "ts")
        source.table = "events"
        #expect(source.resolvedFormat == .sqlite)
        let table = try EventTableReaders.standard.read(source)
        #expect(table.rowCount == 3)
        guard case .text(let codes, let ids)? = table.column(named: "customer_id"),
              case .decimal(let prices)? = table.column(named: "price"),
              case .timestamp(let seconds)? = table.column(named: "ts") else {
            Issue.record("unexpected column types")
            return
        }
        #expect(codes.map { ids[Int($0)] } == ["c1", "c2", "7"])
        #expect(prices[0] == 3.5 && prices[1].isNaN && prices[2] == 2)
        #expect(TimestampParser.text(seconds[2]) == "2024-01-04 00:00:00")
        source.table = nil
        source.query = "SELECT customer_id, ts FROM events WHERE category = 'shoes'"
        #expect(try EventTableReaders.standard.read(source).rowCount == 2)
        source.query = "SELECT * FROM missing_table"
        #expect(throws: EventsError.self) { try EventTableReaders.standard.read(source) }
    }

    @Test func aFormatWithoutAReaderIsAClearError() throws {
        var source = DataSourceConfig()
        source.connection = "postgresql://fledge@127.0.0.1:5432/shop"
        source.table = "events"
        #expect(source.resolvedFormat == .postgres)
        let readers = EventTableReaders([.csv: CSVEventTableReader()])
        let error = #expect(throws: EventsError.self) { try readers.read(source) }
        #expect(error?.description.contains("no reader for format postgres") == true)
    }
}
