import FledgeTestSupport
import Foundation
import Testing

/// `fledge train` on events that live in PostgreSQL (a real server; `make test` starts one).
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))
struct PostgresEventsCommandTests {
    /// The churn example with its event source replaced by `source` (YAML lines of one data source).
    static func churnConfig(source: String, folder: URL) throws -> String {
        let example = try String(contentsOf: FledgeProcess.repositoryRoot.appendingPathComponent("Examples/configs/events-churn.yaml"),
                                 encoding: .utf8)
        let start = example.range(of: "data_sources:\n")!.upperBound
        let end = example.range(of: "\ndata_params:")!.lowerBound
        let config = example.replacingCharacters(in: start..<end, with: source)
        let path = folder.appendingPathComponent("churn.yaml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The line `validation: ...` a run ends with.
    static func validationLine(_ output: FledgeOutput) -> String? {
        output.stdout.split(separator: "\n").last { $0.hasPrefix("validation:") }.map(String.init)
    }

    @Test func trainingOnAPostgresTableMatchesTrainingOnTheCSV() throws {
        let table = try TestPostgres.clickstreamTable()
        let folder = try TemporaryDirectory()
        let common = ["--set", "training.epochs=2", "--set", "experiment.experiment_dir=\(folder.url.path)/runs", "--quiet"]
        let csvConfig = try Self.churnConfig(source: """
              - {type: event, name: clicks, path: \(FledgeProcess.repositoryRoot.path)/Examples/Data/shop_clickstream_synthetic.csv,
                 main_entity_column: user_id, date_column: timestamp, date_format: "yyyy-MM-dd HH:mm:ss", disallowed_columns: [session_id]}
            """, folder: folder.url)
        let csv = try FledgeProcess.run(["train", csvConfig] + common)
        #expect(csv.status == 0, "\(csv.stderr)")

        let postgresConfig = try Self.churnConfig(source: """
              - type: event
                name: clicks
                connection: "\(TestPostgres.url!)"
                query: SELECT user_id, event, "timestamp", platform, acquisition_channel, user_cohort, user_lifecycle
                       FROM \(table) ORDER BY line
                main_entity_column: user_id
                date_column: timestamp
            """, folder: folder.url)
        let postgres = try FledgeProcess.run(["train", postgresConfig] + common)
        #expect(postgres.status == 0, "\(postgres.stderr)")
        #expect(postgres.stdout.contains("loaded 31106 events of 600 entities from postgresql://"), "\(postgres.stdout)")
        // The query returns the rows in the file's order (a table has none), so the same seed trains the same model.
        #expect(Self.validationLine(postgres) != nil && Self.validationLine(postgres) == Self.validationLine(csv))
    }

    @Test func aMissingTableIsOneClearErrorNamingTheServer() throws {
        let folder = try TemporaryDirectory()
        let config = try Self.churnConfig(source: """
              - {type: event, connection: "\(TestPostgres.url!)", table: fledge_no_such_table, num_query_chunks: 4,
                 main_entity_column: user_id, date_column: timestamp}
            """, folder: folder.url)
        let output = try FledgeProcess.run(["train", config, "--set", "experiment.experiment_dir=\(folder.url.path)/runs"])
        #expect(output.status != 0)
        #expect(output.stderrLines.count == 1, "\(output.stderr)")
        #expect(output.stderr.contains("(table fledge_no_such_table)") && output.stderr.contains("does not exist"), "\(output.stderr)")
    }
}
