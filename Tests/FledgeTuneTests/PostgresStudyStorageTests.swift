import FledgeTestSupport
import Foundation
import Testing
@testable import FledgeTune

/// PostgresStudyStorage against a real server (`make test` starts one; see docs/postgres.md).
@Suite(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipComment))
struct PostgresStudyStorageTests {
    @Test func postgresStorageConforms() throws {
        let storage = try StudyStorageFactory.standard.open(url: TestPostgres.url!)
        #expect(storage is PostgresStudyStorage)
        try StudyStorageConformance.check(storage, prefix: TestPostgres.uniqueName("conformance"))
    }

    @Test func workersOnSeparateConnectionsShareOneStudyWithoutDuplicateNumbers() throws {
        // Each worker has its own storage (its own connection), as a process on another machine would.
        let url = TestPostgres.url!
        let descriptor = StudyDescriptor(
            name: TestPostgres.uniqueName("shared"), direction: .minimize, spaceFingerprint: "f", samplerSeed: 42)
        let budget = 24
        let failures = Locked<[String]>([])
        // Connect first, so that no worker finishes the budget while another is still connecting.
        let storages = try (0..<3).map { _ in try PostgresStudyStorage(url: url) }
        DispatchQueue.concurrentPerform(iterations: storages.count) { worker in
            do {
                let storage = storages[worker]
                let study = try storage.openStudy(descriptor)
                while try storage.trials(studyID: study.id, states: [.complete]).count < budget {
                    let trial = try storage.startTrial(studyID: study.id, workerID: "worker\(worker)")
                    try storage.setParams(trialID: trial.id, params: ["x": Double(trial.number)])
                    try storage.reportIntermediateValue(trialID: trial.id, step: 1, value: Double(worker))
                    try storage.finishTrial(trialID: trial.id, workerID: "worker\(worker)", state: .complete,
                                            value: Double(trial.number * trial.number), error: nil)
                }
            } catch {
                failures.update { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value)")
        let storage = try PostgresStudyStorage(url: url)
        let study = try #require(try storage.loadStudy(named: descriptor.name))
        let trials = try storage.trials(studyID: study.id)
        // Workers may overshoot the budget by at most one in-flight trial each; numbers never repeat or skip.
        #expect(trials.map(\.number) == Array(0..<trials.count))
        #expect(trials.count >= budget && trials.count <= budget + 2)
        #expect(trials.allSatisfy { $0.state == .complete && $0.params == ["x": Double($0.number)] })
        #expect(Set(trials.compactMap(\.workerID)).count > 1, "more than one worker took part")
    }

    @Test func aStudyOutlivesItsStorageAndIsJoinedWithTheStoredSeed() throws {
        let name = TestPostgres.uniqueName("reopen")
        let descriptor = StudyDescriptor(name: name, direction: .maximize, spaceFingerprint: "space", samplerSeed: UInt64.max)
        do {
            let storage = try PostgresStudyStorage(url: TestPostgres.url!)
            let study = try storage.openStudy(descriptor)
            let trial = try storage.startTrial(studyID: study.id, workerID: "a")
            try storage.finishTrial(trialID: trial.id, workerID: "a", state: .complete, value: 0.5, error: nil)
        }
        let reopened = try PostgresStudyStorage(url: TestPostgres.url!)
        let study = try #require(try reopened.loadStudy(named: name))
        #expect(study.descriptor == descriptor)
        #expect(try reopened.trials(studyID: study.id).map(\.value) == [0.5])
    }
}

@Test func anUnreachableServerIsADatabaseErrorNamingItWithoutThePassword() {
    #expect {
        _ = try StudyStorageFactory.standard.open(url: "postgresql://tuner:hunter2@127.0.0.1:1/studies?sslmode=disable")
    } throws: { error in
        guard case StudyStorageError.database(let location, let message) = error else { return false }
        return location == "postgresql://tuner@127.0.0.1:1/studies" && !message.contains("hunter2")
            && message.contains("cannot connect")
    }
}

/// A value several threads update.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
