import FledgeTensor
import Foundation
import Testing
@testable import FledgeTrain

/// Epoch entries with the given training and validation losses (nil: no validation).
private func history(train: [Double], validation: [Double]? = nil) -> [LogEntry] {
    train.indices.map { index in
        var values = ["train_loss": train[index]]
        if let validation { values["val_loss"] = validation[index] }
        return LogEntry(step: (index + 1) * 10, epoch: index, learningRate: 0.01, values: values)
    }
}

private let binaryBaseline = TrainingBaseline(task: "binary", loss: 0.69, accuracy: 0.5, description: "test")

@Test func healthyCurvesAreHealthy() {
    let d = TrainingDiagnosis.diagnose(history: history(train: [0.6, 0.4, 0.3, 0.25, 0.2], validation: [0.6, 0.45, 0.35, 0.3, 0.28]),
                                       baseline: binaryBaseline)
    #expect(d.verdict == .healthy)
    #expect(d.remedies.isEmpty)
}

@Test func nanLossIsDivergingAndNamesTheLearningRate() {
    let d = TrainingDiagnosis.diagnose(history: history(train: [0.6, 3, .nan]), baseline: binaryBaseline)
    #expect(d.verdict == .diverging)
    #expect(d.remedies.contains { $0.configKey == "training.learning_rate" })
    #expect(d.text().contains("NaN"))
}

@Test func growingLossIsDivergingOnlyPastTheGrowthThreshold() {
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.6, 0.7, 0.95]), baseline: nil).verdict == .diverging)
    // 1.4× the first is below the 1.5× threshold and the best was the first: not diverging.
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.6, 0.7, 0.84]), baseline: nil).verdict != .diverging)
    // Fell to 0.2 then climbed to 0.65 (> first and > 1.5× best): diverging.
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.6, 0.2, 0.65]), baseline: nil).verdict == .diverging)
}

@Test func flatLossMeansLearningRateTooLowAtTheFivePercentEdge() {
    let flat = TrainingDiagnosis.diagnose(history: history(train: [0.69, 0.68, 0.67]), baseline: binaryBaseline)
    #expect(flat.verdict == .learningRateTooLow)
    #expect(flat.remedies.first?.configKey == "training.learning_rate")
    // Two values are too few to blame the learning rate.
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.69, 0.68]), baseline: binaryBaseline).verdict == .underfitting)
    // 6% better is enough movement.
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.5, 0.48, 0.47]), baseline: binaryBaseline).verdict != .learningRateTooLow)
}

@Test func overfittingNeedsKRisingChecksWhileTrainingFalls() {
    let train = [0.6, 0.4, 0.3, 0.2, 0.1, 0.05]
    let overfit = TrainingDiagnosis.diagnose(history: history(train: train, validation: [0.6, 0.45, 0.4, 0.45, 0.5, 0.6]), baseline: binaryBaseline)
    #expect(overfit.verdict == .overfitting)
    #expect(overfit.evidence.joined().contains("gap"))
    #expect(overfit.remedies.map(\.configKey).contains("model.dropout"))
    #expect(overfit.remedies.map(\.configKey).contains("training.early_stopping"))
    // Only two checks after the best: not yet.
    let early = TrainingDiagnosis.diagnose(history: history(train: train, validation: [0.6, 0.45, 0.4, 0.35, 0.5, 0.6]), baseline: binaryBaseline)
    #expect(early.verdict != .overfitting)
    // Validation up but training up too: not overfitting.
    let both = TrainingDiagnosis.diagnose(history: history(train: [0.6, 0.4, 0.3, 0.32, 0.34, 0.36], validation: [0.6, 0.45, 0.4, 0.45, 0.5, 0.6]), baseline: binaryBaseline)
    #expect(both.verdict != .overfitting)
}

@Test func highLossesNextToTheBaselineAreUnderfitting() {
    let d = TrainingDiagnosis.diagnose(history: history(train: [0.68, 0.6, 0.5, 0.49, 0.49], validation: [0.68, 0.6, 0.52, 0.5, 0.5]), baseline: binaryBaseline)
    #expect(d.verdict == .underfitting)  // 0.49 ≥ 0.6 × 0.69
    #expect(d.remedies.contains { $0.configKey == "model.layers" })
    let fine = TrainingDiagnosis.diagnose(history: history(train: [0.68, 0.6, 0.5, 0.4, 0.39], validation: [0.68, 0.6, 0.52, 0.41, 0.4]), baseline: binaryBaseline)
    #expect(fine.verdict == .healthy)  // 0.39 < 0.414
    // Without a baseline underfitting is not judged.
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.68, 0.6, 0.5, 0.49, 0.49]), baseline: nil).verdict == .healthy)
}

@Test func zigZagValidationIsNoisy() {
    let d = TrainingDiagnosis.diagnose(history: history(train: [0.6, 0.4, 0.3, 0.25, 0.22, 0.2],
                                                        validation: [0.4, 0.3, 0.4, 0.28, 0.38, 0.27]), baseline: binaryBaseline)
    #expect(d.verdict == .noisy)
    #expect(d.remedies.contains { $0.configKey == "training.batch_size" })
}

@Test func tooFewEntriesAreInsufficient() {
    #expect(TrainingDiagnosis.diagnose(history: history(train: [0.6]), baseline: nil).verdict == .insufficientData)
}

@Test func baselinesComeFromTheLabels() {
    let classes = TrainingBaseline(targets: .classes(IndexTensor(shape: [4], indices: [0, 0, 0, 1])), task: .multiclass)
    #expect(abs(classes.loss - (-(0.75 * log(0.75) + 0.25 * log(0.25)))) < 1e-9)
    #expect(classes.accuracy == 0.75)
    let regression = TrainingBaseline(targets: .floats(Tensor(shape: [4, 1], values: [1, 2, 3, 4])), task: .regression)
    #expect(abs(regression.loss - 1.25) < 1e-9)
    #expect(regression.accuracy == nil)
}
