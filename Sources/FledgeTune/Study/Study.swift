import Foundation
import FledgeTrain

/// A hyperparameter study: a search space, a sampler, a pruner and a storage shared by any number
/// of workers (threads, processes or machines), as Optuna's `Study`.
///
/// ```swift
/// let space = SearchSpace([SearchParameter(name: "x", distribution: .float(low: -5, high: 10, log: false, step: nil))])
/// let study = try Study(name: "demo", direction: .minimize, space: space, sampler: TPESampler(seed: 1))
/// try study.optimize(nTrials: 50) { trial in
///     let x = trial.double("x")!
///     return (x - 2) * (x - 2)
/// }
/// print(try study.bestTrial()!.params)
/// ```
public final class Study: Sendable {
    /// Where the trials live.
    public let storage: any StudyStorage
    /// The stored study (its id and settings).
    public let record: StudyRecord
    /// The searched parameters.
    public let space: SearchSpace
    /// Chooses each trial's parameters.
    public let sampler: any Sampler
    /// Stops poor trials early.
    public let pruner: any Pruner
    /// This process's worker id (`host:pid`, plus a suffix for extra threads).
    public let workerID: String
    /// Seconds between heartbeats of a running trial.
    public let heartbeatInterval: TimeInterval
    /// A running trial silent for this long belongs to a dead worker.
    public let heartbeatTimeout: TimeInterval
    /// Re-queue (true) or fail (false) the trials of dead workers.
    public let requeueStaleTrials: Bool

    /// `host:pid`: names this process as a worker in the storage.
    public static var defaultWorkerID: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// The study's direction.
    public var direction: StudyDirection { record.descriptor.direction }

    /// Creates the study in `storage`, or joins it if it exists with the same direction and space.
    public init(
        name: String, direction: StudyDirection, space: SearchSpace, sampler: any Sampler,
        pruner: any Pruner = NopPruner(), storage: any StudyStorage = InMemoryStudyStorage(),
        samplerSeed: UInt64 = 0, workerID: String = Study.defaultWorkerID,
        heartbeatInterval: TimeInterval = 5, heartbeatTimeout: TimeInterval = 60, requeueStaleTrials: Bool = true
    ) throws {
        self.storage = storage
        self.space = space
        self.sampler = sampler
        self.pruner = pruner
        self.workerID = workerID
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.requeueStaleTrials = requeueStaleTrials
        record = try storage.openStudy(StudyDescriptor(
            name: name, direction: direction, spaceFingerprint: space.fingerprint, samplerSeed: samplerSeed))
    }

    /// Every trial, by number.
    public func trials() throws -> [TrialRecord] { try storage.trials(studyID: record.id) }

    /// The complete trial with the best value.
    public func bestTrial() throws -> TrialRecord? {
        try storage.trials(studyID: record.id, states: [.complete]).filter { $0.value?.isFinite ?? false }
            .min { direction.minimizing($0.value!) < direction.minimizing($1.value!) }
    }

    /// Queues a trial with fixed parameters (config values by key path), run before sampled ones.
    public func enqueue(_ values: [String: ConfigValue]) throws {
        var params: [String: Double] = [:]
        for (name, value) in values {
            guard let parameter = space[name] else { continue }
            switch parameter.distribution {
            case let .categorical(choices): params[name] = choices.firstIndex(of: value).map(Double.init)
            default: params[name] = value.number
            }
        }
        try storage.enqueueTrial(studyID: record.id, params: params)
    }

    /// What happened to one trial this worker ran.
    public struct Outcome: Sendable {
        /// The trial as stored after it ended.
        public var number: Int
        /// complete, pruned or failed.
        public var state: TrialState
        /// The objective value (complete) or last intermediate value (pruned).
        public var value: Double?
        /// Why it failed.
        public var error: String?
        /// Its parameters as config values.
        public var values: [String: ConfigValue] = [:]
        /// Seconds the objective ran.
        public var seconds: Double = 0
    }

    /// Runs trials until the study holds `nTrials` finished trials, calling `objective` for each
    /// (returning once no trial runs anywhere, so a dead worker's re-queued trial is run too). A trial whose objective throws `TrialPruned` is pruned; one that throws anything
    /// else or returns NaN or infinity is failed with its error, and the study goes on.
    /// `onTrialEnd` sees each outcome (for progress output).
    @discardableResult
    public func optimize(
        nTrials: Int, onTrialEnd: (Outcome) -> Void = { _ in }, objective: (Trial) throws -> Double
    ) throws -> [Outcome] {
        var outcomes: [Outcome] = []
        while true {
            if let trial = try nextTrial(budget: nTrials) {
                let outcome = run(trial, objective: objective)
                outcomes.append(outcome)
                onTrialEnd(outcome)
                continue
            }
            // The budget is taken, but trials still run elsewhere: wait, since a worker that died
            // leaves its trial to be re-queued (after heartbeatTimeout) and run here.
            if try storage.trials(studyID: record.id, states: [.running]).isEmpty { break }
            Thread.sleep(forTimeInterval: min(heartbeatInterval, 1))
        }
        return outcomes
    }

    /// Claims the next trial (a re-queued one, or a new one with sampled parameters), or nil when
    /// the budget is used up. Stale trials of dead workers are recovered first.
    public func nextTrial(budget nTrials: Int) throws -> Trial? {
        try storage.recoverStaleTrials(studyID: record.id, timeout: heartbeatTimeout, requeue: requeueStaleTrials)
        let history = try trials()
        let used = history.filter { $0.state != .waiting }.count
        // Workers racing here may overshoot the budget by one trial each, as Optuna's do.
        guard used < nTrials else { return nil }
        var record = try storage.startTrial(studyID: self.record.id, workerID: workerID)
        let sampled = sampler.sample(space: space, trialNumber: record.number, history: history, direction: direction)
        // A queued trial keeps its fixed values; the sampler fills in any parameter it lacks.
        var params = record.params
        for parameter in space.parameters where params[parameter.name] == nil && space.isActive(parameter, given: params) {
            params[parameter.name] = sampled[parameter.name]
        }
        if params != record.params {
            try storage.setParams(trialID: record.id, params: params)
            record.params = params
        }
        return Trial(record: record, study: self)
    }

    /// Evaluates one claimed trial with heartbeats and records how it ended.
    public func run(_ trial: Trial, objective: (Trial) throws -> Double) -> Outcome {
        let start = Date()
        let heartbeat = HeartbeatThread(storage: storage, trialID: trial.id, workerID: workerID, interval: heartbeatInterval)
        var state = TrialState.complete, value: Double?, error: String?
        do {
            let result = try objective(trial)
            if result.isFinite {
                value = result
            } else {
                state = .failed
                error = "the objective returned \(result)"
            }
        } catch let pruned as TrialPruned {
            state = .pruned
            value = trial.intermediateValues.max { $0.key < $1.key }?.value
            error = nil
            _ = pruned   // its reason is the trial's state; the last value is what pruned it
        } catch let thrown {
            state = .failed
            error = "\(thrown)"
        }
        heartbeat.stop()
        do {
            try storage.finishTrial(trialID: trial.id, workerID: workerID, state: state, value: value, error: error)
        } catch let storageError {
            // Taken over after a stale heartbeat, or the database failed: the study goes on without this result.
            return Outcome(number: trial.number, state: .failed, value: nil, error: "not recorded: \(storageError)",
                           values: trial.values, seconds: Date().timeIntervalSince(start))
        }
        return Outcome(number: trial.number, state: state, value: value, error: error, values: trial.values,
                       seconds: Date().timeIntervalSince(start))
    }
}
