extension MetricMode {
    /// True when `value` beats `reference` by more than `minDelta` (a NaN never does).
    public func isImprovement(_ value: Double, over reference: Double?, minDelta: Double = 0) -> Bool {
        guard value.isFinite else { return false }
        guard let reference else { return true }
        switch self {
        case .min: return value < reference - minDelta
        case .max: return value > reference + minDelta
        }
    }
}

/// Names of logged values: `train_loss`, `val_loss`, `val_<metric>`.
public enum Monitor {
    /// The logged name for a user's spelling: `accuracy` and `eval_accuracy` mean `val_accuracy`.
    public static func normalized(_ name: String) -> String {
        if name.hasPrefix("val_") || name.hasPrefix("train_") { return name }
        if name.hasPrefix("eval_") { return "val_" + name.dropFirst(5) }
        return "val_" + name
    }
}
