import FledgeData
import FledgeEvents
import FledgeNN
import FledgeOptim
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

    /// 32 rows of a linear target and a config for one plain SGD step over all of them at rate 0.1.
    static func oneSGDStep(seed: UInt64) -> (TabularDataset, FledgeConfig, String) {
        var generator = SeededGenerator(seed: seed)
        let rows = 32
        let features = (0..<(rows * 4)).map { _ in Float.random(in: -1...1, using: &generator) }
        let targets = (0..<rows).map { row in features[(row * 4)..<(row * 4 + 4)].reduce(0, +) }
        let dataset = TabularDataset(features: Tensor(shape: [rows, 4], values: features),
                                     targets: .floats(Tensor(shape: [rows, 1], values: targets)))
        let directory = temporaryPath("one-sgd-step")
        var config = FledgeConfig(task: .regression, trainPath: "<memory>", labelColumn: "y")
        config.experiment.experimentDir = directory
        config.training.epochs = 1
        config.training.batchSize = rows         // one step
        config.training.optimizer = .sgd
        config.training.learningRate = 0.1
        config.training.checkpoint.saveStrategy = .no
        return (dataset, config, directory)
    }

    /// `ParameterGroup.learningRateGroups` through the Trainer: one SGD step from the same weights
    /// on the same batch moves the backbone by exactly `multiplier` times as much as one rate for all,
    /// and the head by as much.
    @Test func aBackboneLearningRateMultiplierScalesOnlyTheBackbonesUpdate() throws {
        let (dataset, config, directory) = Self.oneSGDStep(seed: 5)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func oneStep(multiplier: Float?) throws -> (backbone: [Float], head: [Float], rates: [Float], groups: [[String]]) {
            let model = BackboneAndHead()
            let groups: (([(name: String, parameter: Parameter)]) -> [ParameterGroup])? = multiplier.map { m in
                { ParameterGroup.learningRateGroups($0, matching: FoundationNetwork.backbonePattern, learningRate: 0.1, multiplier: m) }
            }
            let trainer = try Trainer(config: config, data: TrainingData(train: dataset, validation: dataset), model: model,
                                      progress: nil, parameterGroups: groups)
            let rates = trainer.optimizer.learningRates
            let names = (0..<trainer.optimizer.groupCount).map { trainer.optimizer.namedParameters(ofGroup: $0).map(\.name) }
            _ = try trainer.fit()
            return (model.backbone.weight.value.scalars + model.backbone.bias!.value.scalars, model.head.weight.value.scalars,
                    rates, names)
        }
        let initial = BackboneAndHead()
        let backbone0 = initial.backbone.weight.value.scalars + initial.backbone.bias!.value.scalars
        let head0 = initial.head.weight.value.scalars
        let full = try oneStep(multiplier: nil)
        let scaled = try oneStep(multiplier: 0.1)
        #expect(full.rates == [0.1])
        #expect(scaled.rates == [0.1 * 0.1, 0.1])
        #expect(scaled.groups == [["backbone.weight", "backbone.bias"], ["head.weight", "head.bias"]])
        for i in backbone0.indices {
            let fullStep = full.backbone[i] - backbone0[i], scaledStep = scaled.backbone[i] - backbone0[i]
            #expect(abs(scaledStep - 0.1 * fullStep) <= 1e-6 + 1e-4 * abs(fullStep), "backbone \(i): \(scaledStep) vs 0.1 × \(fullStep)")
        }
        #expect(zip(full.backbone, backbone0).contains { $0 != $1 })
        #expect(scaled.head == full.head)
        #expect(zip(full.head, head0).contains { $0 != $1 })
    }

    /// L2-SP adds `strength · (w − w₀)` to the backbone's gradient before the step: from weights 1
    /// above the reference, one SGD step at rate 0.1 with strength 0.5 moves every backbone weight
    /// 0.05 further down than without it, and the head exactly as without it.
    @Test func l2spAddsThePullTowardTheReferenceToTheBackbonesGradient() throws {
        let (dataset, config, directory) = Self.oneSGDStep(seed: 6)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func oneStep(strength: Double?) throws -> (backbone: [Float], head: [Float], start: [Float]) {
            let model = BackboneAndHead()
            let callbacks: [any Callback] = strength.map { [L2SP(model: model, strength: $0)] } ?? []
            for parameter in [model.backbone.weight, model.backbone.bias!] {
                parameter.updateInPlace { values in for i in values.indices { values[i] += 1 } }
            }
            let start = model.backbone.weight.value.scalars + model.backbone.bias!.value.scalars
            let trainer = try Trainer(config: config, data: TrainingData(train: dataset, validation: dataset), model: model,
                                      callbacks: callbacks, progress: nil)
            _ = try trainer.fit()
            return (model.backbone.weight.value.scalars + model.backbone.bias!.value.scalars, model.head.weight.value.scalars, start)
        }
        let plain = try oneStep(strength: nil)
        let pulled = try oneStep(strength: 0.5)
        #expect(plain.start == pulled.start)
        for i in plain.backbone.indices {
            #expect(abs((pulled.backbone[i] - plain.backbone[i]) - (-0.1 * 0.5 * 1)) < 1e-5, "backbone \(i)")
        }
        #expect(pulled.head == plain.head)
        #expect(L2SP(model: BackboneAndHead(), strength: 0.5).parameterCount == 2)
    }
}
