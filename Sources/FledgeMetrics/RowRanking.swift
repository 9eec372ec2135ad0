import Foundation

/// The top K items of one score row, highest score first, equal scores by lower item index.
///
/// Partial selection (binary insertion into a K-long list) costs O(items · log K) per row instead of
/// sorting every item, which matters when a catalogue has thousands of items and K is 10.
/// NaN scores rank below every number, so a diverged model scores 0 rather than trapping.
struct RowRanking {
    /// Item indices (0-based within the row) of the current row's top K, best first.
    private(set) var top: [Int] = []
    private var topScores: [Float] = []

    init(capacity: Int) {
        top.reserveCapacity(capacity)
        topScores.reserveCapacity(capacity)
    }

    /// Selects the `k` best items of `scores` into `top`.
    mutating func selectTop(_ k: Int, of scores: UnsafeBufferPointer<Float>.SubSequence) {
        top.removeAll(keepingCapacity: true)
        topScores.removeAll(keepingCapacity: true)
        var item = 0
        for raw in scores {
            let score = Self.rankable(raw)
            // Strictly greater than the last kept score: an equal later item never displaces an earlier one.
            if top.count < k || score > topScores[topScores.count - 1] {
                // Insert after every kept score >= this one (keeps lower indices first among ties).
                var low = 0, high = topScores.count
                while low < high {
                    let mid = (low + high) / 2
                    if topScores[mid] >= score { low = mid + 1 } else { high = mid }
                }
                if top.count == k {
                    top.removeLast()
                    topScores.removeLast()
                }
                top.insert(item, at: low)
                topScores.insert(score, at: low)
            }
            item += 1
        }
    }

    /// The 1-based rank of the best-ranked item whose target is > 0 (the row must have one),
    /// under the same order as `selectTop`: one pass, no sort.
    static func rankOfFirstRelevant(_ scores: UnsafeBufferPointer<Float>.SubSequence,
                                    _ targets: UnsafeBufferPointer<Float>.SubSequence) -> Int {
        let base = scores.startIndex, targetBase = targets.startIndex
        var best = -1
        var bestScore = -Float.infinity
        for offset in 0..<scores.count where targets[targetBase + offset] > 0 {
            let score = rankable(scores[base + offset])
            if best < 0 || score > bestScore {
                best = offset
                bestScore = score
            }
        }
        var ahead = 0
        for offset in 0..<scores.count {
            let score = rankable(scores[base + offset])
            if score > bestScore || (score == bestScore && offset < best) { ahead += 1 }
        }
        return ahead + 1
    }

    /// DCG's discount for the item at 0-based `position`: log2(position + 2).
    @inline(__always)
    static func discount(_ position: Int) -> Double { log2(Double(position + 2)) }

    /// The score used for ordering: NaN becomes -infinity.
    @inline(__always)
    private static func rankable(_ score: Float) -> Float { score.isNaN ? -.infinity : score }
}
