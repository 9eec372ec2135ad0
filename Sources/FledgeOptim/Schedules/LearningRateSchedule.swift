/// A rule that sets an optimizer's learning rates as training proceeds. An `LRScheduler` applies it
/// to an optimizer's groups, keeping each group's base rate as torch's `LRScheduler` does.
///
/// A schedule is a small Codable value: its configuration plus any mutable state (only
/// `ReduceOnPlateauSchedule` has some), so a checkpoint can store it whole.
public protocol LearningRateSchedule: Codable, Sendable {
    /// The rates of the groups after `step` scheduler steps (0 is the moment the scheduler is
    /// created), from each group's base rate, its current rate and, for metric-driven schedules,
    /// the metric passed to `LRScheduler.step(metric:)`.
    mutating func learningRates(atStep step: Int, baseRates: [Float], currentRates: [Float], metric: Float?) -> [Float]

    /// The momentum (SGD/RMSprop `momentum`, Adam `beta1`) at `step`, for schedules that cycle it; nil leaves it alone.
    func momentum(atStep step: Int) -> Float?

    /// True when steps need a metric (`step(metric:)`), as ReduceLROnPlateau does.
    var requiresMetric: Bool { get }

    /// Mutable state beyond the step count, by name (empty for closed-form schedules).
    var state: [String: Double] { get set }
}

extension LearningRateSchedule {
    public func momentum(atStep step: Int) -> Float? { nil }
    public var requiresMetric: Bool { false }
}

/// A schedule whose rate is a function of the step and the group's base rate alone. Rates are
/// computed in closed form in double (not by torch's chained multiplications), which agrees with
/// torch to rounding and cannot drift.
public protocol ClosedFormSchedule: LearningRateSchedule {
    /// The rate of a group with base rate `baseRate` after `step` scheduler steps.
    func learningRate(atStep step: Int, baseRate: Float) -> Float
}

extension ClosedFormSchedule {
    public mutating func learningRates(atStep step: Int, baseRates: [Float], currentRates: [Float], metric: Float?) -> [Float] {
        baseRates.map { learningRate(atStep: step, baseRate: $0) }
    }

    public var state: [String: Double] {
        get { [:] }
        set {}
    }
}

/// What an `LRScheduler` needs to continue after a restart; Codable for `trainer_state.json`.
public struct LRSchedulerState: Codable, Equatable, Sendable {
    /// Scheduler steps taken (torch's `last_epoch`).
    public var stepCount: Int
    /// Each group's base rate.
    public var baseRates: [Float]
    /// Each group's rate after the last step (torch's `get_last_lr()`).
    public var learningRates: [Float]
    /// The schedule's own mutable state (see `LearningRateSchedule.state`).
    public var scheduleState: [String: Double]

    /// Creates a state from its parts.
    public init(stepCount: Int, baseRates: [Float], learningRates: [Float], scheduleState: [String: Double]) {
        self.stepCount = stepCount
        self.baseRates = baseRates
        self.learningRates = learningRates
        self.scheduleState = scheduleState
    }
}

/// Why a scheduler state could not be loaded.
public enum LRSchedulerStateError: Error, Equatable, CustomStringConvertible {
    /// The state has rates for a different number of parameter groups than the optimizer.
    case groupCountMismatch(expected: Int, found: Int)
    /// A negative step count.
    case invalidStepCount(Int)

    public var description: String {
        switch self {
        case .groupCountMismatch(let expected, let found):
            "scheduler state has rates for \(found) parameter groups but the optimizer has \(expected)"
        case .invalidStepCount(let count):
            "scheduler state has step count \(count); it must be non-negative"
        }
    }
}
