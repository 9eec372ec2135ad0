import Foundation

/// Parameter importances by the variance each parameter's binned means explain (a one-way
/// analysis of variance per parameter; the correlation ratio η²), normalised to sum to 1.
///
/// For each parameter, the complete trials in which it was active are grouped: a categorical
/// parameter by choice, a numeric one into up to `bins` quantile bins (of its log for log
/// parameters). Its raw importance is the between-group variance of the objective divided by the
/// total variance over those trials. Unlike fANOVA this ignores interactions and can credit a
/// parameter that merely correlates with an important one; with few trials treat it as a hint.
public enum ParameterImportance {
    /// Importances, most important first (empty with fewer than 3 complete trials or constant values).
    public static func estimate(space: SearchSpace, trials: [TrialRecord], bins: Int = 5) -> [(name: String, importance: Double)] {
        let complete = trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
        guard complete.count >= 3 else { return [] }
        var raw: [(String, Double)] = []
        for parameter in space.parameters {
            let points = complete.compactMap { t in t.params[parameter.name].map { (parameter.distribution.continuous($0), t.value!) } }
            guard points.count >= 3 else { continue }
            var groups: [Int: [Double]] = [:]
            if parameter.distribution.choiceCount != nil {
                for (x, y) in points { groups[Int(x), default: []].append(y) }
            } else {
                let sorted = points.map(\.0).sorted()
                let edges = (1..<bins).map { sorted[min(sorted.count - 1, $0 * sorted.count / bins)] }
                for (x, y) in points { groups[edges.filter { x >= $0 }.count, default: []].append(y) }
            }
            raw.append((parameter.name, correlationRatio(groups: Array(groups.values))))
        }
        let total = raw.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return [] }
        return raw.map { (name: $0.0, importance: $0.1 / total) }.sorted { $0.importance > $1.importance }
    }

    /// Between-group variance over total variance of the pooled values.
    static func correlationRatio(groups: [[Double]]) -> Double {
        let all = groups.flatMap { $0 }
        let mean = all.reduce(0, +) / Double(all.count)
        let totalSS = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard totalSS > 0 else { return 0 }
        let betweenSS = groups.reduce(0.0) { sum, g in
            let m = g.reduce(0, +) / Double(g.count)
            return sum + Double(g.count) * (m - mean) * (m - mean)
        }
        return betweenSS / totalSS
    }
}
