import FledgeTensor
import Foundation
import Testing
@testable import FledgeTrain

/// Feeds EarlyStopping a sequence of monitored values and returns the check at which it stopped.
private func stopCheck(_ values: [Double], _ stopping: EarlyStopping) throws -> Int? {
    let trainer = try makeTrainer(testConfig())
    for (index, value) in values.enumerated() {
        stopping.onValidationEnd(trainer, metrics: [stopping.monitor ?? "val_loss": value])
        if trainer.state.shouldStop { return index + 1 }
    }
    return nil
}

@Test func earlyStoppingCountsPatienceInValidationChecks() throws {
    #expect(try stopCheck([1, 0.9, 0.95, 0.93, 0.92], EarlyStopping(patience: 3)) == 5)
    #expect(try stopCheck([1, 0.9, 0.95, 0.8, 0.85], EarlyStopping(patience: 3)) == nil)
    // min_delta: improvements smaller than 0.05 do not reset the count.
    #expect(try stopCheck([1, 0.97, 0.96, 0.95], EarlyStopping(patience: 3, minDelta: 0.05)) == 4)
    #expect(try stopCheck([0.5, 0.6, 0.55], EarlyStopping(monitor: "val_accuracy", patience: 2)) == nil)
}

@Test func earlyStoppingIgnoresChecksWithinStartFromStep() throws {
    // Checks at steps 2, 4, 6, 8, ...: with start_from_step 4 the first two neither set the best nor
    // use up patience, so the rising values at steps 2 and 4 do not stop a patience-2 run.
    func stopStep(_ values: [Double], _ stopping: EarlyStopping) throws -> Int? {
        let trainer = try makeTrainer(testConfig())
        for value in values {
            trainer.state.globalStep += 2
            stopping.onValidationEnd(trainer, metrics: ["val_loss": value])
            if trainer.state.shouldStop { return trainer.state.globalStep }
        }
        return nil
    }
    #expect(try stopStep([0.5, 0.6, 0.9, 0.8, 0.7], EarlyStopping(patience: 2, startFromStep: 4)) == nil)
    #expect(try stopStep([0.5, 0.6, 0.9, 0.8, 0.7], EarlyStopping(patience: 2)) == 6)
    // The first counted check sets the best; two checks without improvement after it stop.
    #expect(try stopStep([0.5, 0.6, 0.9, 0.95, 0.99], EarlyStopping(patience: 2, startFromStep: 4)) == 10)
    // NaN still stops at once inside the warm-up.
    #expect(try stopStep([.nan], EarlyStopping(patience: 2, startFromStep: 4)) == 2)
    let config = try FledgeConfig.load(yaml: minimalYAML + "\ntraining: {early_stopping: {patience: 2, start_from_step: 50}}\n")
    #expect(config.training.earlyStopping?.startFromStep == 50)
    #expect(throws: ConfigError.self) {
        try FledgeConfig.load(yaml: minimalYAML + "\ntraining: {early_stopping: {start_from_step: -1}}\n")
    }
}

@Test func earlyStoppingStopsOnNonFiniteOrDivergingValues() throws {
    let finite = EarlyStopping(patience: 10)
    #expect(try stopCheck([1, .nan], finite) == 2)
    #expect(try stopCheck([1, .nan], EarlyStopping(patience: 10, checkFinite: false)) == nil)
    #expect(try stopCheck([1, 2, 12], EarlyStopping(patience: 10, divergenceThreshold: 10)) == 3)
    let trainer = try makeTrainer(testConfig())
    EarlyStopping(patience: 1).onValidationEnd(trainer, metrics: ["val_loss": .infinity])
    #expect(trainer.state.stopReason == "early stopping: val_loss is inf")
}

@Test func earlyStoppingEndsARealRunAndKeepsItsStateInCheckpoints() throws {
    let stopping = EarlyStopping(monitor: "val_loss", patience: 1, minDelta: 10)
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 10 }, callbacks: [stopping, ModelCheckpoint(strategy: .epoch)])
    let result = try trainer.fit()
    // The first check sets the best; no later one improves by 10, so the second check stops.
    #expect(result.globalStep == 12)
    #expect(result.stopReason?.contains("did not improve for 1 validation checks") == true)
    let saved = try Checkpoint.read(from: Checkpoint.resolve("last", checkpointsDirectory: trainer.runDirectory!.checkpointsDirectory))
    #expect(saved.state.callbacks["early_stopping"]?["wait"] == .number(1))
}

/// The names in a run's checkpoints directory, without the pointer.
private func checkpointNames(_ trainer: Trainer) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: trainer.runDirectory!.checkpointsDirectory.path)
        .filter { $0 != Checkpoint.lastPointerFile }.sorted()
}

