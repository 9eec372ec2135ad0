import Foundation
import Testing
@testable import FledgeTrain

@Test func hooksFireInDocumentedOrder() throws {
    // 40 rows / 16 = 3 batches per epoch; 2 epochs; validation every 2 steps and at epoch end;
    // a checkpoint every 3 steps.
    let config = testConfig {
        $0.training.epochs = 2
        $0.training.evalStrategy = .steps
        $0.training.evalSteps = 2
        $0.training.checkpoint.saveStrategy = .steps
        $0.training.checkpoint.saveSteps = 3
        $0.training.checkpoint.saveLast = false
    }
    let recorder = HookRecorder()
    let trainer = try makeTrainer(config, callbacks: [recorder, ModelCheckpoint(strategy: .steps, saveSteps: 3, saveLast: false)],
                                  data: syntheticBinaryData(train: 40, validation: 8))
    try trainer.fit()
    let batch = ["batchStart", "batchEnd"]
    let batchWithValidation = ["batchStart", "valStart", "valEnd", "batchEnd"]
    let expected = ["fitStart",
                    "epochStart"] + batch + batchWithValidation + batch + ["save:checkpoint-3", "epochEnd",
                    "epochStart"] + batchWithValidation + batch + batchWithValidation + ["save:checkpoint-6", "epochEnd",
                    "fitEnd"]
    #expect(recorder.calls == expected)
}

@Test func epochStrategyValidatesBeforeEpochEnd() throws {
    let recorder = HookRecorder()
    let trainer = try makeTrainer(testConfig { $0.training.epochs = 1 }, callbacks: [recorder],
                                  data: syntheticBinaryData(train: 32, validation: 8))
    try trainer.fit()
    #expect(recorder.calls == ["fitStart", "epochStart", "batchStart", "batchEnd", "batchStart", "batchEnd",
                               "valStart", "valEnd", "epochEnd", "fitEnd"])
}
