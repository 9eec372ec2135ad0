import FledgeMetrics
import FledgeTensor

/// The readable metric of pretraining: recall@k of the items decoded from the predicted sketch
/// against the items the entity really has in the target window.
///
/// The trainer hands a metric the network's outputs and the batch targets, which are sketches
/// here; the true items of each validation row are given at creation instead, in row order, and
/// the metric reads them batch by batch (validation runs in order, unshuffled). Rows beyond
/// those given are not scored. Decoding: per-partition softmax, then
/// `BehaviouralRepresentation.itemScores` (the sum of the item's bucket probability over partitions).
public final class NextItemRecall: Metric {
    public let name: String
    public let higherIsBetter = true
    private let representation: BehaviouralRepresentation
    private let itemSets: [[Int]]
    private let recall: TopKMetric
    private var row = 0

    /// A recall@`k` over rows whose true items are `itemSets` (item indices of `representation`).
    public init(k: Int, representation: BehaviouralRepresentation, itemSets: [[Int]]) {
        self.representation = representation
        self.itemSets = itemSets
        recall = TopKMetric(.recall, k: k, itemCount: max(1, representation.items.count))
        name = recall.name
    }

    public func update(scores: Tensor, targets: Tensor) {
        let rows = min(scores.shape[0], itemSets.count - row)
        guard rows > 0 else { return }
        let logits = rows == scores.shape[0] ? scores : scores.sliced(axis: 0, range: 0..<rows)
        let items = representation.itemScores(sketchProbabilities: sketchProbabilities(logits, partitions: representation.partitions))
        var relevant = Tensor.zeros([rows, recall.itemCount])
        relevant.withUnsafeMutableBufferPointer { values in
            for offset in 0..<rows {
                for item in itemSets[row + offset] { values[offset * recall.itemCount + item] = 1 }
            }
        }
        recall.update(scores: items, targets: relevant)
        row += scores.shape[0]
    }

    public func compute() -> Double { recall.compute() }

    public func reset() {
        recall.reset()
        row = 0
    }
}
