/// What to do with a missing feature value (empty cell or missing marker such as `NA`).
public enum MissingValuePolicy: String, Codable, Sendable, CaseIterable {
    /// Replace with the training rows' mean (numeric, date) or most frequent value (categorical, boolean).
    case impute
    /// Stop with `DataError.missingValue` naming the file, line and column.
    case fail
}

/// How categorical features reach the model.
public enum CategoricalEncoding: String, Codable, Sendable, CaseIterable {
    /// One 0/1 feature per training category; unseen values are all zero.
    case oneHot = "one_hot"
    /// One integer id per column (`TabularDataset.categoricalIndices`); 0 means unseen or missing.
    case embedding
}

/// The data layer's view of the learning task: how label columns are encoded.
public enum TargetKind: String, Codable, Sendable, CaseIterable {
    /// Two classes, encoded 0/1 as floats `[N, 1]`.
    case binary
    /// One of several classes, encoded as class indices `[N]`.
    case multiclass
    /// Several independent 0/1 label columns, floats `[N, L]`.
    case multilabel
    /// Real values, floats `[N, L]` (usually one column).
    case regression
}
