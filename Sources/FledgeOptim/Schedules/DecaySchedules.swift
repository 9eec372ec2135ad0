import Foundation

/// Keeps every group at its base rate, optionally after a linear warmup from 0 over
/// `warmupSteps` (Hugging Face `get_constant_schedule_with_warmup`).
public struct ConstantSchedule: ClosedFormSchedule, Equatable {
    /// Steps over which the rate rises linearly from 0 to the base rate.
    public var warmupSteps: Int

    /// Creates a constant schedule.
    public init(warmupSteps: Int = 0) {
        precondition(warmupSteps >= 0, "ConstantSchedule: warmupSteps \(warmupSteps) is negative")
        self.warmupSteps = warmupSteps
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        warmupRate(step: step, warmupSteps: warmupSteps, totalSteps: warmupSteps, baseRate: baseRate) { _ in 1 }
    }
}

/// Multiplies the rate by `gamma` every `stepSize` steps (`torch.optim.lr_scheduler.StepLR`).
public struct StepSchedule: ClosedFormSchedule, Equatable {
    /// Steps between two decays.
    public var stepSize: Int
    /// Factor applied at each decay.
    public var gamma: Double

    /// Creates a step decay.
    public init(stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "StepSchedule: stepSize \(stepSize) must be positive")
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        Float(Double(baseRate) * pow(gamma, Double(step / stepSize)))
    }
}

/// Multiplies the rate by `gamma` at each milestone step (`torch.optim.lr_scheduler.MultiStepLR`;
/// a milestone listed twice decays twice, as there).
public struct MultiStepSchedule: ClosedFormSchedule, Equatable {
    /// Steps at which the rate decays, ascending.
    public var milestones: [Int]
    /// Factor applied at each milestone.
    public var gamma: Double

    /// Creates a multi-step decay; milestones are sorted.
    public init(milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.sorted()
        self.gamma = gamma
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        let passed = milestones.prefix { $0 <= step }.count
        return Float(Double(baseRate) * pow(gamma, Double(passed)))
    }
}

/// Multiplies the rate by `gamma` every step (`torch.optim.lr_scheduler.ExponentialLR`).
public struct ExponentialSchedule: ClosedFormSchedule, Equatable {
    /// Factor applied each step.
    public var gamma: Double

    /// Creates an exponential decay.
    public init(gamma: Double) { self.gamma = gamma }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        Float(Double(baseRate) * pow(gamma, Double(step)))
    }
}

/// Cosine from the base rate down to `minimumRate` over `maximumSteps` steps, continuing as a
/// cosine wave afterwards (`torch.optim.lr_scheduler.CosineAnnealingLR`, `T_max`, `eta_min`).
public struct CosineAnnealingSchedule: ClosedFormSchedule, Equatable {
    /// Steps from the base rate to the minimum (`T_max`).
    public var maximumSteps: Int
    /// The lowest rate (`eta_min`).
    public var minimumRate: Float

    /// Creates a cosine annealing schedule.
    public init(maximumSteps: Int, minimumRate: Float = 0) {
        precondition(maximumSteps > 0, "CosineAnnealingSchedule: maximumSteps \(maximumSteps) must be positive")
        self.maximumSteps = maximumSteps
        self.minimumRate = minimumRate
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        let minimum = Double(minimumRate)
        let phase = Double.pi * Double(step) / Double(maximumSteps)
        return Float(minimum + (Double(baseRate) - minimum) * (1 + cos(phase)) / 2)
    }
}
