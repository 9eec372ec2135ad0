import FledgeData
import FledgeNN
import FledgeOptim
import FledgeTensor

extension Trainer {
    /// True when the planned epochs or steps are done.
    var reachedEnd: Bool {
        if let maxEpochs = plan.maxEpochs, state.epoch >= maxEpochs { return true }
        return state.globalStep >= plan.maxSteps
    }

    /// Epochs of batches until the plan ends or a callback stops training.
    ///
    /// The position (`epoch`, `batchInEpoch`, `epochFinished`) is all a resumed run needs: the
    /// loader's order depends only on (seed, epoch), so it restarts at the same batch.
    func runLoop() throws {
        model.train()
        var loader: (epoch: Int, loader: DataLoader)?
        stepClock = StepClock()
        while true {
            if state.epochFinished {
                state.epoch += 1
                state.batchInEpoch = 0
                state.epochFinished = false
                state.epochLossSum = 0
                state.epochLossCount = 0
            }
            if reachedEnd { break }
            // Rows resampled per epoch (TrainingData.resampleTrain) are drawn as the epoch starts,
            // after the previous epoch's are let go (they can be as large as the training set).
            if loader?.epoch != state.epoch {
                loader = nil
                loader = (state.epoch, try trainLoader(epoch: state.epoch))
            }
            for callback in callbacks { callback.onTrainEpochStart(self) }
            if state.batchInEpoch < plan.trainBatches {
                for batch in loader!.loader.batches(epoch: state.epoch, startingAt: state.batchInEpoch) {
                    try trainBatch(batch)
                    agreeOnStop()
                    if state.shouldStop || state.globalStep >= plan.maxSteps || state.batchInEpoch >= plan.trainBatches {
                        break
                    }
                }
            }
            // Stopped inside the epoch: its end-of-epoch work is left for a resumed run.
            guard state.batchInEpoch >= plan.trainBatches else { break }
            try finishEpoch()
            agreeOnStop()
            if state.shouldStop { break }
        }
        // max_steps can end training between validations; measure the final weights once.
        if !state.shouldStop, lastValidatedStep != state.globalStep, plan.evalEachEpoch || plan.evalSteps != nil {
            _ = try validate()
        }
    }

    /// Forward, loss, backward (scaled for accumulation) and, at the end of an accumulation
    /// cycle, the optimizer step; then any step-triggered validation and logging.
    func trainBatch(_ batch: Batch) throws {
        state.optimizerStepped = false
        for callback in callbacks { callback.onTrainBatchStart(self) }
        guard let targets = batch.targets else {
            throw TrainerError.invalidSetup("the training rows have no labels; set data.label_column")
        }
        // A rank whose shard of a short last batch is empty only joins the collectives.
        let lossTensor = batch.count > 0 ? loss(model(batch.features), targets) : nil
        let (value, scale, globalRows) = globalLoss(local: lossTensor.map { Double($0.item) } ?? 0, rows: batch.count)
        state.lastLoss = value
        guard value.isFinite else {
            optimizer.zeroGradients()
            // The failing batch is logged (null in metrics.jsonl) so the history, the diagnosis and
            // the report show where the loss broke. It is the batch that would have completed step
            // globalStep + 1, which also keeps it out of a run resumed from a checkpoint at globalStep.
            state.logHistory.append(LogEntry(step: state.globalStep + 1, epoch: state.epoch + 1,
                                             learningRate: Double(optimizer.learningRate), values: ["train_loss": value]))
            throw TrainerError.nonFiniteLoss(value: value, step: state.globalStep, epoch: state.epoch,
                                             batch: state.batchInEpoch, lastCheckpoint: lastCheckpoint?.path)
        }
        // Scaling each batch's loss by 1/N makes N accumulated batches match one N-times-larger batch;
        // `scale` (1 for one process) weights this rank's share of the global batch.
        let factor = plan.accumulation > 1 ? scale * (1 / Float(plan.accumulation)) : scale
        if let lossTensor { (factor == 1 ? lossTensor : lossTensor * factor).backward() }
        accumulatedBatches += 1
        state.batchInEpoch += 1
        state.epochLossSum += value
        state.epochLossCount += 1
        windowLoss.sum += value
        windowLoss.count += 1
        stepClock.samples += globalRows
        if accumulatedBatches == plan.accumulation {
            optimizerStep()
            if let every = plan.evalSteps, state.globalStep % every == 0 { _ = try validate() }
            if state.globalStep % plan.logEvery == 0 { logTrainingWindow() }
        }
        for callback in callbacks { callback.onTrainBatchEnd(self) }
    }

    /// Clips, steps the optimizer and a per-step schedule, and clears the gradients.
    func optimizerStep() {
        synchronizeGradients()
        for callback in callbacks { callback.onBeforeOptimizerStep(self) }
        let training = config.training
        if let limit = training.gradientClipVal, limit > 0 {
            switch training.gradientClipAlgorithm {
            case .value: clipGradientsByValue(model.trainableParameters, limit: Float(limit))
            case .norm: clipGradientsByGlobalNorm(model.trainableParameters, maxNorm: Float(limit))
            }
        }
        // The decay kind the optimizer does not apply itself (L2 for AdamW, decoupled for the rest).
        WeightDecay.applyBeforeStep(optimizer, training: training)
        optimizer.step()
        optimizer.zeroGradients()
        accumulatedBatches = 0
        state.globalStep += 1
        state.optimizerStepped = true
        if let scheduler, schedulerInterval == .step, !scheduler.schedule.requiresMetric { scheduler.step() }
    }

    /// The end of an epoch: a last partial accumulation cycle steps, then validation, the
    /// per-epoch schedule, the epoch's log entry and `onTrainEpochEnd`.
    func finishEpoch() throws {
        if accumulatedBatches > 0 { optimizerStep() }
        var values = ["train_loss": state.epochTrainLoss]
        if plan.evalEachEpoch { values.merge(try validate(logging: false)) { $1 } }
        if let scheduler, schedulerInterval == .epoch, !scheduler.schedule.requiresMetric { scheduler.step() }
        log(values)
        state.epochFinished = true
        for callback in callbacks { callback.onTrainEpochEnd(self) }
    }

    /// Logs the mean training loss since the last training log entry and the throughput.
    func logTrainingWindow() {
        guard windowLoss.count > 0 else { return }
        log(["train_loss": windowLoss.sum / Double(windowLoss.count), "samples_per_second": stepClock.lap()])
        windowLoss = (0, 0)
    }

    /// Appends a log entry at the current step with `values` and any values callbacks added.
    func log(_ values: [String: Double]) {
        var merged = state.pendingLogValues
        merged.merge(values) { $1 }
        state.pendingLogValues = [:]
        state.logHistory.append(LogEntry(step: state.globalStep, epoch: state.epoch + 1,
                                         learningRate: Double(optimizer.learningRate), values: merged))
    }
}
