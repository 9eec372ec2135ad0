/// Whether a monitored metric improves by going down (`min`, losses) or up (`max`, accuracy).
public enum MonitorMode: String, Codable, Sendable {
    case min, max

    /// True when `value` beats `reference` by more than `minDelta`.
    public func isImprovement(_ value: Double, over reference: Double?, minDelta: Double = 0) -> Bool {
        guard value.isFinite else { return false }
        guard let reference else { return true }
        switch self {
        case .min: return value < reference - minDelta
        case .max: return value > reference + minDelta
        }
    }

    /// The default mode for a monitored name: `max` for metrics where higher is better.
    public static func defaultMode(for monitor: String) -> MonitorMode {
        let metric = Monitor.metricName(monitor)
        let lowerIsBetter = ["loss", "log_loss", "mse", "rmse", "mae"]
        return lowerIsBetter.contains(metric) ? .min : .max
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

    /// The metric part of a logged name (`val_accuracy` → `accuracy`).
    public static func metricName(_ name: String) -> String {
        let normalized = normalized(name)
        return String(normalized.drop { $0 != "_" }.dropFirst())
    }
}
