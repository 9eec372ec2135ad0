import FledgeTensor
import Foundation

/// Something that reacts to the phases of training (Lightning's `Callback`, Keras' callbacks).
///
/// Every hook has an empty default, so a callback implements only the phases it cares about.
/// Callbacks steer training through `trainer.state` (e.g. `shouldStop`) and may keep state in
/// checkpoints through `stateKey`, `stateDict()` and `loadState(_:)`.
///
/// Hooks fire in this order (see `hooksFireInDocumentedOrder` in the tests):
/// ```
/// onFitStart
///   onTrainEpochStart
///     onTrainBatchStart, [onBeforeOptimizerStep], [onValidationStart, onValidationEnd (eval_strategy: steps)], onTrainBatchEnd  — per batch
///   [onValidationStart, onValidationBatchEnd per batch, onValidationEnd (eval_strategy: epoch)]
///   onTrainEpochEnd
/// onFitEnd   (or onException when training fails)
/// ```
/// `onBeforeOptimizerStep` fires when a batch completes an accumulation cycle (and for a partial
/// cycle the epoch's end steps, before that epoch's validation).
/// A validation triggered by a step runs before that batch's `onTrainBatchEnd`, so a checkpoint
/// saved there already includes the validation's effect (early-stopping counters, plateau
/// schedules) and a resumed run repeats nothing. `onSaveCheckpoint` fires after each checkpoint
/// is written, from whichever hook asked for it.
public protocol Callback: AnyObject {
    /// Training is about to start (after any resume has restored state).
    func onFitStart(_ trainer: Trainer)
    /// An epoch begins (also the partially done epoch a resumed run continues).
    func onTrainEpochStart(_ trainer: Trainer)
    /// A batch is about to be trained on; `trainer.state.batchInEpoch` is its index.
    func onTrainBatchStart(_ trainer: Trainer)
    /// A batch has been trained on; `trainer.state.optimizerStepped` tells whether it ended an
    /// accumulation cycle and `trainer.state.lastLoss` holds its (unscaled) loss.
    func onTrainBatchEnd(_ trainer: Trainer)
    /// The gradients of an accumulation cycle are complete (and synchronised across data-parallel
    /// ranks) and the optimizer is about to step (Lightning's `on_before_optimizer_step`): before
    /// gradient clipping, weight decay and `optimizer.step()`. A callback may change gradients here,
    /// e.g. add a penalty's gradient (`L2SP`).
    func onBeforeOptimizerStep(_ trainer: Trainer)
    /// A validation pass begins.
    func onValidationStart(_ trainer: Trainer)
    /// A validation batch was measured: `scores` are the model's probabilities (classification)
    /// or values (regression), `targets` the labels as the metrics read them (see `TaskSpec`).
    func onValidationBatchEnd(_ trainer: Trainer, scores: Tensor, targets: Tensor)
    /// A validation pass ended with `metrics` (`val_loss`, `val_<metric>`).
    func onValidationEnd(_ trainer: Trainer, metrics: [String: Double])
    /// An epoch ended (after its validation and per-epoch schedule step).
    func onTrainEpochEnd(_ trainer: Trainer)
    /// A checkpoint was written to `directory`.
    func onSaveCheckpoint(_ trainer: Trainer, directory: URL)
    /// Training ended normally (including early stopping).
    func onFitEnd(_ trainer: Trainer)
    /// Training stopped with `error` (e.g. a non-finite loss); the error is rethrown afterwards.
    func onException(_ trainer: Trainer, error: Error)

    /// The key under which this callback's state is saved in checkpoints; nil for stateless ones.
    var stateKey: String? { get }
    /// The state to save in a checkpoint.
    func stateDict() -> [String: CallbackStateValue]
    /// Restores a state saved by `stateDict()`.
    func loadState(_ state: [String: CallbackStateValue]) throws
}

extension Callback {
    public func onFitStart(_ trainer: Trainer) {}
    public func onTrainEpochStart(_ trainer: Trainer) {}
    public func onTrainBatchStart(_ trainer: Trainer) {}
    public func onTrainBatchEnd(_ trainer: Trainer) {}
    public func onBeforeOptimizerStep(_ trainer: Trainer) {}
    public func onValidationStart(_ trainer: Trainer) {}
    public func onValidationBatchEnd(_ trainer: Trainer, scores: Tensor, targets: Tensor) {}
    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {}
    public func onTrainEpochEnd(_ trainer: Trainer) {}
    public func onSaveCheckpoint(_ trainer: Trainer, directory: URL) {}
    public func onFitEnd(_ trainer: Trainer) {}
    public func onException(_ trainer: Trainer, error: Error) {}
    public var stateKey: String? { nil }
    public func stateDict() -> [String: CallbackStateValue] { [:] }
    public func loadState(_ state: [String: CallbackStateValue]) throws {}
}
