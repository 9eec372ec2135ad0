import FledgeData
import FledgeTrain

/// One fit of a cross-validation: the rows it trains on, validates on (early stopping and best
/// checkpoint, drawn from its training rows) and holds out (the fold that is scored).
public struct CrossValidationFold: Sendable, Equatable {
    /// Which repetition (0-based) and which fold of it (0-based).
    public var repeatIndex: Int
    public var foldIndex: Int
    /// Rows of the data file the model learns from; the preprocessing is fitted on these only.
    public var train: [Int]
    /// Rows held out of `train` for validation during training (`data.validation_split` of the
    /// fold's training rows; empty with `data.validation_split: 0` or a `data.validation_path`).
    public var validation: [Int]
    /// The fold's held-out rows, scored and written to the out-of-fold predictions.
    public var test: [Int]

    /// `fold-3`, or `repeat-2-fold-3` when k-fold is repeated (1-based, as people count).
    public func name(repeats: Int) -> String {
        repeats > 1 ? "repeat-\(repeatIndex + 1)-fold-\(foldIndex + 1)" : "fold-\(foldIndex + 1)"
    }

    /// The folds of `table` for `config` and `options`: k-fold, stratified or grouped (see
    /// `DataSplit`), repetition r shuffled with `experiment.seed + r`. Throws
    /// `CrossValidationError` when the data cannot be split so.
    public static func make(table: DataTable, config: FledgeConfig,
                            options: CrossValidationOptions) throws -> [CrossValidationFold] {
        let rowCount = table.rowCount
        let k = options.folds
        guard k >= 2 else { throw CrossValidationError("--folds is \(k); cross-validation needs at least 2 folds") }
        guard k <= rowCount else {
            throw CrossValidationError("--folds is \(k) but \(table.source) has only \(rowCount) rows; use at most \(rowCount) folds")
        }
        guard options.repeats >= 1 else { throw CrossValidationError("--repeats is \(options.repeats); it must be at least 1") }
        let task = config.model.task
        guard !options.stratified || task == .binary || task == .multiclass else {
            throw CrossValidationError("--stratified needs a binary or multiclass task, not \(task.rawValue); leave it out")
        }
        guard !(options.stratified && options.groupColumn != nil) else {
            throw CrossValidationError("--stratified and --group-column cannot be combined (no stratified group k-fold yet); choose one")
        }
        let classLabels = options.stratified
            ? try TrainingData.labelIndices(table, column: config.data.labelColumnNames[0]) : nil
        let groups = try options.groupColumn.map { try groupIndices(table, column: $0) }
        if let groups, Set(groups).count < k {
            throw CrossValidationError("--group-column \(options.groupColumn!) has \(Set(groups).count) distinct values, "
                                       + "fewer than the \(k) folds; use fewer folds or another column")
        }
        // Stratify the inner validation split as the config stratifies its splits.
        let innerLabels = try TrainingData.stratificationLabels(table, config: config)
        let data = config.data
        let validationFraction = data.validationPath == nil ? data.validationSplit : 0
        var folds: [CrossValidationFold] = []
        for repetition in 0..<options.repeats {
            let seed = config.experiment.seed &+ UInt64(repetition)
            let parts = groups.map { DataSplit.groupKFold(groups: $0, k: k, seed: seed) }
                ?? DataSplit.kFold(count: rowCount, k: k, stratifyBy: classLabels, seed: seed)
            for (index, part) in parts.enumerated() {
                let inner = DataSplit.split(count: part.train.count, stratifyBy: innerLabels.map { labels in part.train.map { labels[$0] } },
                                            validationFraction: validationFraction, seed: seed)
                folds.append(CrossValidationFold(
                    repeatIndex: repetition, foldIndex: index, train: inner.train.map { part.train[$0] },
                    validation: inner.validation.map { part.train[$0] }, test: part.validation))
            }
        }
        return folds
    }

    /// Each row's group as an index (a missing cell is a group of its own kind: all missing together).
    private static func groupIndices(_ table: DataTable, column: String) throws -> [Int] {
        guard table.columnNames.contains(column) else {
            throw CrossValidationError("--group-column \(column) is not a column of \(table.source); columns: "
                                       + table.columnNames.joined(separator: ", "))
        }
        var index: [String: Int] = [:]
        return try table.column(named: column).map { value in
            let key = value ?? ""
            if let existing = index[key] { return existing }
            index[key] = index.count
            return index[key]!
        }
    }
}
