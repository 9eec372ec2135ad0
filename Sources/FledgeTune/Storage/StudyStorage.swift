import Foundation

/// Where a study lives: every trial, its parameters, intermediate values, state and result.
///
/// Implementations are synchronous and must be safe for several threads and several processes
/// (or machines) working on one study at once: trial numbers are allocated by the storage inside a
/// transaction, and every finished trial is durable when `finishTrial` returns, so killing a
/// worker at any moment loses at most the trials it was running. `SQLiteStudyStorage` is the
/// default; `InMemoryStudyStorage` serves one process; `PostgresStudyStorage` serves many machines.
/// `StudyStorageConformance.check(_:)` is the test every implementation must pass.
public protocol StudyStorage: AnyObject, Sendable {
    /// Creates the study if no study has its name, otherwise returns the stored one unchanged
    /// (atomic: two workers starting together get the same study). See `openStudy(_:)` for the check.
    func createStudyIfAbsent(_ descriptor: StudyDescriptor) throws -> StudyRecord

    /// The study with this name, or nil.
    func loadStudy(named name: String) throws -> StudyRecord?

    /// The study's trials ordered by number, optionally only those in `states`.
    func trials(studyID: Int64, states: Set<TrialState>?) throws -> [TrialRecord]

    /// Starts a trial for `workerID`: claims the oldest `waiting` trial if there is one, otherwise
    /// creates trial number max+1. Either way it comes back `running`, with the worker id and a fresh
    /// heartbeat, in one transaction.
    func startTrial(studyID: Int64, workerID: String) throws -> TrialRecord

    /// Adds a `waiting` trial with fixed parameters (run before any newly sampled trial).
    @discardableResult
    func enqueueTrial(studyID: Int64, params: [String: Double]) throws -> TrialRecord

    /// Stores the sampled parameters of a running trial (merging with any it already has).
    func setParams(trialID: Int64, params: [String: Double]) throws

    /// Records the monitored value at a step (replacing an earlier report at the same step).
    func reportIntermediateValue(trialID: Int64, step: Int, value: Double) throws

    /// Ends a trial running for `workerID` as complete, pruned or failed; throws
    /// `StudyStorageError.trialNotRunning` if it is not running for that worker any more.
    func finishTrial(trialID: Int64, workerID: String, state: TrialState, value: Double?, error: String?) throws

    /// Refreshes the heartbeat of a trial running for `workerID` (same throwing rule as `finishTrial`).
    func heartbeat(trialID: Int64, workerID: String) throws

    /// Finds running trials whose heartbeat is older than `timeout` seconds and either re-queues them
    /// (`waiting`, parameters kept, intermediate values cleared, the reason in `error`) or marks them
    /// failed. Returns the affected trial numbers.
    @discardableResult
    func recoverStaleTrials(studyID: Int64, timeout: TimeInterval, requeue: Bool) throws -> [Int]
}

extension StudyStorage {
    /// Creates the study or joins the existing one, refusing to join one whose direction or search
    /// space differs. A joining worker uses the stored sampler seed, so all workers sample alike.
    public func openStudy(_ descriptor: StudyDescriptor) throws -> StudyRecord {
        let record = try createStudyIfAbsent(descriptor)
        let stored = record.descriptor
        if stored.direction != descriptor.direction {
            throw StudyStorageError.studyMismatch(
                study: descriptor.name, field: "direction",
                stored: stored.direction.rawValue, requested: descriptor.direction.rawValue)
        }
        if stored.spaceFingerprint != descriptor.spaceFingerprint {
            throw StudyStorageError.studyMismatch(
                study: descriptor.name, field: "search space",
                stored: stored.spaceFingerprint, requested: descriptor.spaceFingerprint)
        }
        return record
    }

    /// All of the study's trials ordered by number.
    public func trials(studyID: Int64) throws -> [TrialRecord] {
        try trials(studyID: studyID, states: nil)
    }

    /// The text `host:pid` that names this process as a worker.
    public static var currentWorkerID: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
