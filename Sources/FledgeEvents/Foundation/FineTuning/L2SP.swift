import FledgeNN
import FledgeOptim
import FledgeTrain

/// L2-SP (Li, Grandvalet & Davoine, "Explicit Inductive Bias for Transfer Learning with
/// Convolutional Networks", ICML 2018): weight decay toward the pretrained weights instead of
/// toward zero, so a few labels can adapt the backbone without forgetting what pretraining found
/// (`fine_tuning.l2sp_strength`).
///
/// Before every optimizer step it adds `strength · (w − w₀)` to the gradient of each trainable
/// parameter matching `pattern` (default `backbone.*`), `w₀` being its value when the callback was
/// made: the gradient of the penalty `strength / 2 · ‖w − w₀‖²`. The penalty joins the gradient like
/// a loss term (before clipping and the optimizer's own weight decay, which still applies); it is
/// not part of the reported losses. Frozen parameters (a warm start) get no gradient and no penalty.
public final class L2SP: Callback {
    /// The penalty's coefficient α.
    public let strength: Float
    /// The `NamePattern` of the parameters pulled toward their starting values.
    public let pattern: String
    /// The starting values, by parameter name.
    private let reference: [String: [Float]]

    /// Records the current values of `model`'s parameters matching `pattern` as the reference.
    public init(model: any Layer, strength: Double, pattern: String = FoundationNetwork.backbonePattern) {
        precondition(strength >= 0 && strength.isFinite, "L2SP: strength must be finite and 0 or more, got \(strength)")
        self.strength = Float(strength)
        self.pattern = pattern
        let names = NamePattern(pattern)
        var reference: [String: [Float]] = [:]
        for (name, parameter) in model.namedParameters where names.matches(name) {
            reference[name] = parameter.value.scalars
        }
        self.reference = reference
    }

    /// How many parameters are pulled toward their starting values.
    public var parameterCount: Int { reference.count }

    public func onBeforeOptimizerStep(_ trainer: Trainer) {
        guard strength > 0 else { return }
        let strength = self.strength
        for (name, parameter) in trainer.model.namedParameters where parameter.isTrainable && parameter.grad != nil {
            guard let start = reference[name] else { continue }
            let weights = parameter.value.storage.base
            rewriteGradient(of: parameter) { gradient in
                for i in gradient.indices { gradient[i] += strength * (weights[i] - start[i]) }
            }
        }
    }
}
