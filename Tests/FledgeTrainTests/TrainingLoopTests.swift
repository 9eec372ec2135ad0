import FledgeData
import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation
import Testing
@testable import FledgeTrain

@Test func trainingLearnsTheSyntheticProblem() throws {
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 15 }, schedule: false)
    let result = try trainer.fit()
    #expect(result.globalStep == 15 * 6)
    #expect((result.validationMetrics["val_accuracy"] ?? 0) >= 0.85)
    let evaluation = try trainer.evaluate(split: .train)
    #expect(evaluation["loss"]! < 0.5)
    #expect(evaluation["accuracy"]! >= 0.85)
}

@Test func maxStepsOverridesEpochsAndValidatesTheFinalWeights() throws {
    let recorder = HookRecorder()
    let trainer = try makeTrainer(testConfig { $0.training.maxSteps = 8 }, callbacks: [recorder])
    let result = try trainer.fit()
    #expect(result.globalStep == 8)
    #expect(trainer.state.epoch == 1)
    // Epoch 1 ended with a validation; training stopped mid-epoch 2 and validated once more.
    #expect(recorder.calls.filter { $0 == "valEnd" }.count == 2)
}

@Test func batchLimitsAcceptCountsAndFractions() throws {
    let counted = try makeTrainer(testConfig {
        $0.training.epochs = 2
        $0.training.limitTrainBatches = .count(2)
        $0.training.limitValBatches = .fraction(0.5)
    })
    #expect(counted.plan.trainBatches == 2)
    #expect(counted.plan.validationBatches == 1)
    #expect(try counted.fit().globalStep == 4)
    let fraction = try makeTrainer(testConfig { $0.training.limitTrainBatches = .fraction(0.5) })
    #expect(fraction.plan.trainBatches == 3)
}

@Test func gradientAccumulationMatchesOneLargeBatch() throws {
    // Without dropout, 2 batches of 16 accumulated at 1/2 each equal one batch of 32.
    func weights(batchSize: Int, accumulation: Int) throws -> [Float] {
        let config = testConfig {
            $0.training.epochs = 1
            $0.training.batchSize = batchSize
            $0.training.gradientAccumulationSteps = accumulation
            $0.training.shuffle = false
            $0.training.evalStrategy = .no
        }
        let model = MLP(inputSize: 4, layers: [8], outputSize: 1, seed: 3)
        let optimizer = SGD(model.namedParameters, learningRate: 0.1)
        let trainer = try Trainer(
            config: config, data: syntheticBinaryData(train: 64), model: model, task: .binary, optimizer: optimizer,
            loss: { logits, targets in
                guard case .floats(let values) = targets else { fatalError() }
                return binaryCrossEntropyWithLogits(logits, values)
            }, scores: { $0.sigmoid() }, metrics: [], callbacks: [])
        try trainer.fit()
        return model.parameters.flatMap(\.value.scalars)
    }
    let accumulated = try weights(batchSize: 16, accumulation: 2)
    let large = try weights(batchSize: 32, accumulation: 1)
    for (a, b) in zip(accumulated, large) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
}

@Test func nonFiniteLossStopsWithAMessageAndKeepsTheLastCheckpoint() throws {
    // Two good epochs write checkpoints; the resumed third epoch meets NaN labels.
    var data = syntheticBinaryData()
    let good = try makeTrainer(testConfig { $0.training.epochs = 2 },
                               callbacks: [ModelCheckpoint(strategy: .steps, saveSteps: 3, saveLast: false)], data: data)
    try good.fit()
    let checkpoints = good.runDirectory!.checkpointsDirectory
    let lastBefore = try Checkpoint.resolve("last", checkpointsDirectory: checkpoints)
    #expect(lastBefore.lastPathComponent == "checkpoint-12")

    guard case .floats(let labels) = data.train.targets else { fatalError() }
    data.train = TabularDataset(features: data.train.features, targets: .floats(labels * Float.nan))
    let recorder = HookRecorder()
    let bad = try makeTrainer(testConfig { $0.training.epochs = 3 },
                              callbacks: [recorder, ModelCheckpoint(strategy: .steps, saveSteps: 1, saveLast: true)], data: data)
    do {
        try bad.fit(resumeFrom: lastBefore.path)
        Issue.record("a NaN loss did not stop training")
    } catch let error as TrainerError {
        #expect(error.description.contains("the loss became NaN at step 12 (epoch 3, batch 1)"))
        #expect(error.description.contains(lastBefore.path))
    }
    #expect(recorder.calls.last == "exception")
    let checkpoint = try Checkpoint.read(from: Checkpoint.resolve("last", checkpointsDirectory: checkpoints))
    #expect(checkpoint.state.globalStep == 12)
    try checkpoint.restore(model: bad.model, optimizer: bad.optimizer)
}

