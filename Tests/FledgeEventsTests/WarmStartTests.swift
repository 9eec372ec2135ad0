import FledgeData
import FledgeEvents
import FledgeNN
import FledgeTensor
import FledgeTrain
import Foundation
import Testing

/// A network with the foundation model's two children: `backbone` and `head`.
private final class BackboneAndHead: Layer {
    let backbone = Linear(inputSize: 4, outputSize: 8, seed: 1)
    let head = Linear(inputSize: 8, outputSize: 1, seed: 2)
    var isTraining = true
    var children: [(name: String, module: any Module)] { [("backbone", backbone), ("head", head)] }
    func callAsFunction(_ input: Tensor) -> Tensor { head(backbone(input).relu()) }
}

/// The weights after every training batch.
private final class WeightRecorder: Callback {
    var steps: [Int] = []
    var backbone: [[Float]] = []
    var head: [[Float]] = []
    func onTrainBatchEnd(_ trainer: Trainer) {
        let named = Dictionary(uniqueKeysWithValues: trainer.model.namedParameters.map { ($0.name, $0.parameter) })
        steps.append(trainer.state.globalStep)
        backbone.append(named["backbone.weight"]!.value.scalars + named["backbone.bias"]!.value.scalars)
        head.append(named["head.weight"]!.value.scalars)
    }
}

@Suite struct WarmStartTests {
    @Test func theBackboneStaysFixedDuringWarmStartAndTrainsAfter() throws {
        var generator = SeededGenerator(seed: 3)
        let rows = 64
        let features = (0..<(rows * 4)).map { _ in Float.random(in: -1...1, using: &generator) }
        let targets = (0..<rows).map { row in features[(row * 4)..<(row * 4 + 4)].reduce(0, +) }
        let dataset = TabularDataset(features: Tensor(shape: [rows, 4], values: features),
                                     targets: .floats(Tensor(shape: [rows, 1], values: targets)))
        let directory = temporaryPath("warmstart")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = FledgeConfig(task: .regression, trainPath: "<memory>", labelColumn: "y")
        config.experiment.experimentDir = directory
        config.training.epochs = 3
        config.training.batchSize = 16          // 4 steps per epoch, 12 in all
        config.training.weightDecay = 0.1       // decoupled decay must not touch frozen weights either
        config.training.checkpoint.saveStrategy = .no
        let model = BackboneAndHead()
        let initialBackbone = model.backbone.weight.value.scalars + model.backbone.bias!.value.scalars
        let recorder = WeightRecorder()
        let trainer = try Trainer(config: config, data: TrainingData(train: dataset, validation: dataset), model: model,
                                  callbacks: [WarmStart(steps: 5), recorder], progress: nil)
        _ = try trainer.fit()

        #expect(recorder.steps == Array(1...12))
        for (step, weights) in zip(recorder.steps, recorder.backbone) {
            if step <= 5 {
                #expect(weights == initialBackbone, "backbone changed at step \(step) during warm start")
            } else {
                #expect(weights != recorder.backbone[step - 2], "backbone did not train at step \(step)")
            }
        }
        #expect(recorder.head[0] != recorder.head[1])
        // Adam's state of a backbone weight starts at its first update: 12 - 5 steps, not 12.
        let state = trainer.optimizer.stateDict()
        #expect(state["state.backbone.weight.step"]?.item == 7)
        #expect(state["state.head.weight.step"]?.item == 12)
        // Training ends with everything trainable, so the saved network is whole.
        let allTrainable = model.parameters.allSatisfy { $0.isTrainable }
        #expect(allTrainable)
    }
}
