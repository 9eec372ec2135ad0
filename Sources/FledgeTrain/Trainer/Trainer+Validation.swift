import FledgeData
import FledgeMetrics
import FledgeNN
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
        let measured = try measure(dataset, batchLimit: plan.validationBatches)
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

    /// Loss and metrics of the model on `split` (keys `loss`, `accuracy`, ...).
    public func evaluate(split: DataSplitName) throws -> [String: Double] {
        let dataset = split == .validation ? validationDataset : data.dataset(split)
        guard let dataset else {
            throw TrainerError.invalidSetup("the run has no \(split.rawValue) split; set data.\(split == .test ? "test_size or data.test_path" : "validation_split or data.validation_path")")
        }
        return try measure(dataset, batchLimit: nil)
    }

    /// Streams `dataset` through the model in evaluation mode without recording gradients.
    func measure(_ dataset: TabularDataset, batchLimit: Int?) throws -> [String: Double] {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.setTraining(wasTraining) }
        for metric in metrics { metric.reset() }
        let batchSize = Swift.max(1, config.training.effectiveEvalBatchSize)
        let loader = DataLoader(dataset: dataset, batchSize: batchSize, shuffle: false, dropLast: false, seed: 0)
        var lossSum = 0.0
        var rows = 0
        try withoutGradients {
            for (index, batch) in loader.batches(epoch: 0).enumerated() {
                if let batchLimit, index >= batchLimit { break }
                guard let targets = batch.targets else {
                    throw TrainerError.invalidSetup("the evaluation rows have no labels; set data.label_column")
                }
                let output = model(batch.features)
                lossSum += Double(loss(output, targets).item) * Double(batch.rows.count)
                rows += batch.rows.count
                let probabilities = scores(output)
                let targetValues = Self.metricTargets(targets)
                for metric in metrics { metric.update(scores: probabilities, targets: targetValues) }
            }
        }
        var result = ["loss": rows > 0 ? lossSum / Double(rows) : .nan]
        for metric in metrics { result[metric.name] = metric.compute() }
        return result
    }

    /// Targets as metrics take them: 0/1 or values as floats, class indices as floats.
    static func metricTargets(_ targets: Targets) -> Tensor {
        switch targets {
        case .floats(let values): values
        case .classes(let classes): Tensor(shape: classes.shape, values: classes.indices.map(Float.init))
        }
    }
}
