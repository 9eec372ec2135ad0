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
}
