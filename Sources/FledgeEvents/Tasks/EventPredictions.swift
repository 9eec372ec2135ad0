import FledgeTensor
import Foundation

/// Scores of entities at a prediction date, and their tab-separated text.
public struct EventPredictions: Sendable {
    /// The task kind.
    public let kind: EventTaskKind
    /// Output names (classes, labels, outputs, items).
    public let outputNames: [String]
    /// The entity of each row.
    public let entityIDs: [String]
    /// Probabilities (classification, recommendation) or values (regression), `[N, outputs]`.
    public let scores: Tensor
    /// Entities left out because they have no event before the date.
    public let skippedWithoutHistory: Int
    /// The prediction date (seconds since 1970): history is `[data_start, date)`.
    public let predictionDate: Int64

    /// The rows as TSV with a header: `entity_id` then, by task, `probability` and `label`
    /// (binary, label = probability ≥ `threshold`), one probability column per class and
    /// `predicted` (multiclass), one per label and `labels` (multilabel, those ≥ `threshold`),
    /// one per output (regression), or `items` and `scores` (recommendation: the `topK` best
    /// items, comma-separated, best first). Numbers are written in full: the shortest text that reads
    /// back as the same `Float`, as tabular models' CSV predictions are.
    public func tsv(threshold: Float = 0.5, topK: Int = 10) -> String {
        let width = outputNames.count
        let values = scores.scalars
        func clean(_ text: String) -> String { text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        func number(_ value: Float) -> String { "\(value)" }
        var header = ["entity_id"]
        switch kind {
        case .binary: header += ["probability", "label"]
        case .multiclass: header += outputNames.map { "p_\(clean($0))" } + ["predicted"]
        case .multilabel: header += outputNames.map { "p_\(clean($0))" } + ["labels"]
        case .regression: header += outputNames.map(clean)
        case .recommendation: header += ["items", "scores"]
        }
        var lines = [header.joined(separator: "\t")]
        for (row, id) in entityIDs.enumerated() {
            let scores = Array(values[(row * width)..<((row + 1) * width)])
            var fields = [clean(id)]
            switch kind {
            case .binary:
                fields += [number(scores[0]), scores[0] >= threshold ? "1" : "0"]
            case .multiclass:
                let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
                fields += scores.map(number) + [clean(outputNames[best])]
            case .multilabel:
                fields += scores.map(number) + [outputNames.indices.filter { scores[$0] >= threshold }.map { clean(outputNames[$0]) }.joined(separator: ",")]
            case .regression:
                fields += scores.map(number)
            case .recommendation:
                let top = scores.indices.sorted { (scores[$0], $1) > (scores[$1], $0) }.prefix(topK)
                fields += [top.map { clean(outputNames[$0]) }.joined(separator: ","), top.map { number(scores[$0]) }.joined(separator: ",")]
            }
            lines.append(fields.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
