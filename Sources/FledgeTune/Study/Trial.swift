import Foundation
import FledgeTrain
import Synchronization

/// Thrown by an objective (or by `Trial.report` users) to end a trial as pruned, as Optuna's `TrialPruned`.
public struct TrialPruned: Error, CustomStringConvertible {
    /// Why (e.g. the pruner's verdict and the step).
    public var reason: String
    /// A pruned-trial signal.
    public init(_ reason: String = "pruned") { self.reason = reason }
    public var description: String { reason }
}

/// The trial an objective evaluates: its sampled parameters, and where to report intermediate values.
public final class Trial: Sendable {
    /// The trial's number in its study.
    public let number: Int
    /// The stored id.
    public let id: Int64
    /// Stored parameter values (choice indices for categorical parameters).
    public let params: [String: Double]
    /// The parameters as config values, by config key path.
    public let values: [String: ConfigValue]
    /// The parameters as `key.path=value` overrides, for `FledgeConfig.load(path:overrides:)`.
    public let overrides: [String]
    private let study: Study
    private let reported = Mutex<[Int: Double]>([:])

    init(record: TrialRecord, study: Study) {
        number = record.number
        id = record.id
        params = record.params
        values = study.space.configValues(record.params)
        overrides = study.space.overrides(record.params)
        self.study = study
    }

    /// A numeric parameter (a categorical one gives its choice when that is a number).
    public func double(_ name: String) -> Double? { values[name]?.number }

    /// The intermediate values reported so far, by step.
    public var intermediateValues: [Int: Double] { reported.withLock { $0 } }

    /// Records the monitored value at `step` in the study (pruners compare trials on these).
    public func report(_ value: Double, step: Int) throws {
        reported.withLock { $0[step] = value }
        if !value.isNaN { try study.storage.reportIntermediateValue(trialID: id, step: step, value: value) }
    }

    /// Whether the study's pruner says this trial should stop now, judged on its last report.
    public func shouldPrune() throws -> Bool {
        let values = intermediateValues
        guard let step = values.keys.max() else { return false }
        let history = try study.storage.trials(studyID: study.record.id).filter { $0.id != id }
        var me = TrialRecord(id: id, number: number, state: .running, params: params, createdAt: Date())
        me.intermediateValues = values
        return study.pruner.shouldPrune(trial: me, step: step, history: history, direction: study.direction)
    }
}

/// Keeps a trial's heartbeat fresh from a background thread while its objective runs.
final class HeartbeatThread: Sendable {
    private let box = Box()
    private final class Box: Sendable {
        let wake = DispatchSemaphore(value: 0)   // signalled once, by stop()
        let done = DispatchSemaphore(value: 0)
    }

    /// Starts beating every `interval` seconds for `trialID` of `workerID`.
    init(storage: any StudyStorage, trialID: Int64, workerID: String, interval: TimeInterval) {
        let thread = Thread { [box] in
            // Sleeps until the next beat is due; stop() wakes it at once.
            while box.wake.wait(timeout: .now() + interval) == .timedOut {
                // A failed beat (busy database, trial taken over) is not fatal: finishing will tell.
                try? storage.heartbeat(trialID: trialID, workerID: workerID)
            }
            box.done.signal()
        }
        thread.start()
    }

    /// Stops beating and waits for the thread to end.
    func stop() {
        box.wake.signal()
        box.done.wait()
    }
}
