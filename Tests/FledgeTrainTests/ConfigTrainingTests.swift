import FledgeData
import FledgeNN
import FledgeTestSupport
import Foundation
import Testing
@testable import FledgeTrain

/// The path of a real dataset in `Tests/Fixtures/data`.
func fixtureCSV(_ name: String) -> String {
    fixturesDirectory.appendingPathComponent("data").appendingPathComponent("\(name).csv").path
}

/// A config training `task` on a fixture dataset for a few epochs into a temporary directory.
func fixtureConfig(_ dataset: String, task: TaskKind, _ configure: (inout FledgeConfig) -> Void = { _ in }) -> FledgeConfig {
    var config = FledgeConfig(task: task, trainPath: fixtureCSV(dataset), labelColumn: "target")
    config.experiment.experimentDir = makeTemporaryDirectory("fledge-runs").path
    config.experiment.runId = "run"
    config.model.layers = [16]
    config.training.epochs = 5
    config.training.batchSize = 32
    config.training.learningRate = 3e-3
    configure(&config)
    return config
}

@Test func configTrainerLearnsBreastCancerAndWritesTheRun() throws {
    let config = fixtureConfig("breast_cancer", task: .binary) {
        $0.training.earlyStopping = EarlyStoppingConfig()
        $0.training.loadBestModelAtEnd = true
        $0.training.checkpoint.saveStrategy = .best
    }
    let trainer = try Trainer(config: config)
    #expect(trainer.data.train.count + trainer.data.validation!.count + trainer.data.test!.count == 569)
    let result = try trainer.fit()
    #expect((result.validationMetrics["val_accuracy"] ?? 0) >= 0.9)
    let test = try trainer.evaluate(split: .test)
    #expect(test["accuracy"]! >= 0.9)
    #expect(test["auroc"] != nil)

    let run = try #require(trainer.runDirectory)
    let fileManager = FileManager.default
    for file in [run.configFile, run.metricsFile, run.checkpointsDirectory,
                 run.modelDirectory.appendingPathComponent(FledgeModel.weightsFile),
                 run.modelDirectory.appendingPathComponent(FledgeModel.descriptionFile),
                 run.modelDirectory.appendingPathComponent(FledgeModel.preprocessorFile)] {
        #expect(fileManager.fileExists(atPath: file.path), "\(file.lastPathComponent) missing")
    }
    #expect(try String(contentsOf: run.configFile, encoding: .utf8).contains("learning_rate"))
    #expect(try Checkpoint.resolve("last", checkpointsDirectory: run.checkpointsDirectory).lastPathComponent.hasPrefix("checkpoint-"))

    // The bundle reproduces the trainer's test metrics from the raw CSV rows.
    let model = try FledgeModel.load(from: run.root)
    #expect(model.info.classNames == ["0", "1"])
    let table = try CSVReader.read(path: fixtureCSV("breast_cancer"))
    let predictions = try model.predict(table)
    #expect(predictions.count == 569)
    #expect(Set(predictions.labels).isSubset(of: ["0", "1"]))
    let csv = predictions.csv()
    #expect(csv.hasPrefix("probability,label\n"))
    let all = try model.evaluate(table)
    #expect(all["accuracy"]! >= 0.9)
}

@Test func configTrainerHandlesMulticlassAndRegression() throws {
    let iris = try Trainer(config: fixtureConfig("iris", task: .multiclass) { $0.training.epochs = 30 })
    let irisResult = try iris.fit()
    #expect(iris.data.classNames.count == 3)
    #expect((irisResult.validationMetrics["val_accuracy"] ?? 0) >= 0.8)
    let irisModel = try FledgeModel.load(from: iris.runDirectory!.modelDirectory)
    let irisPredictions = try irisModel.predict(CSVReader.read(path: fixtureCSV("iris")))
    #expect(irisPredictions.scores.shape == [150, 3])

    let diabetes = try Trainer(config: fixtureConfig("diabetes", task: .regression) {
        $0.training.scheduler = SchedulerConfig()
        $0.training.scheduler?.type = .reduceOnPlateau
        $0.training.metricToMonitor = "val_rmse"
        $0.training.loss = .huber
        $0.training.huberDelta = 0.5
    })
    let regression = try diabetes.fit()
    #expect(regression.monitor == "val_rmse")
    #expect(regression.validationMetrics["val_r2"] != nil)
    let bundle = try FledgeModel.load(from: diabetes.runDirectory!.root)
    #expect(try bundle.predict(CSVReader.read(path: fixtureCSV("diabetes"))).csv().hasPrefix("prediction\n"))
    // The bundle evaluates with the loss it was trained with (Huber δ 0.5), not the task's MSE.
    #expect(bundle.task.lossKind == .huber && bundle.task.huberDelta == 0.5)
}

@Test func configTrainerResumesBitForBitFromLast() throws {
    let config = fixtureConfig("breast_cancer", task: .binary) {
        $0.model.dropout = 0.2
        $0.training.epochs = 3
        $0.training.scheduler = SchedulerConfig()
        $0.training.scheduler?.type = .cosineWarmup
        $0.training.scheduler?.warmupRatio = 0.1
        $0.training.checkpoint.saveStrategy = .steps
        $0.training.checkpoint.saveSteps = 7
    }
    var straightConfig = config
    straightConfig.experiment.runId = "straight"
    let straight = try Trainer(config: straightConfig)
    try straight.fit()

    let interrupted = try Trainer(config: config, model: nil, callbacks: [StopAtStep(14)])
    try interrupted.fit()
    let resumed = try Trainer(config: config)
    try resumed.fit(resumeFrom: "last")
    #expect(resumed.state.globalStep == straight.state.globalStep)
    #expect(bitPatterns(resumed.model) == bitPatterns(straight.model))
}

@Test func badSetupsStopWithClearMessages() throws {
    var noLabel = fixtureConfig("iris", task: .multiclass)
    noLabel.data.labelColumn = nil
    #expect(throws: TrainerError.self) { try Trainer(config: noLabel) }
    #expect(throws: DataError.self) {
        try Trainer(config: fixtureConfig("does_not_exist", task: .binary))
    }
    let fresh = try Trainer(config: fixtureConfig("iris", task: .multiclass))
    do {
        try fresh.fit(resumeFrom: "last")
        Issue.record("resuming a run without checkpoints succeeded")
    } catch let error as CheckpointError {
        #expect(error.description.contains("no checkpoint to resume from"))
    }
    let bundle = makeTemporaryDirectory()
    #expect(throws: ModelBundleError.missingFile(bundle: bundle.path, file: FledgeModel.descriptionFile)) {
        try FledgeModel.load(from: bundle)
    }
}
