import FledgeTestSupport
import Foundation
import Testing
@testable import FledgePostgres

@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))
struct PostgresSessionTests {
    @Test func executeWithBindsAndQueryRoundTripsEveryValueKind() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        let table = TestPostgres.uniqueName("fledge_values")
        try db.execute("CREATE TABLE \(table) (id bigint, small smallint, x double precision, n numeric, ok boolean, name text, at timestamptz, day date)")
        defer { _ = try? db.execute("DROP TABLE \(table)") }
        let at = Date(timeIntervalSince1970: 1_700_000_000.25)
        let inserted = try db.execute(
            "INSERT INTO \(table) VALUES ($1, 7, $2, 12.5, $3, $4, $5, '2024-02-29'), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
            [.int(1), .double(0.125), .bool(true), .text("héllo, 'world'"), .timestamp(at)])
        #expect(inserted == 2)
        let result = try db.query("SELECT * FROM \(table) ORDER BY id")
        #expect(result.columns == ["id", "small", "x", "n", "ok", "name", "at", "day"])
        #expect(result.rows[0] == [
            .int(1), .int(7), .double(0.125), .double(12.5), .bool(true), .text("héllo, 'world'"), .timestamp(at),
            .timestamp(Date(timeIntervalSince1970: 1_709_164_800)),
        ])
        #expect(result.rows[1].dropFirst().allSatisfy { $0.isNull })
        #expect(try result.string(0, "name") == "héllo, 'world'")
        #expect(throws: PostgresClientError.self) { try result.int(1, "small") }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        let table = TestPostgres.uniqueName("fledge_tx")
        try db.execute("CREATE TABLE \(table) (id bigint)")
        defer { _ = try? db.execute("DROP TABLE \(table)") }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try db.transaction {
                try db.execute("INSERT INTO \(table) VALUES (1)")
                throw Abort()
            }
        }
        try db.transaction { try db.execute("INSERT INTO \(table) VALUES (2)") }
        #expect(try db.query("SELECT id FROM \(table)").rows == [[.int(2)]])
    }

    @Test func serverErrorsAreTypedWithSQLStateAndStatement() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        #expect {
            try db.query("SELECT * FROM fledge_no_such_table")
        } throws: { error in
            guard case PostgresClientError.queryFailed(_, let sql, let message, let sqlState) = error else { return false }
            return sql.contains("fledge_no_such_table") && message.contains("does not exist") && sqlState == "42P01"
        }
        // The connection stays usable after a failed statement.
        #expect(try db.query("SELECT 1 AS one").rows == [[.int(1)]])
    }

    @Test func unsupportedColumnTypesSayHowToCast() throws {
        let db = try PostgresSession(url: TestPostgres.url!)
        #expect {
            try db.query("SELECT point(1, 2) AS p")
        } throws: { error in
            String(describing: error).contains("p::text")
        }
    }

    @Test func concurrentSessionsSerialiseWithRowLocks() throws {
        // Two connections increment one counter 50 times each under SELECT ... FOR UPDATE: no update is lost.
        let table = TestPostgres.uniqueName("fledge_counter")
        let setup = try PostgresSession(url: TestPostgres.url!)
        try setup.execute("CREATE TABLE \(table) (id int PRIMARY KEY, value bigint)")
        defer { _ = try? setup.execute("DROP TABLE \(table)") }
        try setup.execute("INSERT INTO \(table) VALUES (1, 0)")
        let url = TestPostgres.url!
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            guard let db = try? PostgresSession(url: url) else { return }
            for _ in 0..<50 {
                _ = try? db.transaction {
                    let value = try db.query("SELECT value FROM \(table) WHERE id = 1 FOR UPDATE").int(0, "value")
                    try db.execute("UPDATE \(table) SET value = $1 WHERE id = 1", [.int(value + 1)])
                }
            }
        }
        #expect(try setup.query("SELECT value FROM \(table)").rows == [[.int(100)]])
    }
}
