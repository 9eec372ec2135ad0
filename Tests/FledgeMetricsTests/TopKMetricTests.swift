import FledgeMetrics
import FledgeTensor
import Foundation
import Testing

/// Ranking-at-K metrics on rows small enough to rank by hand, and the factory's parsing of K.
struct TopKMetricTests {
    /// Ranked 0, 1, 2, 3, 4; items 1 and 3 are relevant (ranks 2 and 4).
    let scores = Tensor([[0.9, 0.8, 0.7, 0.6, 0.5]])
    let targets = Tensor([[0, 1, 0, 1, 0]])

    private func value(_ name: String, _ scores: Tensor, _ targets: Tensor) throws -> Double {
        let metric = try MetricFactory.make(name: name, task: .recommendation, classCount: scores.shape[1])
        metric.update(scores: scores, targets: targets)
        return metric.compute()
    }

    @Test func handRankedRowGivesTheTextbookValues() throws {
        let expected: [String: Double] = [
            "precision@1": 0, "precision@2": 0.5, "precision@4": 0.5, "precision@5": 0.4,
            "recall@1": 0, "recall@2": 0.5, "recall@4": 1,
            "hit_rate@1": 0, "hit_rate@2": 1,
            "map@3": (1.0 / 2) / 2,                 // one hit at rank 2, normalised by min(3, 2)
            "map@5": (1.0 / 2 + 2.0 / 4) / 2,
            "mrr": 0.5, "mrr@1": 0, "mrr@2": 0.5,
            "ndcg@3": (1 / log2(3.0)) / (1 + 1 / log2(3.0)),
            "ndcg@5": (1 / log2(3.0) + 1 / log2(5.0)) / (1 + 1 / log2(3.0)),
        ]
        for (name, want) in expected {
            #expect(Swift.abs(try value(name, scores, targets) - want) < 1e-12, "\(name)")
        }
    }

    @Test func mapIsNormalisedByTheMostHitsTheTopKCanHold() throws {
        // Three relevant items ranked first: a perfect top 2 scores 1, not 2/3.
        let perfect = Tensor([[0.9, 0.8, 0.7, 0.1]]), relevant = Tensor([[1, 1, 1, 0]])
        #expect(try value("map@2", perfect, relevant) == 1)
        #expect(try value("recall@2", perfect, relevant) == 2.0 / 3)
        #expect(try value("precision@10", perfect, relevant) == 3.0 / 4)  // K capped at the 4 items
    }

    @Test func tiesRankTheLowerItemIndexFirst() throws {
        let tied = Tensor([[0.5, 0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5, 0.5]])
        let first = Tensor([[1, 0, 0, 0, 0], [0, 0, 0, 0, 1]])
        #expect(try value("mrr", tied, first) == (1 + 0.2) / 2)
        #expect(try value("hit_rate@1", tied, first) == 0.5)
        #expect(try value("precision@4", tied, first) == 0.25 / 2)
    }

    @Test func nanScoresRankLast() throws {
        let scores = Tensor([[Float.nan, 0.1, 0.2]]), targets = Tensor([[1, 0, 0]])
        #expect(try value("mrr", scores, targets) == 1.0 / 3)
        #expect(try value("hit_rate@2", scores, targets) == 0)
    }

    @Test func rowsWithoutRelevantItemsAreSkippedAndCounted() throws {
        let metric = TopKMetric(.recall, k: 2, itemCount: 5)
        metric.update(scores: Tensor([[0.9, 0.8, 0.7, 0.6, 0.5], [0.1, 0.2, 0.3, 0.4, 0.5]]),
                      targets: Tensor([[0, 1, 0, 1, 0], [0, 0, 0, 0, 0]]))
        #expect(metric.compute() == 0.5)
        #expect(metric.evaluatedRows == 1 && metric.skippedRows == 1)
        metric.reset()
        metric.update(scores: Tensor([[0.1, 0.2, 0.3, 0.4, 0.5]]), targets: Tensor([[0, 0, 0, 0, 0]]))
        #expect(metric.compute().isNaN)
    }

    @Test func factoryParsesTheCutOffFromTheName() throws {
        let ndcg = try MetricFactory.make(name: "NDCG@7", task: .recommendation, classCount: 20)
        #expect((ndcg as? TopKMetric)?.k == 7 && ndcg.name == "ndcg@7" && ndcg.higherIsBetter)
        #expect((try MetricFactory.make(name: "mrr", task: .recommendation, classCount: 20) as? TopKMetric)?.k == nil)
        #expect(try MetricFactory.make(name: "hit_rate@3", task: .multilabel, classCount: 4).name == "hit_rate@3")
        for bad in ["ndcg@0", "ndcg@", "ndcg@-1", "ndcg@x", "ndcg", "precision", "auroc", "top@10", "ndcg@10@2"] {
            #expect(throws: MetricError.self, "\(bad)") { try MetricFactory.make(name: bad, task: .recommendation, classCount: 5) }
        }
        #expect(throws: MetricError.self) { try MetricFactory.make(name: "recall@10", task: .binary, classCount: 2) }
        do {
            _ = try MetricFactory.make(name: "ndcg@0", task: .recommendation, classCount: 5)
        } catch {
            #expect(String(describing: error).contains("ndcg@<K>"))
        }
    }

    @Test func perClassRecallIsReportedForEveryClass() throws {
        // Truth 0,0,1,2,2,2; predicted 0,1,1,2,0,2: recall per class 1/2, 1, 2/3.
        let scores = Tensor([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1],
                             [0.1, 0.1, 0.8], [0.6, 0.2, 0.2], [0.0, 0.1, 0.9]])
        let targets = Tensor([0, 0, 1, 2, 2, 2])
        let recall = ClassificationScore(.recall, average: .macro, task: .multiclass, classCount: 4)
        recall.update(scores: Tensor([[0.8, 0.1, 0.1, 0], [0.2, 0.7, 0.1, 0], [0.1, 0.8, 0.1, 0],
                                      [0.1, 0.1, 0.8, 0], [0.6, 0.2, 0.2, 0], [0.0, 0.1, 0.9, 0]]), targets: targets)
        #expect(recall.perClass() == [0.5, 1, 2.0 / 3, 0])  // class 3 never occurs: 0, as average=None
        let names = MetricFactory.perClassNames(.recall, classCount: 3)
        #expect(names == ["recall_class_0", "recall_class_1", "recall_class_2"])
        for (name, want) in zip(names, [0.5, 1, 2.0 / 3]) {
            let metric = try MetricFactory.make(name: name, task: .multiclass, classCount: 3)
            metric.update(scores: scores, targets: targets)
            #expect(metric.compute() == want, "\(name)")
        }
        #expect(throws: MetricError.self) { try MetricFactory.make(name: "recall_class_3", task: .multiclass, classCount: 3) }
        #expect(throws: MetricError.self) { try MetricFactory.make(name: "recall_class_0", task: .binary, classCount: 2) }
    }
}
