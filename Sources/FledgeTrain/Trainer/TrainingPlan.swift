/// The numbers the training loop follows, resolved from the config and the data sizes:
/// limits turned into batch counts, `fast_dev_run` and `overfit_batches` applied.
struct TrainingPlan: Equatable {
    /// Epochs to run, or nil when only `maxSteps` bounds training.
    var maxEpochs: Int?
    /// Optimizer steps to run at most.
    var maxSteps: Int
    /// Training batches per epoch (after `limit_train_batches`).
    var trainBatches: Int
    /// Validation batches per validation (after `limit_val_batches`).
    var validationBatches: Int
    /// Batches whose gradients are summed before one optimizer step.
    var accumulation: Int
    /// Validate every `evalSteps` optimizer steps (eval_strategy: steps), or nil.
    var evalSteps: Int?
    /// Validate at each epoch end.
    var evalEachEpoch: Bool
    /// Log the training loss every this many optimizer steps.
    var logEvery: Int
    /// False for fast_dev_run: no run directory, checkpoints or model bundle.
    var writesFiles: Bool

    /// Optimizer steps one epoch takes (a partial accumulation cycle at the end still steps).
    var stepsPerEpoch: Int { (trainBatches + accumulation - 1) / accumulation }

    /// The rows `overfit_batches` keeps (the first N batches' worth), or nil when it is off.
    static func overfitRows(_ training: TrainingConfig, data: TrainingData) -> Int? {
        guard !training.overfitBatches.isZero, training.batchSize > 0 else { return nil }
        let available = (data.train.count + training.batchSize - 1) / training.batchSize
        let batches = training.overfitBatches.batches(outOf: available)
        return batches > 0 ? Swift.min(data.train.count, batches * training.batchSize) : nil
    }
}

extension TrainingPlan {
    /// Resolves the plan of `training` over `data`; throws when there is nothing to train on.
    init(config training: TrainingConfig, data: TrainingData) throws {
        let batchSize = training.batchSize
        guard batchSize > 0 else { throw TrainerError.invalidSetup("training.batch_size must be positive, not \(batchSize)") }
        let overfitRows = Self.overfitRows(training, data: data)
        let trainRows = overfitRows ?? data.train.count
        let available = training.dropLast ? trainRows / batchSize : (trainRows + batchSize - 1) / batchSize
        guard available > 0 else {
            throw TrainerError.invalidSetup(
                "the training split has \(trainRows) rows, not enough for one batch of training.batch_size \(batchSize)"
                    + (training.dropLast ? " with training.drop_last: true" : "") + "; use a smaller batch size or more data")
        }
        trainBatches = training.limitTrainBatches.batches(outOf: available)
        guard trainBatches > 0 else {
            throw TrainerError.invalidSetup("training.limit_train_batches leaves no training batch; raise it")
        }
        let evalBatchSize = Swift.max(1, training.effectiveEvalBatchSize)
        let validationRows = overfitRows ?? (data.validation?.count ?? 0)
        let validationAvailable = (validationRows + evalBatchSize - 1) / evalBatchSize
        validationBatches = training.limitValBatches.batches(outOf: validationAvailable)
        accumulation = Swift.max(1, training.gradientAccumulationSteps)
        logEvery = Swift.max(1, training.logEveryNSteps)
        writesFiles = !training.fastDevRun
        if training.fastDevRun {
            trainBatches = 1
            validationBatches = Swift.min(1, validationBatches)
            maxEpochs = 1
            maxSteps = 1
        } else if let steps = training.maxSteps, steps > 0 {
            maxEpochs = nil
            maxSteps = steps
        } else {
            maxEpochs = training.epochs
            maxSteps = training.epochs * ((trainBatches + accumulation - 1) / accumulation)
        }
        evalSteps = nil
        evalEachEpoch = false
        guard validationBatches > 0 else { return }
        switch training.evalStrategy {
        case .steps:
            // As Hugging Face: eval_steps defaults to the logging interval.
            evalSteps = Swift.max(1, training.evalSteps ?? logEvery)
        case .no:
            break
        case .epoch:
            evalEachEpoch = true
        }
        if training.fastDevRun { evalSteps = nil; evalEachEpoch = true }
    }
}
