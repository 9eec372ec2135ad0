import FledgeNN
import FledgeTensor
import FledgeTrain

/// A recommendation network whose score for each item adds a term shared by all items to the
/// feature MLP's output: `score_i = mlp(x)_i + 10 · Σ_b w_b · history_{b,i}` (`weightScale`), where `history_{0,i}` is
/// `log(1 + count)` of item `i` in the entity's history and `history_{b,i}` (b ≥ 1) the same count
/// decayed at each recency half-life (`FeatureLayout.ItemHistory`: the last features of the layout).
///
/// The MLP also sees those features, but only through one free weight per (feature, item) pair:
/// 480 items × 3 blocks make 1,440 inputs, each seen non-zero by a handful of training entities,
/// so it cannot learn "a product this customer bought before is likely bought again" for an item it
/// rarely saw repeated. The shared weights `w` (one per block, `item_history_weight`, starting
/// at 0 so training starts from the plain MLP) learn it once for every item.
/// `data_params.item_history_term: true` turns it on (docs/events.md).
///
/// The history values are read from the standardised inputs and mapped back to the feature values
/// (`value · deviation + mean`, the scaler's training statistics), so the term is the same function
/// of the entity's history for every item whatever the item's popularity. No gradient flows from
/// the term into the inputs (they are data).
public final class ItemHistoryNetwork: Layer {
    /// The feature MLP.
    public let base: any Layer
    /// One weight per history block, `[blocks, 1]`.
    public let weight: Parameter
    public var isTraining = true
    /// The first input column of the item history features.
    public let offset: Int
    /// The number of items (outputs).
    public let items: Int
    /// Per-item history blocks: the count, then one per half-life.
    public let blocks: Int
    /// `deviation` and `mean` of each item history input (`blocks × items`, block-major).
    private let deviations: [Float], means: [Float]

    /// Wraps `base`; the item history inputs are the last `blocks × items` of `inputWidth` columns,
    /// standardised with `deviations` / `means` (their training statistics, block-major).
    public init(base: any Layer, inputWidth: Int, items: Int, blocks: Int, deviations: [Float], means: [Float]) {
        precondition(items > 0 && blocks > 0 && items * blocks <= inputWidth,
                     "ItemHistoryNetwork: \(blocks) blocks of \(items) items do not fit in \(inputWidth) inputs")
        precondition(deviations.count == items * blocks && means.count == items * blocks,
                     "ItemHistoryNetwork: \(deviations.count) deviations and \(means.count) means for \(items * blocks) inputs")
        self.base = base
        self.offset = inputWidth - items * blocks
        self.items = items
        self.blocks = blocks
        self.deviations = deviations
        self.means = means
        weight = Parameter(Tensor.zeros([blocks, 1]))
    }

    /// The feature MLP of `model` (as `ModelFactory` makes it from `seed`) with the term over
    /// `layout`'s item history features, read back through `scaler`'s statistics: what
    /// `data_params.item_history_term` trains and what a saved model reloads.
    /// - Throws: `EventsError.invalidSetup` naming `data_params.item_history_term` when the layout has
    ///   no item history features or the inputs are not standardised.
    public static func make(model: ModelConfig, layout: FeatureLayout, scaler: FeatureScaler, outputSize: Int,
                            seed: UInt64) throws -> ItemHistoryNetwork {
        guard let itemHistory = layout.itemHistory, itemHistory.items.count == outputSize else {
            throw EventsError.invalidSetup("data_params.item_history_term needs a recommendation target (next_items) with item history features (data_params.item_history_features not false); remove the key or change the target")
        }
        guard scaler.binEdges == nil else {
            throw EventsError.invalidSetup("data_params.item_history_term needs numeric_encoding: standard (it reads each item's history count back from the standardised inputs); remove one of the two keys")
        }
        let items = itemHistory.items.count, blocks = layout.itemHistoryBlocks
        let first = layout.count - items * blocks
        let base = ModelFactory.make(model, inputSize: scaler.outputCount, outputSize: outputSize, seed: seed)
        return ItemHistoryNetwork(base: base, inputWidth: scaler.outputCount, items: items, blocks: blocks,
                                  deviations: Array(scaler.deviations[first...]), means: Array(scaler.means[first...]))
    }

    /// The term's weights are `item_history_weight`; the MLP's are named under `base`.
    public var directParameters: [(name: String, parameter: Parameter)] { [("item_history_weight", weight)] }
    public var children: [(name: String, module: any Module)] { [("base", base)] }

    /// Maps `[N, inputWidth]` to `[N, items]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        base(input) + Self.term(history: history(input), weight: weight.value, items: items)
    }

    /// The item history values of `input` `[N, inputWidth]` as `[N · items, blocks]` (row `n · items + i`
    /// holds item `i`'s blocks for sample `n`), off the tape.
    public func history(_ input: Tensor) -> Tensor {
        let rows = input.shape[0], width = input.shape[1]
        var history = Tensor.zeros([rows * items, blocks])
        input.detached().withUnsafeBufferPointer { values in
            history.withUnsafeMutableBufferPointer { out in
                for row in 0..<rows {
                    for block in 0..<blocks {
                        for item in 0..<items {
                            let column = block * items + item
                            out[(row * items + item) * blocks + block] =
                                values[row * width + offset + column] * deviations[column] + means[column]
                        }
                    }
                }
            }
        }
        return history
    }

    /// The factor the term's weights are multiplied by. Adam moves a weight by about the learning
    /// rate per step whatever its gradient, so unscaled weights stay small: on the shop's next
    /// products they ended at 0.19 / 0.09 / 0.13 and the term barely counted (validation NDCG@10
    /// 0.289, against 0.312 with the factor; docs/events-results.md).
    public static let weightScale: Float = 10

    /// `weightScale` · `history` `[N · items, blocks]` times `weight` `[blocks, 1]`, as `[N, items]`.
    public static func term(history: Tensor, weight: Tensor, items: Int) -> Tensor {
        (history.matmul(weight) * weightScale).reshaped([history.shape[0] / items, items])
    }
}
