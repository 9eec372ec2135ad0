import FledgeMetrics
import FledgeTensor
import FledgeTestSupport
import Foundation
import Testing

/// Every factory metric against scikit-learn (scripts/reference/golden_metrics.py), fed in several
/// batch splits: streaming must give the same value however the data is cut.
struct MetricGoldenTests {
    let file: GoldenFile
    /// Ranking-at-K cases (scripts/reference/golden_ranking.py): recommendation and multilabel.
    let ranking: GoldenFile

    init() throws {
        file = try GoldenFile.load("metrics")
        ranking = try GoldenFile.load("ranking")
    }

    /// Batch sizes to cut each case into: one batch, single rows, uneven pieces.
    static let splits: [[Int]] = [[Int.max], [1], [7], [3, 1, 11, 2]]

    /// Feeds `scores`/`targets` to `metric` in pieces of the given sizes (cycled) and computes.
    private func streamed(_ metric: any Metric, scores: Tensor, targets: Tensor, sizes: [Int]) -> Double {
        metric.reset()
        let rows = scores.shape[0]
        var start = 0, piece = 0
        while start < rows {
            let end = Swift.min(rows, start + Swift.min(sizes[piece % sizes.count], rows))
            metric.update(scores: scores.sliced(axis: 0, range: start..<end),
                          targets: targets.sliced(axis: 0, range: start..<end))
            start = end
            piece += 1
        }
        return metric.compute()
    }

    private func checkTask(_ task: MetricTask) throws {
        let cases = (file.cases + ranking.cases).filter { $0.name.hasPrefix("\(task.rawValue)/") }
        #expect(!cases.isEmpty)
        for golden in cases {
            let classCount = Int(golden.attributes["class_count"]!.number!)
            let scores = golden.input("scores").tensor, targets = golden.input("targets").tensor
            for (name, expected) in golden.outputs.sorted(by: { $0.key < $1.key }) {
                let metric = try MetricFactory.make(name: name, task: task, classCount: classCount)
                let reference = Double(expected.values[0])
                for sizes in Self.splits {
                    let value = streamed(metric, scores: scores, targets: targets, sizes: sizes)
                    // 1e-6 relative: the reference was stored as Float32 (6e-8); everything here sums in Double.
                    #expect(value == reference || Swift.abs(value - reference) <= 1e-6 * Swift.abs(reference),
                            "\(golden.name) \(name) split \(sizes): \(value) vs sklearn \(reference)")
                }
            }
        }
    }

    @Test func binaryMetricsMatchScikitLearn() throws { try checkTask(.binary) }
    @Test func multiclassMetricsMatchScikitLearn() throws { try checkTask(.multiclass) }
    @Test func multilabelMetricsMatchScikitLearn() throws { try checkTask(.multilabel) }
    @Test func regressionMetricsMatchScikitLearn() throws { try checkTask(.regression) }
    @Test func recommendationMetricsMatchScikitLearnAndTheReference() throws { try checkTask(.recommendation) }

    @Test func everyFactoryNameIsCoveredByTheFixture() {
        for task in MetricTask.allCases {
            let covered = Set((file.cases + ranking.cases).filter { $0.name.hasPrefix("\(task.rawValue)/") }
                .flatMap { $0.outputs.keys })
            #expect(Set(MetricFactory.names(for: task)).isSubset(of: covered), "\(task)")
        }
    }
}
