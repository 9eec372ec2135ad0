import FledgeData
import FledgeTensor

extension Trainer {
    /// The rows validation runs on: the validation split, or the training batches themselves
    /// under `overfit_batches`.
    var validationDataset: TabularDataset? {
        TrainingPlan.overfitRows(config.training, data: data) != nil ? trainingDataset : data.validation
    }

    /// Runs a validation pass, records the monitored value, steps a metric-driven schedule and
    /// calls the validation hooks; returns `val_loss` and `val_<metric>`.
    func validate(logging: Bool = true) throws -> [String: Double] {
        guard let dataset = validationDataset else { return [:] }
        for callback in callbacks { callback.onValidationStart(self) }
        let measured = try measure(dataset, batchLimit: plan.validationBatches) { scores, targets in
            for callback in self.callbacks { callback.onValidationBatchEnd(self, scores: scores, targets: targets) }
        }
        var metrics: [String: Double] = [:]
        for (name, value) in measured { metrics["val_" + name] = value }
        state.validationMetrics = metrics
        lastValidatedStep = state.globalStep
        guard let monitored = metrics[state.monitor] else {
            throw TrainerError.invalidSetup(
                "training.metric_to_monitor: \(state.monitor) is not measured; choose one of "
                    + metrics.keys.sorted().joined(separator: ", "))
        }
        if state.monitorMode.isImprovement(monitored, over: state.bestMetric) { state.bestMetric = monitored }
        if let scheduler, scheduler.schedule.requiresMetric { scheduler.step(metric: Float(monitored)) }
        if logging { log(metrics) }
        for callback in callbacks { callback.onValidationEnd(self, metrics: metrics) }
        return metrics
    }

    /// Loss and metrics of the model on `split` (keys `loss`, `accuracy`, ...); `observe` sees
    /// each batch's scores (probabilities or values) and targets as the metrics read them.
    public func evaluate(split: DataSplitName,
                         observe: ((_ scores: Tensor, _ targets: Tensor) -> Void)? = nil) throws -> [String: Double] {
        guard let dataset = dataset(for: split) else {
            throw TrainerError.invalidSetup("the run has no \(split.rawValue) split; set data.\(split == .test ? "test_size or data.test_path" : "validation_split or data.validation_path")")
        }
        return try evaluate(dataset, observe: observe)
    }

    /// Loss and metrics of the model on any labelled `dataset` preprocessed like the run's splits.
    public func evaluate(_ dataset: TabularDataset,
                         observe: ((_ scores: Tensor, _ targets: Tensor) -> Void)? = nil) throws -> [String: Double] {
        try measure(dataset, batchLimit: nil, observe: observe)
    }

    /// The rows `evaluate(split:)` measures, or nil when the run has no such split.
    public func dataset(for split: DataSplitName) -> TabularDataset? {
        split == .validation ? validationDataset : data.dataset(split)
    }

    /// Loss and metrics of the model on `dataset`, at most `batchLimit` batches.
    func measure(_ dataset: TabularDataset, batchLimit: Int?,
                 observe: ((_ scores: Tensor, _ targets: Tensor) -> Void)? = nil) throws -> [String: Double] {
        try Evaluator(model: model, loss: loss, scores: scores, metrics: metrics)
            .measure(dataset, batchSize: config.training.effectiveEvalBatchSize, batchLimit: batchLimit, observe: observe)
    }
}
