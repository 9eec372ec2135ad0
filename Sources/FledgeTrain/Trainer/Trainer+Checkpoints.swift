import FledgeNN
import FledgeOptim
import Foundation

extension Trainer {
    /// Everything besides tensors that a resumed run needs, as of now.
    public func checkpointState(weightsOnly: Bool = false) -> CheckpointState {
        var callbackStates: [String: [String: CallbackStateValue]] = [:]
        for callback in callbacks {
            if let key = callback.stateKey { callbackStates[key] = callback.stateDict() }
        }
        return CheckpointState(
            globalStep: state.globalStep, epoch: state.epoch, batchInEpoch: state.batchInEpoch,
            epochFinished: state.epochFinished, scheduler: scheduler?.state, generators: model.generatorStates,
            bestMetric: state.bestMetric, monitor: state.monitor, bestCheckpoint: state.bestCheckpoint,
            epochLossSum: state.epochLossSum, epochLossCount: state.epochLossCount,
            callbacks: callbackStates, weightsOnly: weightsOnly, dataOrder: dataOrder)
    }

    /// What the order of training batches depends on, compared when resuming.
    var dataOrder: String {
        let training = config.training
        return "rows=\(trainingDataset.count), batch_size=\(training.batchSize), seed=\(config.experiment.seed), "
            + "batches_per_epoch=\(plan.trainBatches), shuffle=\(training.shuffle), drop_last=\(training.dropLast)"
    }

    /// Writes checkpoint `name` into the run's `checkpoints/` (atomically) and calls
    /// `onSaveCheckpoint`; returns its directory, or nil when the run writes no files
    /// (fast_dev_run). Call it between optimizer steps (callbacks do, from their hooks); a full
    /// checkpoint also becomes `last`.
    @discardableResult
    public func saveCheckpoint(named name: String, weightsOnly: Bool = false) throws -> URL? {
        guard plan.writesFiles, let runDirectory else { return nil }
        precondition(accumulatedBatches == 0,
                     "Trainer.saveCheckpoint: called inside a gradient accumulation cycle; save after an optimizer step")
        let directory = runDirectory.checkpointsDirectory.appendingPathComponent(name)
        try Checkpoint.write(to: directory, model: model, optimizer: optimizer,
                             state: checkpointState(weightsOnly: weightsOnly),
                             configYAML: config.resolvedYAML(), updateLastPointer: !weightsOnly)
        if !weightsOnly { lastCheckpoint = directory }
        for callback in callbacks { callback.onSaveCheckpoint(self, directory: directory) }
        return directory
    }

    /// True between optimizer steps, when a checkpoint captures the whole training state.
    public var canCheckpoint: Bool { accumulatedBatches == 0 && plan.writesFiles }

    /// Restores model, optimizer, scheduler, generators, position and callback states from the
    /// checkpoint `reference` names (`"last"` or a directory).
    func resume(from reference: String) throws {
        guard let runDirectory else {
            throw TrainerError.invalidSetup("training.fast_dev_run writes no checkpoints and cannot resume; turn it off to resume")
        }
        let url = try Checkpoint.resolve(reference, checkpointsDirectory: runDirectory.checkpointsDirectory)
        let checkpoint = try Checkpoint.read(from: url)
        let saved = checkpoint.state
        if let order = saved.dataOrder, order != dataOrder {
            throw CheckpointError.incompatible(
                checkpoint: url.path, file: Checkpoint.stateFile,
                reason: "it was trained on data in another order (\(order); now \(dataOrder)); resume with the same data, training.batch_size, limits and experiment.seed")
        }
        try checkpoint.restore(model: model, optimizer: optimizer)
        switch (scheduler, saved.scheduler) {
        case (let scheduler?, let schedulerState?): try scheduler.load(schedulerState)
        case (nil, nil): break
        default:
            throw CheckpointError.incompatible(checkpoint: url.path, file: Checkpoint.stateFile,
                                              reason: "the checkpoint and the config disagree on having a training.scheduler")
        }
        let monitor = state.monitor, mode = state.monitorMode
        state = TrainerState()
        state.monitor = monitor
        state.monitorMode = mode
        applyPlanToState()
        state.globalStep = saved.globalStep
        state.epoch = saved.epoch
        state.batchInEpoch = saved.batchInEpoch
        state.epochFinished = saved.epochFinished
        state.bestMetric = saved.monitor == monitor ? saved.bestMetric : nil
        state.bestCheckpoint = saved.bestCheckpoint
        state.epochLossSum = saved.epochLossSum
        state.epochLossCount = saved.epochLossCount
        accumulatedBatches = 0
        lastValidatedStep = nil
        for callback in callbacks {
            if let key = callback.stateKey, let callbackState = saved.callbacks[key] { try callback.loadState(callbackState) }
        }
        lastCheckpoint = url
    }
}
