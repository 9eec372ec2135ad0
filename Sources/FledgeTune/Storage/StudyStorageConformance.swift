import Foundation

/// The behaviour every `StudyStorage` must show, as one function tests call on a fresh storage:
/// `try StudyStorageConformance.check(storage)`. SQLite, memory and PostgreSQL run the same checks.
public enum StudyStorageConformance {
    /// A violated expectation: which check and what was seen.
    public struct Failure: Error, CustomStringConvertible {
        /// The check's name and what differed.
        public let description: String
    }

    private static func expect(_ condition: Bool, _ check: String, _ detail: @autoclosure () -> String = "") throws {
        if !condition { throw Failure(description: "\(check) failed\(detail().isEmpty ? "" : ": \(detail())")") }
    }

    /// Runs every check on `storage`, using study names that start with `prefix` (give a unique one
    /// when the storage is shared, such as a PostgreSQL database). Throws the first failure.
    public static func check(_ storage: any StudyStorage, prefix: String = "conformance") throws {
        try checkStudies(storage, prefix: prefix)
        try checkTrialLifecycle(storage, prefix: prefix)
        try checkStaleTrials(storage, prefix: prefix)
        try checkConcurrentWorkers(storage, prefix: prefix)
    }

    static func checkStudies(_ storage: any StudyStorage, prefix: String) throws {
        let descriptor = StudyDescriptor(
            name: "\(prefix)-studies", direction: .maximize, spaceFingerprint: "abc", samplerSeed: UInt64.max - 5)
        try expect(try storage.loadStudy(named: descriptor.name) == nil, "a missing study loads as nil")
        let created = try storage.openStudy(descriptor)
        try expect(created.descriptor == descriptor, "a study keeps its settings", "\(created.descriptor)")
        let again = try storage.openStudy(descriptor)
        try expect(again.id == created.id, "opening a study twice returns the same study")
        try expect(try storage.loadStudy(named: descriptor.name)?.id == created.id, "loadStudy finds it")
        var other = descriptor
        other.direction = .minimize
        do {
            _ = try storage.openStudy(other)
            try expect(false, "joining with another direction is refused")
        } catch let error as StudyStorageError {
            try expect(error == .studyMismatch(study: descriptor.name, field: "direction", stored: "maximize", requested: "minimize"),
                       "the mismatch names the field", "\(error)")
        }
        other = descriptor
        other.spaceFingerprint = "xyz"
        try expect((try? storage.openStudy(other)) == nil, "joining with another search space is refused")
    }

    static func checkTrialLifecycle(_ storage: any StudyStorage, prefix: String) throws {
        let study = try storage.openStudy(StudyDescriptor(
            name: "\(prefix)-lifecycle", direction: .minimize, spaceFingerprint: "f", samplerSeed: 7))
        let first = try storage.startTrial(studyID: study.id, workerID: "w1")
        try expect(first.number == 0 && first.state == .running && first.workerID == "w1", "the first trial is number 0, running",
                   "\(first)")
        try expect(first.heartbeatAt != nil && first.startedAt != nil, "a started trial has a heartbeat")
        try storage.setParams(trialID: first.id, params: ["training.learning_rate": 0.01, "model.layers": 1])
        try storage.setParams(trialID: first.id, params: ["training.dropout": 0.25])
        try storage.reportIntermediateValue(trialID: first.id, step: 10, value: 0.5)
        try storage.reportIntermediateValue(trialID: first.id, step: 20, value: 0.4)
        try storage.reportIntermediateValue(trialID: first.id, step: 20, value: 0.3)
        try storage.heartbeat(trialID: first.id, workerID: "w1")
        try storage.finishTrial(trialID: first.id, workerID: "w1", state: .complete, value: 0.3, error: nil)
        let second = try storage.startTrial(studyID: study.id, workerID: "w2")
        try expect(second.number == 1, "numbers are allocated in order", "\(second.number)")
        try storage.finishTrial(trialID: second.id, workerID: "w2", state: .failed, value: .nan, error: "objective was NaN")
        do {
            try storage.finishTrial(trialID: second.id, workerID: "w2", state: .complete, value: 1, error: nil)
            try expect(false, "a finished trial cannot be finished again")
        } catch StudyStorageError.trialNotRunning {}
        let queued = try storage.enqueueTrial(studyID: study.id, params: ["training.learning_rate": 0.1])
        try expect(queued.state == .waiting && queued.number == 2, "an enqueued trial waits with the next number")
        let claimed = try storage.startTrial(studyID: study.id, workerID: "w3")
        try expect(claimed.id == queued.id && claimed.params == ["training.learning_rate": 0.1] && claimed.state == .running,
                   "the next start claims the waiting trial", "\(claimed)")
        try storage.finishTrial(trialID: claimed.id, workerID: "w3", state: .pruned, value: 0.9, error: nil)

        let trials = try storage.trials(studyID: study.id)
        try expect(trials.map(\.number) == [0, 1, 2], "trials list in number order", "\(trials.map(\.number))")
        let t0 = trials[0]
        try expect(t0.state == .complete && t0.value == 0.3 && t0.finishedAt != nil, "a complete trial keeps its value", "\(t0)")
        try expect(t0.params == ["training.learning_rate": 0.01, "model.layers": 1, "training.dropout": 0.25],
                   "setParams merges", "\(t0.params)")
        try expect(t0.intermediateValues == [10: 0.5, 20: 0.3], "a later report at a step replaces it", "\(t0.intermediateValues)")
        try expect(trials[1].state == .failed && trials[1].value == nil && trials[1].error == "objective was NaN",
                   "a failed trial keeps its error, NaN is stored as no value", "\(trials[1])")
        try expect(trials[2].state == .pruned, "pruned is stored")
        let finished = try storage.trials(studyID: study.id, states: [.complete, .pruned])
        try expect(finished.map(\.number) == [0, 2], "trials filter by state", "\(finished.map(\.number))")
    }

