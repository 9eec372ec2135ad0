import Foundation
import Testing
@testable import FledgeTrain

/// Trains `config` silently through the real Trainer and diagnoses the run it wrote.
private func diagnoseRun(_ config: FledgeConfig) throws -> TrainingDiagnosis {
    let trainer = try Trainer(config: config, model: nil, progress: nil)
    _ = try? trainer.fit()  // a diverging run may stop with an error; its metrics.jsonl is what counts
    let run = try #require(trainer.runDirectory)
    #expect(FileManager.default.fileExists(atPath: run.root.appendingPathComponent(TrainingBaseline.fileName).path))
    return try TrainingDiagnosis.diagnose(run: run)
}

@Test func bigUnregularisedMLPOnAFewDigitsIsDiagnosedOverfitting() throws {
    // 32 training rows (two fixed batches), 2×128 units, no dropout or decay, 60 epochs at 1e-2:
    // validation loss is best around epoch 5 and about doubles by the end (a wide margin over the 5% rule).
    let diagnosis = try diagnoseRun(fixtureConfig("digits", task: .multiclass) {
        $0.model.layers = [128, 128]
        $0.training.epochs = 60
        $0.training.batchSize = 16
        $0.training.shuffle = false
        $0.training.limitTrainBatches = .count(2)
        $0.training.learningRate = 1e-2
    })
    #expect(diagnosis.verdict == .overfitting, "\(diagnosis.text())")
    #expect(diagnosis.remedies.contains { $0.configKey == "model.dropout" })
}

@Test func oneUnitModelOnDigitsIsDiagnosedUnderfitting() throws {
    let diagnosis = try diagnoseRun(fixtureConfig("digits", task: .multiclass) {
        $0.model.layers = [1]
        $0.training.epochs = 8
        $0.training.learningRate = 1e-2
    })
    #expect(diagnosis.verdict == .underfitting, "\(diagnosis.text())")
    #expect(diagnosis.remedies.contains { $0.configKey == "model.layers" })
}

@Test func hugeSGDLearningRateIsDiagnosedDiverging() throws {
    let diagnosis = try diagnoseRun(fixtureConfig("diabetes", task: .regression) {
        $0.training.optimizer = .sgd
        $0.training.learningRate = 5
        $0.training.epochs = 3
        $0.training.logEveryNSteps = 1
    })
    #expect(diagnosis.verdict == .diverging, "\(diagnosis.text())")
    #expect(diagnosis.remedies.first?.configKey == "training.learning_rate")
}

@Test func tinyLearningRateIsDiagnosedTooLow() throws {
    let diagnosis = try diagnoseRun(fixtureConfig("breast_cancer", task: .binary) {
        $0.training.learningRate = 1e-7
        $0.training.epochs = 3
    })
    #expect(diagnosis.verdict == .learningRateTooLow, "\(diagnosis.text())")
}
