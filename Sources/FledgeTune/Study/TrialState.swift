/// Where a trial is in its life. Stored as its raw text, so SQLite and PostgreSQL studies read alike.
public enum TrialState: String, Codable, Sendable, CaseIterable {
    /// A worker is training it (a trial left running by a killed worker is detected by its stale heartbeat).
    case running
    /// Finished with an objective value.
    case complete
    /// Stopped early by a pruner; its intermediate values stay in the study.
    case pruned
    /// Threw, produced NaN, or its worker died; the error text is kept.
    case failed
    /// Queued with fixed parameters, waiting for a worker: a re-queued trial whose worker died, or one
    /// the user enqueued. The next worker to ask for a trial claims it before a new one is created.
    case waiting

    /// Whether the trial has ended (complete, pruned or failed); these count towards a study's budget.
    public var isFinished: Bool { self == .complete || self == .pruned || self == .failed }
}
