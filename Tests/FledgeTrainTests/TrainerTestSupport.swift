import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation
@testable import FledgeTrain

/// A small, seeded, nearly separable binary problem: label = (x0 + x1 − x2 > 0).
func syntheticBinaryData(train: Int = 96, validation: Int = 32, seed: UInt64 = 11) -> TrainingData {
    func make(_ count: Int, _ generator: inout SeededGenerator) -> TabularDataset {
        var features: [Float] = []
        var labels: [Float] = []
        for _ in 0..<count {
            let row = (0..<4).map { _ in generator.nextNormal() }
            features += row
            labels.append(row[0] + row[1] - row[2] > 0 ? 1 : 0)
        }
        return TabularDataset(features: Tensor(shape: [count, 4], values: features),
                              targets: .floats(Tensor(shape: [count, 1], values: labels)))
    }
    var generator = SeededGenerator(seed: seed)
    return TrainingData(train: make(train, &generator), validation: make(validation, &generator), classNames: ["0", "1"])
}

/// A config writing its run into a fresh temporary directory.
func testConfig(_ configure: (inout FledgeConfig) -> Void = { _ in }) -> FledgeConfig {
    var config = FledgeConfig()
    config.experiment.experimentDir = makeTemporaryDirectory("fledge-runs").path
    config.experiment.runId = "run"
    config.training.epochs = 3
    config.training.batchSize = 16
    config.training.logEveryNSteps = 2
    configure(&config)
    return config
}

/// A trainer over `syntheticBinaryData` with an MLP holding dropout, AdamW and a cosine schedule,
/// so resuming has to restore every kind of state.
func makeTrainer(_ config: FledgeConfig, callbacks: [any Callback] = [], schedule: Bool = true,
                 data: TrainingData = syntheticBinaryData()) throws -> Trainer {
    let model = MLP(inputSize: 4, layers: [8], outputSize: 1, dropout: 0.2, seed: 3)
    let optimizer = AdamW(model.namedParameters, learningRate: 0.02, weightDecay: 0.01)
    let scheduler = schedule ? LRScheduler(optimizer: optimizer, schedule: CosineAnnealingSchedule(maximumSteps: 40)) : nil
    return try Trainer(
        config: config, data: data, model: model, task: .binary, optimizer: optimizer, scheduler: scheduler,
        loss: { logits, targets in
            guard case .floats(let values) = targets else { fatalError("binary targets are floats") }
            return binaryCrossEntropyWithLogits(logits, values)
        },
        scores: { $0.sigmoid() },
        metrics: [try MetricFactory.make(name: "accuracy", task: .binary, classCount: 2)],
        callbacks: callbacks)
}

/// Records every hook call by name.
final class HookRecorder: Callback {
    var calls: [String] = []
    func onFitStart(_ trainer: Trainer) { calls.append("fitStart") }
    func onTrainEpochStart(_ trainer: Trainer) { calls.append("epochStart") }
    func onTrainBatchStart(_ trainer: Trainer) { calls.append("batchStart") }
    func onTrainBatchEnd(_ trainer: Trainer) { calls.append("batchEnd") }
    func onValidationStart(_ trainer: Trainer) { calls.append("valStart") }
    func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) { calls.append("valEnd") }
    func onTrainEpochEnd(_ trainer: Trainer) { calls.append("epochEnd") }
    func onSaveCheckpoint(_ trainer: Trainer, directory: URL) { calls.append("save:" + directory.lastPathComponent) }
    func onFitEnd(_ trainer: Trainer) { calls.append("fitEnd") }
    func onException(_ trainer: Trainer, error: Error) { calls.append("exception") }
}

/// Stops training after a given step, as an interrupted run would.
final class StopAtStep: Callback {
    let step: Int
    init(_ step: Int) { self.step = step }
    func onTrainBatchEnd(_ trainer: Trainer) {
        if trainer.state.globalStep >= step { trainer.state.shouldStop = true }
    }
}
