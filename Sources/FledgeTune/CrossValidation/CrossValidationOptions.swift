/// How `CrossValidator` makes its folds (`fledge cv --folds 5 --stratified --group-column C --repeats R`).
public struct CrossValidationOptions: Sendable, Equatable {
    /// The number of folds k; each fold is held out once. Default 5.
    public var folds: Int
    /// Keep each class's share equal across folds (scikit-learn's `StratifiedKFold`; binary and
    /// multiclass tasks). Default false (`KFold(shuffle=True)`).
    public var stratified: Bool
    /// A column whose rows must stay in one fold (a customer, a patient; `GroupKFold`). Default nil.
    public var groupColumn: String?
    /// How many times to repeat k-fold with fresh folds (seeds `experiment.seed + r`). Default 1.
    public var repeats: Int

    /// Options; the defaults are 5 plain folds, once.
    public init(folds: Int = 5, stratified: Bool = false, groupColumn: String? = nil, repeats: Int = 1) {
        self.folds = folds
        self.stratified = stratified
        self.groupColumn = groupColumn
        self.repeats = repeats
    }
}

/// A cross-validation request the data cannot satisfy; the message says what to change.
public struct CrossValidationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
