import FledgeMetrics
import FledgeTensor
import Testing

/// Small hand-checked cases and the factory's contract; the scikit-learn comparisons are in MetricGoldenTests.
struct MetricBasicsTests {
    @Test func binaryAccuracyThresholdsStrictlyAboveHalf() {
        let metric = Accuracy(task: .binary)
        metric.update(scores: Tensor([0.9, 0.5, 0.2, 0.7]), targets: Tensor([1, 0, 1, 0]))
        #expect(metric.compute() == 0.5)
        metric.reset()
        #expect(metric.compute().isNaN)
    }

    @Test func multiclassAccuracyTakesTheFirstLargestOnTies() {
        let metric = Accuracy(task: .multiclass, classCount: 3)
        metric.update(scores: Tensor([[0.4, 0.4, 0.2], [0.1, 0.2, 0.7]]), targets: Tensor([0, 1]))
        #expect(metric.compute() == 0.5)
    }

    @Test func multilabelAccuracyNeedsEveryLabelRight() {
        let metric = Accuracy(task: .multilabel, classCount: 2)
        metric.update(scores: Tensor([[0.9, 0.1], [0.9, 0.9]]), targets: Tensor([[1, 0], [1, 0]]))
        #expect(metric.compute() == 0.5)
    }

    @Test func binaryF1ScoresThePositiveClass() {
        // tp = 1, fp = 1, fn = 1: precision = recall = F1 = 0.5.
        let f1 = try! MetricFactory.make(name: "f1", task: .binary, classCount: 2)
        f1.update(scores: Tensor([0.9, 0.8, 0.1, 0.2]), targets: Tensor([1, 0, 1, 0]))
        #expect(f1.compute() == 0.5)
        #expect(f1.name == "f1" && f1.higherIsBetter)
    }

    @Test func f1WithNothingPredictedOrTrueIsZero() {
        let f1 = ClassificationScore(.f1, average: .binary, task: .binary)
        f1.update(scores: Tensor([0.1, 0.2]), targets: Tensor([0, 0]))
        #expect(f1.compute() == 0)
    }

    @Test func regressionErrorsFromRunningSums() {
        let mse = RegressionMetric(.mse), mae = RegressionMetric(.mae), r2 = RegressionMetric(.r2)
        for metric in [mse, mae, r2] {
            metric.update(scores: Tensor([1, 2]), targets: Tensor([1, 4]))
            metric.update(scores: Tensor([3]), targets: Tensor([3]))
        }
        #expect(mse.compute() == 4.0 / 3)
        #expect(mae.compute() == 2.0 / 3)
        // targets 1, 4, 3: mean 8/3, total sum of squares 14/3; residual 4.
        #expect(Swift.abs(r2.compute() - (1 - 4 / (14.0 / 3))) < 1e-12)
        #expect(!mse.higherIsBetter && r2.higherIsBetter)
    }

    @Test func unknownNameListsTheValidOnes() {
        #expect(throws: MetricError.self) { try MetricFactory.make(name: "f2", task: .binary, classCount: 2) }
        do {
            _ = try MetricFactory.make(name: "mse", task: .multiclass, classCount: 3)
            Issue.record("mse must not be a multiclass metric")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("'mse'") && message.contains("f1_macro") && message.contains("accuracy"))
        }
    }

    @Test func everyListedNameAndDefaultIsBuilt() throws {
        for task in MetricTask.allCases {
            for name in MetricFactory.names(for: task) {
                #expect(try MetricFactory.make(name: name, task: task, classCount: 3).name == name)
            }
            for name in MetricFactory.defaults(for: task) {
                #expect(MetricFactory.names(for: task).contains(name), "\(task) default \(name)")
            }
        }
    }

    @Test func namesAreCaseInsensitiveAndAliased() throws {
        #expect(try MetricFactory.make(name: "ROC_AUC", task: .binary, classCount: 2).higherIsBetter)
        #expect(try !MetricFactory.make(name: "Log_Loss", task: .binary, classCount: 2).higherIsBetter)
    }

    @Test func badShapesTrap() async {
        await #expect(processExitsWith: .failure) {
            Accuracy(task: .multiclass, classCount: 3).update(scores: Tensor([[0.5, 0.5]]), targets: Tensor([0]))
        }
        await #expect(processExitsWith: .failure) {
            Accuracy(task: .binary).update(scores: Tensor([0.5]), targets: Tensor([2]))
        }
    }
}
