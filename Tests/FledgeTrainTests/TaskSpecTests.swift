import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeTensor
import Testing
@testable import FledgeTrain

private let logits2 = Tensor(shape: [3, 2], values: [0.5, -1, 2, 0.25, -0.5, 1.5])

@Test func outputSizesComeFromTheData() throws {
    #expect(try TaskSpec(kind: .binary, outputCount: 7).outputSize == 1)
    #expect(try TaskSpec(kind: .multiclass, outputCount: 10).outputSize == 10)
    #expect(try TaskSpec(kind: .multilabel, outputCount: 3).outputSize == 3)
    #expect(try TaskSpec(kind: .regression).outputSize == 1)
    #expect(throws: ConfigError.self) { try TaskSpec(kind: .multiclass, outputCount: 1) }
}

@Test func defaultLossesAndMetricTasksFollowTheTask() throws {
    for kind in TaskKind.allCases {
        let task = try TaskSpec(kind: kind, outputCount: 3)
        #expect(task.lossKind == kind.defaultLoss)
        #expect(task.metricTask.rawValue == kind.rawValue)
        #expect(!task.defaultMetrics.isEmpty)
    }
}

@Test func lossesMatchFledgeNN() throws {
    let binary = try TaskSpec(kind: .binary)
    let binaryLogits = Tensor(shape: [3, 1], values: [0.5, -1, 2])
    let flags = Tensor(shape: [3], values: [1, 0, 1])
    #expect(binary.loss(logits: binaryLogits, targets: flags).scalars
        == binaryCrossEntropyWithLogits(binaryLogits, flags.reshaped([3, 1])).scalars)

    let multiclass = try TaskSpec(kind: .multiclass, outputCount: 2)
    let classes = Tensor(shape: [3], values: [1, 0, 1])
    let expected = crossEntropy(logits2, targets: IndexTensor([1, 0, 1])).scalars
    #expect(multiclass.loss(logits: logits2, targets: classes).scalars == expected)
    #expect(multiclass.loss(logits: logits2, classTargets: IndexTensor([1, 0, 1])).scalars == expected)

    let labels = Tensor(shape: [3, 2], values: [1, 0, 0, 1, 1, 1])
    var multilabel = try TaskSpec(kind: .multilabel, outputCount: 2)
    #expect(multilabel.loss(logits: logits2, targets: labels).scalars == binaryCrossEntropyWithLogits(logits2, labels).scalars)
    try multilabel.setLoss(.multilabelSoftMargin)
    #expect(multilabel.loss(logits: logits2, targets: labels).scalars == multilabelSoftMarginLoss(logits2, labels).scalars)

    var regression = try TaskSpec(kind: .regression, outputCount: 2)
    #expect(regression.loss(logits: logits2, targets: labels).scalars == mseLoss(logits2, labels).scalars)
    try regression.setLoss(.l1)
    #expect(regression.loss(logits: logits2, targets: labels).scalars == l1Loss(logits2, labels).scalars)
    try regression.setLoss(.huber)
    regression.huberDelta = 0.5
    #expect(regression.loss(logits: logits2, targets: labels).scalars == huberLoss(logits2, labels, delta: 0.5).scalars)
}

@Test func aLossThatDoesNotFitTheTaskIsRejected() throws {
    var task = try TaskSpec(kind: .regression)
    #expect(throws: ConfigError.self) { try task.setLoss(.crossEntropy) }
    #expect(throws: ConfigError.self) { try TaskSpec(kind: .binary, loss: .mse) }
}

@Test func aClosureReplacesTheLoss() throws {
    var task = try TaskSpec(kind: .regression, outputCount: 2)
    task.customLoss = { logits, targets in (logits - targets).abs().sum() }
    let targets = Tensor.zeros([3, 2])
    #expect(task.loss(logits: logits2, targets: targets).scalars == [5.75])
}

@Test func taskSpecReadsTheConfig() throws {
    var config = FledgeConfig(task: .regression, trainPath: "t.csv", labelColumn: "y")
    config.training.loss = .huber
    config.training.huberDelta = 2
    let task = try TaskSpec(config: config)
    #expect(task.lossKind == .huber)
    #expect(task.huberDelta == 2)
}

@Test func scoresAndPredictionsPerTask() throws {
    let binary = try TaskSpec(kind: .binary)
    let binaryLogits = Tensor(shape: [3, 1], values: [0.5, -1, 0])
    let probabilities = binary.scores(fromLogits: binaryLogits).scalars
    #expect(abs(probabilities[0] - 0.62245935) < 1e-6 && probabilities[2] == 0.5)
    #expect(binary.predictions(fromLogits: binaryLogits).scalars == [1, 0, 1])
    #expect(binary.predictions(fromLogits: binaryLogits).shape == [3])

    let multiclass = try TaskSpec(kind: .multiclass, outputCount: 2)
    let softmax = multiclass.scores(fromLogits: logits2).scalars
    #expect(abs(softmax[0] + softmax[1] - 1) < 1e-6)
    #expect(multiclass.predictions(fromLogits: logits2).scalars == [0, 0, 1])

    let multilabel = try TaskSpec(kind: .multilabel, outputCount: 2)
    #expect(multilabel.predictions(fromLogits: logits2).scalars == [1, 0, 1, 1, 0, 1])

    let regression = try TaskSpec(kind: .regression, outputCount: 2)
    #expect(regression.predictions(fromLogits: logits2).scalars == logits2.scalars)
}

@Test func scoresFeedFledgeMetrics() throws {
    let task = try TaskSpec(kind: .multiclass, outputCount: 2)
    let metric = try MetricFactory.make(name: "accuracy", task: task.metricTask, classCount: task.metricClassCount)
    metric.update(scores: task.scores(fromLogits: logits2), targets: Tensor(shape: [3], values: [0, 0, 0]))
    #expect(abs(metric.compute() - 2.0 / 3.0) < 1e-12)
}

@Test func fledgeDataTargetsWork() throws {
    let multiclass = try TaskSpec(kind: .multiclass, outputCount: 2)
    let classes = IndexTensor([1, 0, 1])
    #expect(multiclass.loss(logits: logits2, targets: Targets.classes(classes)).scalars
        == crossEntropy(logits2, targets: classes).scalars)
    #expect(TaskSpec.metricTargets(.classes(classes)).scalars == [1, 0, 1])
    let regression = try TaskSpec(kind: .regression, outputCount: 2)
    let values = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
    #expect(regression.loss(logits: logits2, targets: Targets.floats(values)).scalars == mseLoss(logits2, values).scalars)
}
