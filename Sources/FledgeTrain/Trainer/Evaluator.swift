import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeTensor

/// Streams a dataset through a model in evaluation mode, without recording gradients, and
/// returns the mean loss and each metric (`loss`, `accuracy`, ...). The trainer's validation and
/// `FledgeModel.evaluate` share it, so both report the same numbers (FledgeEvents' reloaded
/// models too).
public struct Evaluator {
    let model: any Layer
    let loss: Trainer.LossFunction
    let scores: (Tensor) -> Tensor
    let metrics: [any Metric]

    /// An evaluator computing `task`'s loss and scores.
    public init(task: TaskSpec, model: any Layer, metrics: [any Metric]) {
        self.init(model: model, loss: { task.loss(logits: $0, targets: $1) },
                  scores: { task.scores(fromLogits: $0) }, metrics: metrics)
    }

    /// An evaluator with its own loss and scores (a model whose outputs the task does not read directly).
    public init(model: any Layer, loss: @escaping Trainer.LossFunction, scores: @escaping (Tensor) -> Tensor, metrics: [any Metric]) {
        self.model = model
        self.loss = loss
        self.scores = scores
        self.metrics = metrics
    }

    /// The mean loss and metrics over `dataset` (at most `batchLimit` batches); `observe` sees each
    /// batch's scores and metric targets (e.g. to build a confusion matrix in the same pass).
    public func measure(_ dataset: TabularDataset, batchSize: Int, batchLimit: Int? = nil,
                 observe: ((_ scores: Tensor, _ targets: Tensor) -> Void)? = nil) throws -> [String: Double] {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.setTraining(wasTraining) }
        for metric in metrics { metric.reset() }
        let loader = DataLoader(dataset: dataset, batchSize: Swift.max(1, batchSize), shuffle: false, dropLast: false, seed: 0)
        var lossSum = 0.0
        var rows = 0
        try withoutGradients {
            for (index, batch) in loader.batches(epoch: 0).enumerated() {
                if let batchLimit, index >= batchLimit { break }
                guard let targets = batch.targets else {
                    throw TrainerError.invalidSetup("the evaluation rows have no labels; the data needs the label column(s)")
                }
                let output = model(batch.features)
                lossSum += Double(loss(output, targets).item) * Double(batch.rows.count)
                rows += batch.rows.count
                let probabilities = scores(output)
                let targetValues = TaskSpec.metricTargets(targets)
                for metric in metrics { metric.update(scores: probabilities, targets: targetValues) }
                observe?(probabilities, targetValues)
            }
        }
        var result = ["loss": rows > 0 ? lossSum / Double(rows) : .nan]
        for metric in metrics { result[metric.name] = metric.compute() }
        return result
    }
}
