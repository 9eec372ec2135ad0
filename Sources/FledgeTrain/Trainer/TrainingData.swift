import FledgeData

/// The datasets a trainer works on, already preprocessed into tensors.
public struct TrainingData: @unchecked Sendable {
    /// Rows the model learns from.
    public var train: TabularDataset
    /// Rows validation runs on (nil: no validation).
    public var validation: TabularDataset?
    /// Held-out rows for `evaluate(split: .test)`.
    public var test: TabularDataset?
    /// The fitted preprocessing, saved with the final model (nil for in-memory tensors).
    public var preprocessor: Preprocessor?
    /// Class names for classification tasks (from the preprocessor).
    public var classNames: [String]
    /// Training rows drawn anew for each epoch after the first (a foundation model's resampled
    /// split points): called with the 0-based epoch (≥ 1) when it starts, it returns as many rows
    /// as `train`, of the same width. Epoch 0 trains on `train`. Nil (default): every epoch does.
    /// Its result must depend on the epoch only, so a resumed run sees the same rows.
    public var resampleTrain: ((_ epoch: Int) throws -> TabularDataset)?

    /// Creates the data of a run.
    public init(train: TabularDataset, validation: TabularDataset? = nil, test: TabularDataset? = nil,
                preprocessor: Preprocessor? = nil, classNames: [String] = []) {
        self.train = train
        self.validation = validation
        self.test = test
        self.preprocessor = preprocessor
        self.classNames = classNames
    }

    /// The dataset of `split`, or nil when the run has none.
    public func dataset(_ split: DataSplitName) -> TabularDataset? {
        switch split {
        case .train: train
        case .validation: validation
        case .test: test
        }
    }
}

/// The three splits a run can evaluate on.
public enum DataSplitName: String, CaseIterable, Sendable {
    case train, validation, test
}
