/// Whether a study looks for the smallest or the largest objective value.
public enum StudyDirection: String, Codable, Sendable, CaseIterable {
    /// Smaller is better (a loss).
    case minimize
    /// Larger is better (accuracy, AUROC).
    case maximize

    /// Whether `a` is strictly better than `b` in this direction.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .minimize ? a < b : a > b
    }

    /// The value turned so that smaller is always better (what samplers and pruners work with).
    public func minimizing(_ value: Double) -> Double { self == .minimize ? value : -value }
}
