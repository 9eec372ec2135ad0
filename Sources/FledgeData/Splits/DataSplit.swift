import FledgeTensor

/// Seeded train/validation/test splits and k-fold partitions, stratified when labels are given.
public enum DataSplit {
    /// Splits `0..<count` into train, validation and test rows.
    ///
    /// The validation and test sizes are `round(count × fraction)`; with `stratifyBy` (one label per
    /// row) each class contributes in proportion to its size (largest remainders decide the last
    /// rows), so every split keeps the class balance. The same seed always gives the same split.
    /// Each returned list is in ascending order.
    public static func split(count: Int, stratifyBy labels: [Int]? = nil, validationFraction: Double,
                             testFraction: Double = 0, seed: UInt64) -> (train: [Int], validation: [Int], test: [Int]) {
        precondition(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1,
                     "DataSplit: fractions \(validationFraction) + \(testFraction) must be >= 0 and sum to less than 1")
        precondition(labels.map { $0.count == count } ?? true, "DataSplit: \(labels?.count ?? 0) labels for \(count) rows")
        let strata = shuffledStrata(count: count, labels: labels, seed: seed)
        let testSizes = apportion(Int((Double(count) * testFraction).rounded()), over: strata.map(\.count))
        let remaining = zip(strata, testSizes).map { $0.count - $1 }
        let validationTarget = Int((Double(count) * validationFraction).rounded())
        let validationSizes = apportion(Swift.min(validationTarget, remaining.reduce(0, +)), over: strata.map(\.count),
                                        limits: remaining)
        var train: [Int] = [], validation: [Int] = [], test: [Int] = []
        for (index, stratum) in strata.enumerated() {
            let testEnd = testSizes[index]
            let validationEnd = testEnd + validationSizes[index]
            test += stratum[0..<testEnd]
            validation += stratum[testEnd..<validationEnd]
            train += stratum[validationEnd...]
        }
        return (train.sorted(), validation.sorted(), test.sorted())
    }

    /// Partitions `0..<count` into `k` folds; fold i validates on its rows and trains on the rest.
    /// Stratified when labels are given (each class is dealt round-robin over the folds).
    ///
    /// The rows are shuffled by the seed (within each class when stratified) and dealt in turn, so
    /// fold sizes are scikit-learn's `KFold` sizes (the first `count % k` folds get one row more)
    /// and, stratified, each fold holds exactly as many rows of each class as `StratifiedKFold`
    /// gives it. The random generator differs from NumPy's, so the rows themselves differ.
    public static func kFold(count: Int, k: Int, stratifyBy labels: [Int]? = nil,
                             seed: UInt64) -> [(train: [Int], validation: [Int])] {
        precondition(k >= 2 && k <= count, "DataSplit.kFold: k must be in 2...\(count), not \(k)")
        // Classes in order of first appearance, as scikit-learn encodes them, so that dealing the
        // rows in turn gives each fold StratifiedKFold's per-class counts.
        let strata = shuffledStrata(count: count, labels: labels, seed: seed)
        let order = strata.sorted { ($0.min() ?? 0) < ($1.min() ?? 0) }.flatMap { $0 }
        var folds = [[Int]](repeating: [], count: k)
        for (position, row) in order.enumerated() { folds[position % k].append(row) }
        return trainValidationPairs(folds)
    }

    /// Partitions `0..<count` into `k` folds that never split a group: every row of a group
    /// (`groups[row]`, e.g. a customer id's index) lands in the same fold, so no group is both
    /// trained and validated on. As scikit-learn's `GroupKFold`, groups are placed largest first,
    /// each into the fold with the fewest rows so far (ties: the lower fold), which keeps fold
    /// sizes close; the seed shuffles the groups before the stable sort by size, so it decides the
    /// order among groups of equal size.
    public static func groupKFold(groups: [Int], k: Int, seed: UInt64) -> [(train: [Int], validation: [Int])] {
        var rowsByGroup: [Int: [Int]] = [:]
        for (row, group) in groups.enumerated() { rowsByGroup[group, default: []].append(row) }
        precondition(k >= 2 && k <= rowsByGroup.count,
                     "DataSplit.groupKFold: k must be in 2...\(rowsByGroup.count) (the number of groups), not \(k)")
        var generator = SeededGenerator(seed: seed)
        var order = rowsByGroup.keys.sorted()
        order.shuffle(using: &generator)
        let bySize = order.enumerated().sorted {
            let (a, b) = (rowsByGroup[$0.element]!.count, rowsByGroup[$1.element]!.count)
            return a != b ? a > b : $0.offset < $1.offset
        }.map(\.element)
        var folds = [[Int]](repeating: [], count: k)
        for group in bySize {
            let lightest = folds.indices.min { folds[$0].count < folds[$1].count || (folds[$0].count == folds[$1].count && $0 < $1) }!
            folds[lightest] += rowsByGroup[group]!
        }
        return trainValidationPairs(folds)
    }

    /// For each fold: every other fold's rows (training) and its own rows (validation), sorted.
    private static func trainValidationPairs(_ folds: [[Int]]) -> [(train: [Int], validation: [Int])] {
        folds.indices.map { fold in
            (folds.indices.filter { $0 != fold }.flatMap { folds[$0] }.sorted(), folds[fold].sorted())
        }
    }

    /// Row indices grouped by label (one group without labels), each group shuffled by the seed.
    private static func shuffledStrata(count: Int, labels: [Int]?, seed: UInt64) -> [[Int]] {
        var generator = SeededGenerator(seed: seed)
        var groups: [[Int]]
        if let labels {
            var byLabel: [Int: [Int]] = [:]
            for (row, label) in labels.enumerated() { byLabel[label, default: []].append(row) }
            groups = byLabel.keys.sorted().map { byLabel[$0]! }
        } else {
            groups = [Array(0..<count)]
        }
        for index in groups.indices { groups[index].shuffle(using: &generator) }
        return groups
    }

    /// Splits `total` over groups in proportion to `sizes` (largest remainder method), never
    /// giving a group more than its limit.
    private static func apportion(_ total: Int, over sizes: [Int], limits: [Int]? = nil) -> [Int] {
        let all = sizes.reduce(0, +)
        guard all > 0, total > 0 else { return sizes.map { _ in 0 } }
        let limits = limits ?? sizes
        let exact = sizes.map { Double(total) * Double($0) / Double(all) }
        var shares = zip(exact, limits).map { Swift.min(Int($0.rounded(.down)), $1) }
        var left = total - shares.reduce(0, +)
        let remainders = exact.map { $0 - $0.rounded(.down) }
        let byRemainder = exact.indices.sorted { remainders[$0] > remainders[$1] || (remainders[$0] == remainders[$1] && $0 < $1) }
        while left > 0 {
            var gave = false
            for index in byRemainder where left > 0 && shares[index] < limits[index] {
                shares[index] += 1
                left -= 1
                gave = true
            }
            if !gave { break }
        }
        return shares
    }
}
