import Foundation

/// The 1cycle policy (Smith & Topin), as `torch.optim.lr_scheduler.OneCycleLR`: the rate climbs
/// from `maximumRate / divFactor` to `maximumRate` over the first `pctStart` of `totalSteps`, then
/// anneals to `maximumRate / divFactor / finalDivFactor` at step `totalSteps - 1`.
///
/// Momentum cycling (inversely to the rate, between `momentumRange.base` and `.max`) is off unless
/// `momentumRange` is given — torch turns it on by default; pass `.init(base: 0.85, max: 0.95)`
/// for the same behaviour. It sets SGD/RMSprop `momentum` or Adam `beta1`.
public struct OneCycleSchedule: ClosedFormSchedule, Equatable {
    /// How the rate moves within a phase.
    public enum Annealing: String, Codable, Sendable { case cosine, linear }

    /// The momentum bounds of the cycle.
    public struct MomentumRange: Codable, Equatable, Sendable {
        /// The momentum at the peak rate.
        public var base: Float
        /// The momentum at the start and end.
        public var max: Float
        /// Creates a range.
        public init(base: Float, max: Float) { self.base = base; self.max = max }
    }

    /// The peak rate, or nil to use each group's base rate as its peak (torch's `max_lr`).
    public var maximumRate: Float?
    /// Steps in the cycle; stepping past `totalSteps` is an error, as in torch.
    public var totalSteps: Int
    /// Fraction of the cycle spent increasing the rate.
    public var pctStart: Double
    /// Cosine or linear annealing.
    public var annealing: Annealing
    /// The starting rate is `maximumRate / divFactor`.
    public var divFactor: Double
    /// The final rate is the starting rate divided by this.
    public var finalDivFactor: Double
    /// Use torch's three-phase variant (up, back down to the start, then to the final rate).
    public var threePhase: Bool
    /// Momentum bounds, or nil to leave momentum alone.
    public var momentumRange: MomentumRange?

    /// Creates a one-cycle schedule.
    public init(
        maximumRate: Float? = nil, totalSteps: Int, pctStart: Double = 0.3, annealing: Annealing = .cosine,
        divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false,
        momentumRange: MomentumRange? = nil
    ) {
        precondition(totalSteps > 0, "OneCycleSchedule: totalSteps \(totalSteps) must be positive")
        precondition(pctStart > 0 && pctStart < 1, "OneCycleSchedule: pctStart \(pctStart) must lie in (0, 1)")
        self.maximumRate = maximumRate
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.annealing = annealing
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.threePhase = threePhase
        self.momentumRange = momentumRange
    }

    public func learningRate(atStep step: Int, baseRate: Float) -> Float {
        let peak = Double(maximumRate ?? baseRate)
        let initial = peak / divFactor
        let final = initial / finalDivFactor
        return Float(interpolate(step, [initial, peak, initial, final], [initial, peak, final]))
    }

    public func momentum(atStep step: Int) -> Float? {
        guard let range = momentumRange else { return nil }
        let low = Double(range.base), high = Double(range.max)
        return Float(interpolate(step, [high, low, high, high], [high, low, high]))
    }

    /// Anneals between the values at the phase boundaries: `threeValues` (start, peak, back,
    /// final) for three phases or `twoValues` (start, peak, final) for two.
    private func interpolate(_ step: Int, _ threeValues: [Double], _ twoValues: [Double]) -> Double {
        precondition(step <= totalSteps,
                     "OneCycleSchedule: step \(step) is past totalSteps \(totalSteps); increase totalSteps")
        let rise = pctStart * Double(totalSteps)
        let ends = threePhase ? [rise - 1, 2 * rise - 2, Double(totalSteps - 1)] : [rise - 1, Double(totalSteps - 1)]
        let values = threePhase ? threeValues : twoValues
        var start = 0.0
        for (phase, end) in ends.enumerated() {
            if Double(step) <= end || phase == ends.count - 1 {
                let fraction = (Double(step) - start) / (end - start)
                return anneal(from: values[phase], to: values[phase + 1], fraction: fraction)
            }
            start = end
        }
        preconditionFailure("unreachable")
    }

    private func anneal(from start: Double, to end: Double, fraction: Double) -> Double {
        switch annealing {
        case .cosine: end + (start - end) / 2 * (cos(Double.pi * fraction) + 1)
        case .linear: (end - start) * fraction + start
        }
    }
}
