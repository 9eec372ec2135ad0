import FledgeNN
import FledgeTrain

/// Trains only the new head for the first `steps` optimizer steps, then the whole network
/// (`fine_tuning.warm_start_steps`): the parameters matching `frozen` (default `backbone`, i.e.
/// `backbone.*`) are frozen (`Parameter.isTrainable = false`) while `trainer.state.globalStep <
/// steps`, and trainable again from then on.
///
/// Frozen parameters get no gradient, so the optimizer skips them and creates no state for them
/// (Adam's moments and step count start at the first update after unfreezing, as in PyTorch when
/// a parameter has no gradient); weight decay and gradient clipping see only trainable parameters.
/// The switch is checked before every batch, so it happens at an accumulation-cycle boundary and
/// a run resumed from a checkpoint freezes exactly as the original did.
public final class WarmStart: Callback {
    /// Optimizer steps with the backbone frozen.
    public let steps: Int
    /// The wildcard pattern of the frozen parameters.
    public let frozen: String
    private var isFrozen: Bool?

    /// A callback freezing `frozen` for the first `steps` steps.
    public init(steps: Int, frozen: String = FoundationNetwork.backbonePattern) {
        precondition(steps >= 0, "WarmStart: steps must be 0 or more, got \(steps)")
        self.steps = steps
        self.frozen = frozen
    }

    public func onFitStart(_ trainer: Trainer) { update(trainer) }
    public func onTrainBatchStart(_ trainer: Trainer) { update(trainer) }

    /// Everything trains again when training ends, whatever the step (the saved model is whole).
    public func onFitEnd(_ trainer: Trainer) { set(trainer.model, frozen: false) }
    public func onException(_ trainer: Trainer, error: Error) { set(trainer.model, frozen: false) }

    private func update(_ trainer: Trainer) {
        set(trainer.model, frozen: trainer.state.globalStep < steps)
    }

    private func set(_ model: any Layer, frozen shouldFreeze: Bool) {
        guard isFrozen != shouldFreeze else { return }
        isFrozen = shouldFreeze
        if shouldFreeze { model.freeze(matching: frozen) } else { model.unfreeze(matching: frozen) }
    }
}
