import FledgePostgres
import FledgeTestSupport
import Foundation
import Testing

/// `fledge tune --storage postgresql://...`: separate processes, as on separate machines, share one
/// study on a real PostgreSQL server (`make test` starts one).
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))
struct PostgresTuneCommandTests {
    @Test func twoIndependentWorkersShareOneStudyWithoutDuplicateTrialNumbers() throws {
        let study = TestPostgres.uniqueName("cli_study")
        // Each worker has its own folder (its own "machine"); only the database is shared.
        let configs = try (0..<2).map { _ in try TuneCommandTests.makeConfig(nTrials: 6).1 }
        let outputs = Locked<[Int: FledgeOutput]>([:])
        let url = TestPostgres.url!
        runConcurrently(2) { worker in
            var arguments = ["tune", configs[worker], "--storage", url, "--study-name", study, "--quiet"]
            if worker == 1 {
                // The second machine joins the study the first one created (up to 60 s), with --resume.
                let db = try? PostgresSession(url: url)
                for _ in 0..<600 {
                    let found = try? db?.query("SELECT 1 AS one FROM fledge_studies WHERE name = $1", [.text(study)])
                    if found?.isEmpty == false { break }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                arguments.append("--resume")
            }
            let output = try? FledgeProcess.run(arguments)
            outputs.update { $0[worker] = output }
        }
        for worker in 0..<2 {
            let output = try #require(outputs.value[worker])
            #expect(output.status == 0, "worker \(worker): \(output.stderr)")
            #expect(output.stdout.contains("storage postgresql://postgres@"), "\(output.stdout)")
        }
        let db = try PostgresSession(url: TestPostgres.url!)
        let trials = try db.query("""
            SELECT t.number, t.state, t.worker_id FROM fledge_trials t JOIN fledge_studies s ON s.id = t.study_id
            WHERE s.name = $1 ORDER BY t.number
            """, [.text(study)])
        let numbers = try (0..<trials.count).map { try trials.int($0, "number") }
        #expect(numbers == Array(0..<trials.count), "trial numbers are distinct and gap-free: \(numbers)")
        let finished = try (0..<trials.count).filter { try trials.string($0, "state") != "running" }
        #expect((6...7).contains(finished.count), "the budget of 6, plus at most one racing trial: \(finished.count)")
        let workers = Set(try (0..<trials.count).compactMap { try trials.value($0, "worker_id").stringValue })
        #expect(workers.count == 2, "both processes ran trials: \(workers)")
    }
}
