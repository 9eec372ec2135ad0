import Foundation
import Synchronization

/// A study storage in this process's memory: for the Swift API when nothing needs to survive the
/// process, and for benchmarks that measure the sampler alone. Thread-safe.
public final class InMemoryStudyStorage: StudyStorage {
    private struct State {
        var studies: [StudyRecord] = []
        var trials: [Int64: [TrialRecord]] = [:]   // study id -> trials in number order
        var nextTrialID: Int64 = 1
    }
    private let state = Mutex(State())

    /// An empty storage.
    public init() {}

    public func createStudyIfAbsent(_ descriptor: StudyDescriptor) throws -> StudyRecord {
        state.withLock { s in
            if let existing = s.studies.first(where: { $0.descriptor.name == descriptor.name }) { return existing }
            let record = StudyRecord(id: Int64(s.studies.count + 1), descriptor: descriptor, createdAt: Date())
            s.studies.append(record)
            s.trials[record.id] = []
            return record
        }
    }

    public func loadStudy(named name: String) throws -> StudyRecord? {
        state.withLock { s in s.studies.first(where: { $0.descriptor.name == name }) }
    }

    public func trials(studyID: Int64, states: Set<TrialState>?) throws -> [TrialRecord] {
        state.withLock { s in
            let all = s.trials[studyID] ?? []
            guard let states else { return all }
            return all.filter { states.contains($0.state) }
        }
    }

    /// Finds a trial by id: (study id, index in that study's list).
    private static func locate(_ id: Int64, in s: State) throws -> (Int64, Int) {
        for (study, trials) in s.trials {
            if let i = trials.firstIndex(where: { $0.id == id }) { return (study, i) }
        }
        throw StudyStorageError.trialNotFound(id: id)
    }

    private static func newTrial(study: Int64, state: TrialState, in s: inout State) -> TrialRecord {
        let trial = TrialRecord(id: s.nextTrialID, number: s.trials[study, default: []].count, state: state, createdAt: Date())
        s.nextTrialID += 1
        s.trials[study, default: []].append(trial)
        return trial
    }

    public func startTrial(studyID: Int64, workerID: String) throws -> TrialRecord {
        state.withLock { s in
            let now = Date()
            let index: Int
            if let waiting = s.trials[studyID, default: []].firstIndex(where: { $0.state == .waiting }) {
                index = waiting
            } else {
                _ = Self.newTrial(study: studyID, state: .running, in: &s)
                index = s.trials[studyID]!.count - 1
            }
            s.trials[studyID]![index].state = .running
            s.trials[studyID]![index].workerID = workerID
            s.trials[studyID]![index].startedAt = now
            s.trials[studyID]![index].heartbeatAt = now
            return s.trials[studyID]![index]
        }
    }

    public func enqueueTrial(studyID: Int64, params: [String: Double]) throws -> TrialRecord {
        state.withLock { s in
            var trial = Self.newTrial(study: studyID, state: .waiting, in: &s)
            trial.params = params
            s.trials[studyID]![trial.number] = trial
            return trial
        }
    }

    public func setParams(trialID: Int64, params: [String: Double]) throws {
        try state.withLock { s in
            let (study, i) = try Self.locate(trialID, in: s)
            s.trials[study]![i].params.merge(params) { _, new in new }
        }
    }

    public func reportIntermediateValue(trialID: Int64, step: Int, value: Double) throws {
        try state.withLock { s in
            let (study, i) = try Self.locate(trialID, in: s)
            s.trials[study]![i].intermediateValues[step] = value
        }
    }

    private static func requireRunning(_ trial: TrialRecord, workerID: String) throws {
        if trial.state != .running || trial.workerID != workerID {
            throw StudyStorageError.trialNotRunning(number: trial.number, state: trial.state, workerID: workerID)
        }
    }

    public func finishTrial(trialID: Int64, workerID: String, state final: TrialState, value: Double?, error: String?) throws {
        precondition(final.isFinished, "finishTrial: \(final) is not a final state")
        try state.withLock { s in
            let (study, i) = try Self.locate(trialID, in: s)
            try Self.requireRunning(s.trials[study]![i], workerID: workerID)
            s.trials[study]![i].state = final
            s.trials[study]![i].value = value.flatMap { $0.isNaN ? nil : $0 }
            s.trials[study]![i].error = error
            s.trials[study]![i].finishedAt = Date()
        }
    }

    public func heartbeat(trialID: Int64, workerID: String) throws {
        try state.withLock { s in
            let (study, i) = try Self.locate(trialID, in: s)
            try Self.requireRunning(s.trials[study]![i], workerID: workerID)
            s.trials[study]![i].heartbeatAt = Date()
        }
    }

    public func recoverStaleTrials(studyID: Int64, timeout: TimeInterval, requeue: Bool) throws -> [Int] {
        state.withLock { s in
            let limit = Date().addingTimeInterval(-timeout)
            var numbers: [Int] = []
            for i in s.trials[studyID, default: []].indices {
                let trial = s.trials[studyID]![i]
                guard trial.state == .running, (trial.heartbeatAt ?? .distantPast) < limit else { continue }
                let reason = StaleTrial.reason(
                    worker: trial.workerID, heartbeat: trial.heartbeatAt?.timeIntervalSince1970, requeued: requeue)
                s.trials[studyID]![i].error = reason
                if requeue {
                    s.trials[studyID]![i].state = .waiting
                    s.trials[studyID]![i].intermediateValues = [:]
                    s.trials[studyID]![i].workerID = nil
                    s.trials[studyID]![i].heartbeatAt = nil
                } else {
                    s.trials[studyID]![i].state = .failed
                    s.trials[studyID]![i].finishedAt = Date()
                }
                numbers.append(trial.number)
            }
            return numbers
        }
    }
}
