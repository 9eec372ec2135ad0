/// Divides the rate by `1 / factor` when a metric has stopped improving for `patience` steps
/// (`torch.optim.lr_scheduler.ReduceLROnPlateau`). Step it with `LRScheduler.step(metric:)`.
public struct ReduceOnPlateauSchedule: LearningRateSchedule, Equatable {
    /// Whether lower (`min`, a loss) or higher (`max`, an accuracy) metrics are better.
    public enum Mode: String, Codable, Sendable { case min, max }
    /// Whether `threshold` is relative to the best value or absolute.
    public enum ThresholdMode: String, Codable, Sendable { case relative = "rel", absolute = "abs" }

    /// Whether lower or higher metrics are better.
    public var mode: Mode
    /// Factor the rate is multiplied by on a plateau (< 1).
    public var factor: Float
    /// Steps without improvement tolerated before reducing.
    public var patience: Int
    /// The least change that counts as an improvement.
    public var threshold: Double
    /// How `threshold` is applied.
    public var thresholdMode: ThresholdMode
    /// Steps to wait after a reduction before counting bad steps again.
    public var cooldown: Int
    /// Rates never go below this.
    public var minimumRate: Float
    /// Reductions smaller than this are skipped.
    public var epsilon: Float

    /// The best metric so far, nil before the first.
    public private(set) var best: Double?
    /// Consecutive steps without improvement.
    public private(set) var badSteps = 0
    /// Steps of cooldown left.
    public private(set) var cooldownLeft = 0

    /// Creates a plateau schedule with torch's defaults.
    public init(
        mode: Mode = .min, factor: Float = 0.1, patience: Int = 10, threshold: Double = 1e-4,
        thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minimumRate: Float = 0, epsilon: Float = 1e-8
    ) {
        precondition(factor < 1, "ReduceOnPlateauSchedule: factor \(factor) must be below 1")
        precondition(patience >= 0 && cooldown >= 0, "ReduceOnPlateauSchedule: patience and cooldown must be non-negative")
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimumRate = minimumRate
        self.epsilon = epsilon
    }

    public var requiresMetric: Bool { true }

    public mutating func learningRates(atStep step: Int, baseRates: [Float], currentRates: [Float], metric: Float?) -> [Float] {
        guard let metric else { return currentRates } // creation (step 0) leaves the rates alone
        let current = Double(metric)
        if isImprovement(current) {
            best = current
            badSteps = 0
        } else {
            badSteps += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badSteps = 0
        }
        guard badSteps > patience else { return currentRates }
        cooldownLeft = cooldown
        badSteps = 0
        return currentRates.map { old in
            let new = Swift.max(Float(Double(old) * Double(factor)), minimumRate)
            return old - new > epsilon ? new : old
        }
    }

    private func isImprovement(_ value: Double) -> Bool {
        guard let best else { return !value.isNaN }
        switch (mode, thresholdMode) {
        case (.min, .relative): return value < best * (1 - threshold)
        case (.min, .absolute): return value < best - threshold
        case (.max, .relative): return value > best * (1 + threshold)
        case (.max, .absolute): return value > best + threshold
        }
    }

    public var state: [String: Double] {
        get {
            var result = ["bad_steps": Double(badSteps), "cooldown_left": Double(cooldownLeft)]
            if let best { result["best"] = best }
            return result
        }
        set {
            best = newValue["best"]
            badSteps = Int(newValue["bad_steps"] ?? 0)
            cooldownLeft = Int(newValue["cooldown_left"] ?? 0)
        }
    }
}