@Test func modelCheckpointKeepsBestAndRollingSetsApart() throws {
    let checkpoint = ModelCheckpoint(strategy: .best, saveTopK: 2, saveTotalLimit: 2, saveLast: true)
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 6 }, callbacks: [checkpoint])
    try trainer.fit()
    let names = try checkpointNames(trainer)
    #expect(names.filter { $0.hasPrefix("checkpoint-") } == ["checkpoint-30", "checkpoint-36"])
    #expect(names.filter { $0.hasPrefix("best-") }.count == 2)
    #expect(checkpoint.best.count == 2)
    #expect(checkpoint.best[0].value <= checkpoint.best[1].value)
    #expect(trainer.state.bestCheckpoint?.hasSuffix(checkpoint.best[0].name) == true)
    #expect(trainer.state.bestMetric == checkpoint.best[0].value)
    let last = try Checkpoint.resolve("last", checkpointsDirectory: trainer.runDirectory!.checkpointsDirectory)
    #expect(last.lastPathComponent == "checkpoint-36")
}

@Test func modelCheckpointStepsAndEpochIntervals() throws {
    let steps = try makeTrainer(testConfig { $0.training.epochs = 2 },
                                callbacks: [ModelCheckpoint(strategy: .steps, saveSteps: 4, saveLast: false)])
    try steps.fit()
    #expect(try checkpointNames(steps) == ["checkpoint-12", "checkpoint-4", "checkpoint-8"])
    let epochs = try makeTrainer(testConfig { $0.training.epochs = 4 },
                                 callbacks: [ModelCheckpoint(strategy: .epoch, checkpointInterval: 2, saveLast: false)])
    try epochs.fit()
    #expect(try checkpointNames(epochs) == ["checkpoint-12", "checkpoint-24"])
    let none = try makeTrainer(testConfig(), callbacks: [ModelCheckpoint(strategy: .no, saveLast: false)])
    try none.fit()
    #expect(try checkpointNames(none).isEmpty)
}

@Test func weightsOnlyCheckpointsHoldNoOptimizerState() throws {
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 1 },
                                  callbacks: [ModelCheckpoint(strategy: .epoch, saveLast: false, weightsOnly: true)])
    try trainer.fit()
    let directory = trainer.runDirectory!.checkpointsDirectory.appendingPathComponent("checkpoint-6")
    #expect(try Checkpoint.read(from: directory).state.weightsOnly)
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(Checkpoint.optimizerFile).path))
}

@Test func loadBestModelAtEndRestoresTheBestWeights() throws {
    let checkpoint = ModelCheckpoint(strategy: .best, saveTopK: 1, saveLast: false)
    let trainer = try makeTrainer(testConfig {
        $0.training.epochs = 8
        $0.training.loadBestModelAtEnd = true
    }, callbacks: [checkpoint])
    try trainer.fit()
    let best = try #require(trainer.state.bestCheckpoint)
    let saved = try SafeTensorsReader.weights(at: URL(fileURLWithPath: best))
    #expect(bitPatterns(trainer.model) == saved)
    let measured = try trainer.evaluate(split: .validation)["loss"]!
    #expect(abs(measured - trainer.state.bestMetric!) < 1e-9)
    #expect(trainer.state.validationMetrics["val_loss"] == measured)
}

@Test func metricsLoggerWritesOneJSONObjectPerEntry() throws {
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 2 }, callbacks: [MetricsLogger(), LearningRateMonitor()])
    try trainer.fit()
    let lines = try String(contentsOf: trainer.runDirectory!.metricsFile, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == trainer.state.logHistory.count)
    let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    let epochEnd = try #require(objects.first { $0["val_loss"] != nil })
    for key in ["step", "epoch", "lr", "train_loss", "val_loss", "val_accuracy"] { #expect(epochEnd[key] != nil) }
    #expect(objects.contains { $0["samples_per_second"] != nil })
}

@Test func progressPrinterWritesTimestampedLines() throws {
    let lines = LineCollector()
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 1 },
                                  callbacks: [ProgressPrinter(write: { lines.append($0) })])
    try trainer.fit()
    let all = lines.lines
    #expect(all.first?.contains("training 1 epochs, 6 batches per epoch") == true)
    #expect(all.allSatisfy { $0.hasPrefix("[20") })
    #expect(all.contains { $0.contains("val_loss") })
    #expect(all.last?.contains("finished at step 6") == true)
}

/// Collects printed lines (the printer's closure must be Sendable).
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}

/// Reads a checkpoint's model weights as bit patterns.
enum SafeTensorsReader {
    static func weights(at checkpoint: URL) throws -> [String: [UInt32]] {
        try FledgeNN.SafeTensors.read(from: checkpoint.appendingPathComponent(Checkpoint.modelFile))
            .mapValues { $0.scalars.map(\.bitPattern) }
    }
}
import FledgeNN
