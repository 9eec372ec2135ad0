import FledgeTensor

/// A ranking-at-K metric for recommendation: each row scores every item, its targets mark the
/// relevant items (multi-hot, or graded gains for NDCG), and the metric judges the row's top K.
///
/// Per row, items are ranked by score, highest first; equal scores rank the lower item index first
/// (a stable sort), so a result never depends on the order of evaluation. With `R` the row's
/// relevant items (target > 0), `hits(K)` the relevant items among the top `K` and `rel(k)` 1 when
/// the item at rank `k` is relevant:
/// - `precision@K` = hits(K) / K (K is capped at the number of items);
/// - `recall@K` = hits(K) / |R|;
/// - `hit_rate@K` = 1 when hits(K) > 0, else 0 (scikit-learn's `top_k_accuracy_score` when |R| = 1);
/// - `map@K` = Σ_{k ≤ K} precision@k · rel(k) / min(K, |R|): average precision normalised by the
///   most hits the top K can hold, so a perfect top K scores 1 even when |R| > K;
/// - `mrr` = 1 / rank of the first relevant item over the full ranking; `mrr@K` counts 0 when
///   that rank is beyond K;
/// - `ndcg@K` = DCG@K / IDCG@K with gain = the target value (linear gains, as scikit-learn's
///   `ndcg_score`), DCG@K = Σ_{k ≤ K} gain(k) / log2(k + 1), IDCG@K the DCG of the best order.
///
/// Every metric is the mean over rows with at least one relevant item; rows without any are
/// skipped (recall and the normalisers are undefined there) and counted in `skippedRows`.
/// scikit-learn's `ndcg_score` instead counts such rows as 0, so its value is Fledge's times
/// (rows evaluated) / (all rows). State is a Double sum and two counters: batching never matters.
public final class TopKMetric: Metric {
    /// Which statistic of the top K.
    public enum Kind: String, Sendable, CaseIterable {
        case precision
        case recall
        case hitRate = "hit_rate"
        case meanAveragePrecision = "map"
        case reciprocalRank = "mrr"
        case ndcg
    }

    public let name: String
    public var higherIsBetter: Bool { true }
    /// The statistic computed.
    public let kind: Kind
    /// The cut-off; `nil` only for `mrr` over the full ranking.
    public let k: Int?
    /// Items per row (the score width).
    public let itemCount: Int
    private var sum = 0.0
    /// Rows that had at least one relevant item and were scored.
    public private(set) var evaluatedRows = 0
    /// Rows without any relevant item, left out of the mean.
    public private(set) var skippedRows = 0

    /// A metric of `kind` at cut-off `k` over rows of `itemCount` items, named e.g. `ndcg@10`
    /// unless `name` is given. `k` must be at least 1; it may be nil only for `.reciprocalRank`.
    public init(_ kind: Kind, k: Int?, itemCount: Int, name: String? = nil) {
        precondition(k.map { $0 >= 1 } ?? (kind == .reciprocalRank), "TopKMetric: \(kind.rawValue) needs k >= 1, got \(String(describing: k))")
        precondition(itemCount >= 1, "TopKMetric: needs at least one item, got \(itemCount)")
        self.kind = kind
        self.k = k
        self.itemCount = itemCount
        self.name = name ?? (k.map { "\(kind.rawValue)@\($0)" } ?? kind.rawValue)
    }

    /// Folds a batch: `scores` `[N, items]`, `targets` `[N, items]` (0 = not relevant, > 0 = relevant,
    /// the value is the NDCG gain).
    public func update(scores: Tensor, targets: Tensor) {
        precondition(scores.rank == 2 && scores.shape[1] == itemCount && targets.shape == scores.shape,
                     "\(name): scores \(scores.shape) and targets \(targets.shape) must both be [N, \(itemCount)]")
        let rows = scores.shape[0], width = itemCount
        let cutoff = Swift.min(k ?? width, width)
        var ranking = RowRanking(capacity: cutoff)
        scores.withUnsafeBufferPointer { score in
            targets.withUnsafeBufferPointer { target in
                for row in 0..<rows {
                    let rowScores = score[row * width ..< (row + 1) * width]
                    let rowTargets = target[row * width ..< (row + 1) * width]
                    guard let value = evaluate(rowScores, rowTargets, cutoff: cutoff, ranking: &ranking) else {
                        skippedRows += 1
                        continue
                    }
                    sum += value
                    evaluatedRows += 1
                }
            }
        }
    }

    /// NaN while no row with a relevant item has been seen.
    public func compute() -> Double { evaluatedRows == 0 ? .nan : sum / Double(evaluatedRows) }

    public func reset() {
        sum = 0
        evaluatedRows = 0
        skippedRows = 0
    }

    /// The metric for one row, or nil when the row has no relevant item.
    private func evaluate(_ scores: UnsafeBufferPointer<Float>.SubSequence, _ targets: UnsafeBufferPointer<Float>.SubSequence,
                          cutoff: Int, ranking: inout RowRanking) -> Double? {
        let relevant = targets.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        guard relevant > 0 else { return nil }
        if kind == .reciprocalRank {
            let rank = RowRanking.rankOfFirstRelevant(scores, targets)
            return rank <= cutoff ? 1 / Double(rank) : 0
        }
        ranking.selectTop(cutoff, of: scores)
        let base = targets.startIndex
        switch kind {
        case .precision, .recall, .hitRate:
            let hits = ranking.top.reduce(0) { $0 + (targets[base + $1] > 0 ? 1 : 0) }
            switch kind {
            case .precision: return Double(hits) / Double(cutoff)
            case .recall: return Double(hits) / Double(relevant)
            default: return hits > 0 ? 1 : 0
            }
        case .meanAveragePrecision:
            var hits = 0, total = 0.0
            for (position, item) in ranking.top.enumerated() where targets[base + item] > 0 {
                hits += 1
                total += Double(hits) / Double(position + 1)
            }
            return total / Double(Swift.min(cutoff, relevant))
        case .ndcg:
            var dcg = 0.0
            for (position, item) in ranking.top.enumerated() where targets[base + item] > 0 {
                dcg += Double(targets[base + item]) / RowRanking.discount(position)
            }
            let ideal = targets.filter { $0 > 0 }.sorted(by: >).prefix(cutoff)
            let idcg = ideal.enumerated().reduce(0.0) { $0 + Double($1.element) / RowRanking.discount($1.offset) }
            return dcg / idcg
        case .reciprocalRank:
            preconditionFailure("unreachable: handled above")
        }
    }
}