@Test func fastDevRunTrainsAndValidatesOneBatchWithoutWritingFiles() throws {
    let config = testConfig {
        $0.training.fastDevRun = true
        $0.training.epochs = 5
    }
    let recorder = HookRecorder()
    let trainer = try makeTrainer(config, callbacks: [recorder, MetricsLogger(), ModelCheckpoint(saveLast: true)])
    let result = try trainer.fit()
    #expect(result.globalStep == 1)
    #expect(recorder.calls == ["fitStart", "epochStart", "batchStart", "batchEnd", "valStart", "valEnd", "epochEnd", "fitEnd"])
    #expect(result.runDirectory == nil)
    let runs = try FileManager.default.contentsOfDirectory(atPath: config.experiment.experimentDir)
    #expect(runs.isEmpty)
}

@Test func overfitBatchesTrainsAndValidatesOnTheSameBatches() throws {
    let trainer = try makeTrainer(testConfig {
        $0.training.overfitBatches = .count(1)
        $0.training.epochs = 60
    }, schedule: false)
    #expect(trainer.plan.trainBatches == 1)
    #expect(trainer.plan.validationBatches == 1)
    let result = try trainer.fit()
    #expect(result.globalStep == 60)
    #expect(result.validationMetrics["val_accuracy"] == 1)
}

@Test func deterministicModeTrainsOnOneThreadAndRepeatsBitForBit() async throws {
    // In a child process: the thread count is process-wide and other tests run in parallel.
    await #expect(processExitsWith: .success) {
        /// Reads the thread count while training runs.
        final class ThreadProbe: Callback {
            var counts: Set<Int> = []
            func onTrainBatchEnd(_ trainer: Trainer) { counts.insert(Threading.threadCount) }
        }
        Threading.setThreadCount(2)
        func run() throws -> ([String: [UInt32]], Set<Int>) {
            let probe = ThreadProbe()
            let trainer = try makeTrainer(testConfig { $0.experiment.deterministic = true }, callbacks: [probe])
            try trainer.fit()
            return (bitPatterns(trainer.model), probe.counts)
        }
        let (first, counts) = try run()
        let (second, _) = try run()
        guard counts == [1], first == second, Threading.threadCount == 2 else { exit(1) }
    }
}

@Test func schedulesStepPerBatchOrPerEpochAndMonitorRecordsTheRates() throws {
    func finalRate(_ interval: SchedulerInterval) throws -> (Float, LearningRateMonitor) {
        let config = testConfig {
            $0.training.epochs = 3
            $0.training.evalStrategy = .no
        }
        let model = MLP(inputSize: 4, layers: [8], outputSize: 1, seed: 3)
        let optimizer = SGD(model.namedParameters, learningRate: 0.1)
        let scheduler = LRScheduler(optimizer: optimizer, schedule: StepSchedule(stepSize: 1, gamma: 0.5))
        let monitor = LearningRateMonitor()
        let trainer = try Trainer(
            config: config, data: syntheticBinaryData(), model: model, task: .binary, optimizer: optimizer,
            scheduler: scheduler, schedulerInterval: interval,
            loss: { logits, targets in
                guard case .floats(let values) = targets else { fatalError() }
                return binaryCrossEntropyWithLogits(logits, values)
            }, scores: { $0.sigmoid() }, metrics: [], callbacks: [monitor])
        try trainer.fit()
        return (optimizer.learningRate, monitor)
    }
    let (perEpoch, monitor) = try finalRate(.epoch)
    #expect(abs(perEpoch - 0.0125) < 1e-9)
    #expect(monitor.history.count == 18)
    // The rate seen after the first step of epoch 2 is the one halved once.
    #expect(monitor.history[6].rates == [0.05])
    let (perStep, _) = try finalRate(.step)
    #expect(abs(perStep - 0.1 * pow(0.5, 18)) < 1e-12)
}

@Test func anUnwritableExperimentDirectoryIsASetupError() throws {
    let blocker = makeTemporaryDirectory().appendingPathComponent("file")
    try Data("x".utf8).write(to: blocker)
    let trainer = try makeTrainer(testConfig { $0.experiment.experimentDir = blocker.path })
    do {
        try trainer.fit()
        Issue.record("training into a file path succeeded")
    } catch let error as TrainerError {
        #expect(error.description.contains("cannot create the run directory"))
    }
}
