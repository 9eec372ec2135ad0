import Foundation

/// What identifies a study: its name plus the settings every worker joining it must share.
public struct StudyDescriptor: Sendable, Equatable, Codable {
    /// The study's unique name within its storage.
    public var name: String
    /// Whether the objective is minimised or maximised.
    public var direction: StudyDirection
    /// A digest of the search space; a worker with a different space may not join (see `SearchSpace.fingerprint`).
    public var spaceFingerprint: String
    /// The sampler seed; each trial's random numbers derive from it and the trial number.
    public var samplerSeed: UInt64

    /// Describes a study.
    public init(name: String, direction: StudyDirection, spaceFingerprint: String, samplerSeed: UInt64) {
        self.name = name
        self.direction = direction
        self.spaceFingerprint = spaceFingerprint
        self.samplerSeed = samplerSeed
    }
}

/// A study as stored: its descriptor plus the storage's identifier.
public struct StudyRecord: Sendable, Equatable {
    /// The storage's key for the study (used by every trial call).
    public var id: Int64
    /// The settings the study was created with.
    public var descriptor: StudyDescriptor
    /// When the study was created.
    public var createdAt: Date

    /// A stored study.
    public init(id: Int64, descriptor: StudyDescriptor, createdAt: Date) {
        self.id = id
        self.descriptor = descriptor
        self.createdAt = createdAt
    }
}

/// One trial as stored.
///
/// Parameters are kept in their internal form, one `Double` each: a float or int parameter's value,
/// a categorical parameter's choice index. `SearchSpace` turns them back into config values.
public struct TrialRecord: Sendable, Equatable {
    /// The storage's key for the trial.
    public var id: Int64
    /// The trial's number within its study: 0, 1, 2, ... allocated by the storage without gaps.
    public var number: Int
    /// Where the trial is in its life.
    public var state: TrialState
    /// Parameter name (a config key path) to internal value.
    public var params: [String: Double]
    /// Step (a training step at which validation ran) to the monitored value reported there.
    public var intermediateValues: [Int: Double]
    /// The objective value of a complete trial (for a pruned trial, its last intermediate value).
    public var value: Double?
    /// Why the trial failed (or was re-queued).
    public var error: String?
    /// Which worker runs or ran it (`host:pid`).
    public var workerID: String?
    /// When the trial was created.
    public var createdAt: Date
    /// When a worker last claimed it.
    public var startedAt: Date?
    /// When it reached complete, pruned or failed.
    public var finishedAt: Date?
    /// The last sign of life from its worker.
    public var heartbeatAt: Date?

    /// A stored trial.
    public init(
        id: Int64, number: Int, state: TrialState, params: [String: Double] = [:],
        intermediateValues: [Int: Double] = [:], value: Double? = nil, error: String? = nil,
        workerID: String? = nil, createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil,
        heartbeatAt: Date? = nil
    ) {
        self.id = id
        self.number = number
        self.state = state
        self.params = params
        self.intermediateValues = intermediateValues
        self.value = value
        self.error = error
        self.workerID = workerID
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt
    }

    /// How long the trial ran (nil while it runs).
    public var duration: TimeInterval? {
        guard let startedAt, let finishedAt else { return nil }
        return finishedAt.timeIntervalSince(startedAt)
    }
}
