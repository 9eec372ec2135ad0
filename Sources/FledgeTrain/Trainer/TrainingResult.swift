import Foundation

/// What `fit` returns: where training ended and what it achieved.
public struct TrainingResult: Sendable {
    /// Optimizer steps taken.
    public var globalStep: Int
    /// Epochs completed (a partial last epoch counts).
    public var epochs: Int
    /// The best monitored value and its name.
    public var bestMetric: Double?
    /// The monitored value's name.
    public var monitor: String
    /// The metrics of the last validation.
    public var validationMetrics: [String: Double]
    /// Why training stopped before its planned end, if it did.
    public var stopReason: String?
    /// The run directory (nil for fast_dev_run).
    public var runDirectory: URL?
    /// The best checkpoint, if one was saved.
    public var bestCheckpoint: String?
}
