import FledgeNN
import FledgeOptim
import Foundation
import Testing
@testable import FledgeTrain

/// Trains `config` straight through, then again stopped after `stopStep` and resumed from `last`
/// by a new trainer; returns both final weights as bit patterns.
private func straightAndResumed(_ config: FledgeConfig, stopStep: Int, resumeWith reference: String = "last")
    throws -> (straight: [String: [UInt32]], resumed: [String: [UInt32]], resumedTrainer: Trainer)
{
    func callbacks() -> [any Callback] {
        [EarlyStopping(patience: 100), MetricsLogger(), ModelCheckpoint(strategy: .steps, saveSteps: 5, saveLast: true)]
    }
    var straightConfig = config
    straightConfig.experiment.runId = "straight"
    let straight = try makeTrainer(straightConfig, callbacks: callbacks())
    try straight.fit()

    let first = try makeTrainer(config, callbacks: [StopAtStep(stopStep)] + callbacks())
    try first.fit()
    #expect(first.state.globalStep == stopStep)
    let second = try makeTrainer(config, callbacks: callbacks())
    try second.fit(resumeFrom: reference)
    #expect(second.state.globalStep == straight.state.globalStep)
    return (bitPatterns(straight.model), bitPatterns(second.model), second)
}

@Test func resumeContinuesBitForBit() throws {
    // 96 rows / 16 = 6 batches per epoch, 3 epochs = 18 steps; stop mid-epoch 2 at step 8.
    let config = testConfig {
        $0.training.epochs = 3
        $0.training.evalStrategy = .steps
        $0.training.evalSteps = 4
    }
    let (straight, resumed, trainer) = try straightAndResumed(config, stopStep: 8)
    #expect(straight == resumed)
    // metrics.jsonl reads as one run: no step logged twice.
    let lines = try String(contentsOf: trainer.runDirectory!.metricsFile, encoding: .utf8).split(separator: "\n")
    let steps = lines.compactMap { line -> Int? in
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["step"] as? Int
    }
    #expect(steps == steps.sorted())
    #expect(steps.last == 18)
}

@Test func resumeAtAnEpochBoundaryWithAccumulationIsExact() throws {
    // 6 batches, accumulation 4: steps after batches 4 and 6 (partial cycle), so 2 steps per epoch.
    let config = testConfig {
        $0.training.epochs = 4
        $0.training.gradientAccumulationSteps = 4
        $0.training.gradientClipVal = 0.5
    }
    let (straight, resumed, _) = try straightAndResumed(config, stopStep: 4)
    #expect(straight == resumed)
}

@Test func resumeFromAnExplicitCheckpointDirectory() throws {
    let config = testConfig { $0.training.epochs = 2 }
    let runs = URL(fileURLWithPath: config.experiment.experimentDir)
    let checkpoint = runs.appendingPathComponent("run/checkpoints/checkpoint-5").path
    let (straight, resumed, _) = try straightAndResumed(config, stopStep: 7, resumeWith: checkpoint)
    #expect(straight == resumed)
}

@Test func resumingWithADifferentDataOrderIsRefused() throws {
    let config = testConfig { $0.training.epochs = 1 }
    try makeTrainer(config, callbacks: [ModelCheckpoint(strategy: .epoch)]).fit()
    var changed = config
    changed.training.batchSize = 8
    changed.training.epochs = 2
    do {
        try makeTrainer(changed).fit(resumeFrom: "last")
        Issue.record("a resume with another batch size was accepted")
    } catch let error as CheckpointError {
        #expect(error.description.contains("batch_size=16"))
        #expect(error.description.contains("resume with the same data"))
    }
}

@Test func resumeLastWithoutRunIDContinuesTheNewestRun() throws {
    let config = testConfig {
        $0.experiment.runId = nil
        $0.training.epochs = 2
    }
    let first = try makeTrainer(config, callbacks: [StopAtStep(3), ModelCheckpoint(strategy: .steps, saveSteps: 3)])
    try first.fit()
    let second = try makeTrainer(config)
    try second.fit(resumeFrom: "last")
    #expect(second.runDirectory == first.runDirectory)
    #expect(second.state.globalStep == 12)
}
