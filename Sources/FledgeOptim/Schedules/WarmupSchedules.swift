import Foundation

/// Linear warmup from 0 to the base rate over `warmupSteps`, then linear decay to 0 at
/// `totalSteps` (Hugging Face `get_linear_schedule_with_warmup`).
public struct LinearWarmupSchedule: ClosedFormSchedule, Equatable {
    /// Steps of the warmup.
    public var warmupSteps: Int
    /// The step at which the rate reaches 0.
    public var totalSteps: Int

    /// Creates a linear warmup-then-decay schedule.
    public init(warmupSteps: Int, totalSteps: Int) {
        checkWarmup(warmupSteps, totalSteps, "LinearWarmupSchedule")
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        warmupRate(step: step, warmupSteps: warmupSteps, totalSteps: totalSteps, baseRate: baseRate) { 1 - $0 }
    }
}

/// Linear warmup from 0 to the base rate over `warmupSteps`, then a cosine down to 0 at
/// `totalSteps` (Hugging Face `get_cosine_schedule_with_warmup`; `cycles` = `num_cycles`,
/// 0.5 is a single half-cosine).
public struct CosineWarmupSchedule: ClosedFormSchedule, Equatable {
    /// Steps of the warmup.
    public var warmupSteps: Int
    /// The step at which the half-cosine ends.
    public var totalSteps: Int
    /// Number of cosine periods after the warmup (0.5 goes from the base rate to 0 once).
    public var cycles: Double

    /// Creates a linear warmup-then-cosine schedule.
    public init(warmupSteps: Int, totalSteps: Int, cycles: Double = 0.5) {
        checkWarmup(warmupSteps, totalSteps, "CosineWarmupSchedule")
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.cycles = cycles
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        warmupRate(step: step, warmupSteps: warmupSteps, totalSteps: totalSteps, baseRate: baseRate) { progress in
            0.5 * (1 + cos(Double.pi * cycles * 2 * progress))
        }
    }
}

/// The Hugging Face warmup rule: the base rate times `step / warmupSteps` during the warmup, then
/// times `max(0, decay(progress))` where progress runs from 0 after the warmup to 1 at `totalSteps`.
func warmupRate(
    step: Int, warmupSteps: Int, totalSteps: Int, baseRate: Float, decay: (Double) -> Double
) -> Float {
    let factor: Double
    if step < warmupSteps {
        factor = Double(step) / Double(Swift.max(1, warmupSteps))
    } else {
        let progress = Double(step - warmupSteps) / Double(Swift.max(1, totalSteps - warmupSteps))
        factor = Swift.max(0, decay(progress))
    }
    return Float(Double(baseRate) * factor)
}

func checkWarmup(_ warmupSteps: Int, _ totalSteps: Int, _ type: String) {
    precondition(warmupSteps >= 0 && totalSteps >= warmupSteps,
                 "\(type): need 0 <= warmupSteps (\(warmupSteps)) <= totalSteps (\(totalSteps))")
}