    static func checkStaleTrials(_ storage: any StudyStorage, prefix: String) throws {
        let study = try storage.openStudy(StudyDescriptor(
            name: "\(prefix)-stale", direction: .minimize, spaceFingerprint: "f", samplerSeed: 1))
        let dead = try storage.startTrial(studyID: study.id, workerID: "dead")
        try storage.setParams(trialID: dead.id, params: ["x": 2])
        try storage.reportIntermediateValue(trialID: dead.id, step: 1, value: 5)
        try expect(try storage.recoverStaleTrials(studyID: study.id, timeout: 3600, requeue: true).isEmpty,
                   "a fresh heartbeat is not stale")
        Thread.sleep(forTimeInterval: 0.05)
        try expect(try storage.recoverStaleTrials(studyID: study.id, timeout: 0.01, requeue: true) == [0],
                   "a stale running trial is found")
        let waiting = try storage.trials(studyID: study.id)[0]
        try expect(waiting.state == .waiting && waiting.params == ["x": 2] && waiting.intermediateValues.isEmpty
                   && waiting.error != nil, "re-queueing keeps params, clears values, says why", "\(waiting)")
        do {
            try storage.finishTrial(trialID: dead.id, workerID: "dead", state: .complete, value: 1, error: nil)
            try expect(false, "the dead worker cannot finish a re-queued trial")
        } catch StudyStorageError.trialNotRunning {}
        let retried = try storage.startTrial(studyID: study.id, workerID: "alive")
        try expect(retried.number == 0 && retried.params == ["x": 2], "a re-queued trial is claimed again", "\(retried)")
        Thread.sleep(forTimeInterval: 0.05)
        try expect(try storage.recoverStaleTrials(studyID: study.id, timeout: 0.01, requeue: false) == [0], "stale again")
        let failed = try storage.trials(studyID: study.id)[0]
        try expect(failed.state == .failed && failed.error?.contains("alive") == true && failed.finishedAt != nil,
                   "without re-queueing a stale trial is marked failed, naming its worker", "\(failed)")
    }

    static func checkConcurrentWorkers(_ storage: any StudyStorage, prefix: String) throws {
        let study = try storage.openStudy(StudyDescriptor(
            name: "\(prefix)-concurrent", direction: .minimize, spaceFingerprint: "f", samplerSeed: 1))
        let workers = 4, perWorker = 8
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                for i in 0..<perWorker {
                    let trial = try storage.startTrial(studyID: study.id, workerID: "w\(w)")
                    try storage.setParams(trialID: trial.id, params: ["x": Double(i)])
                    try storage.finishTrial(trialID: trial.id, workerID: "w\(w)", state: .complete, value: Double(i), error: nil)
                }
            } catch { errors.record(error) }
        }
        if let error = errors.first { throw Failure(description: "concurrent workers: \(error)") }
        let numbers = try storage.trials(studyID: study.id).map(\.number)
        try expect(numbers == Array(0..<(workers * perWorker)), "concurrent starts get distinct gap-free numbers", "\(numbers)")
    }
}

/// The first error thrown by any of several threads.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func record(_ error: Error) { lock.withLock { if self.error == nil { self.error = error } } }
    var first: Error? { lock.withLock { error } }
}
