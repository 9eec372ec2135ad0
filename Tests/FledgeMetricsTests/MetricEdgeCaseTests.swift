import FledgeMetrics
import FledgeTensor
import Foundation
import Testing

/// Where scikit-learn raises or warns, what Fledge answers instead, and state handling.
struct MetricEdgeCaseTests {
    @Test func everyMetricIsNaNBeforeAnySample() throws {
        for task in MetricTask.allCases {
            for name in MetricFactory.names(for: task) {
                #expect(try MetricFactory.make(name: name, task: task, classCount: 3).compute().isNaN, "\(task) \(name)")
            }
        }
    }

    @Test func aurocIsNaNWithOneClassInTheTruth() {
        let auroc = RankingMetric(.auroc, task: .binary)
        auroc.update(scores: Tensor([0.2, 0.9]), targets: Tensor([1, 1]))
        #expect(auroc.compute().isNaN)
        auroc.update(scores: Tensor([0.5]), targets: Tensor([0]))
        #expect(auroc.compute() == 0.5)  // one negative between the two positives
    }

    @Test func tiedScoresCountHalf() {
        let auroc = RankingMetric(.auroc, task: .binary)
        auroc.update(scores: Tensor([0.7, 0.7, 0.7, 0.7]), targets: Tensor([1, 0, 1, 0]))
        #expect(auroc.compute() == 0.5)
    }

    @Test func oneVsRestSkipsClassesWithoutPositives() {
        // Class 2 never occurs; the mean runs over classes 0 and 1, each perfectly ranked.
        let auroc = RankingMetric(.auroc, task: .multiclass, classCount: 3)
        let average = RankingMetric(.averagePrecision, task: .multiclass, classCount: 3)
        for metric in [auroc, average] {
            metric.update(scores: Tensor([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1]]), targets: Tensor([0, 1, 0]))
            #expect(metric.compute() == 1)
        }
    }

    @Test func rSquaredOfConstantTargetsIsOneOnlyWhenExact() {
        let r2 = RegressionMetric(.r2)
        r2.update(scores: Tensor([2, 2]), targets: Tensor([2, 2]))
        #expect(r2.compute() == 1)
        r2.update(scores: Tensor([3]), targets: Tensor([2]))
        #expect(r2.compute() == 0)
        r2.reset()
        r2.update(scores: Tensor([1]), targets: Tensor([2]))
        #expect(r2.compute().isNaN)  // one sample: undefined, as scikit-learn
    }

    @Test func rSquaredStaysAccurateFarFromZero() {
        // Targets 1e6 + {0, 1, 2}: the naive Σy² − (Σy)²/n would lose most digits here.
        let r2 = RegressionMetric(.r2)
        r2.update(scores: Tensor([1e6, 1e6 + 1]), targets: Tensor([1e6, 1e6 + 1]))
        r2.update(scores: Tensor([1e6 + 1]), targets: Tensor([1e6 + 2]))
        #expect(Swift.abs(r2.compute() - 0.5) < 1e-12)  // residual 1, total 2
    }

    @Test func logLossClipsCertainMistakes() {
        let loss = LogLoss(task: .binary)
        loss.update(scores: Tensor([1, 0]), targets: Tensor([0, 1]))
        #expect(Swift.abs(loss.compute() + Foundation.log(Double.ulpOfOne)) < 1e-9)
    }

    @Test func resetStartsOver() {
        let f1 = ClassificationScore(.f1, average: .macro, task: .multiclass, classCount: 3)
        f1.update(scores: Tensor([[0.1, 0.8, 0.1]]), targets: Tensor([2]))
        #expect(f1.compute() == 0)
        f1.reset()
        f1.update(scores: Tensor([[0.1, 0.8, 0.1]]), targets: Tensor([1]))
        #expect(f1.compute() == 1)
    }

    @Test func classIndexTargetsAreAccepted() {
        let accuracy = Accuracy(task: .multiclass, classCount: 3)
        accuracy.update(scores: Tensor([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]]), classTargets: IndexTensor([1, 2]))
        #expect(accuracy.compute() == 0.5)
    }

    @Test func binaryScoresMayBeAColumn() {
        let accuracy = Accuracy(task: .binary)
        accuracy.update(scores: Tensor([[0.9], [0.1]]), targets: Tensor([[1], [1]]))
        #expect(accuracy.compute() == 0.5)
    }

    @Test func binaryAverageOnAMulticlassTaskTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ClassificationScore(.f1, average: .binary, task: .multiclass, classCount: 3)
        }
    }
}
