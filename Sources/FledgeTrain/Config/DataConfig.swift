import FledgeData

/// `data:` — where the data is, which columns are what, and how it is split and preprocessed.
public struct DataConfig: ConfigSection {
    /// The training CSV (required for `fledge train`). Default null.
    public var trainPath: String?
    /// A separate validation CSV; when null, `validation_split` of the training file is held out. Default null.
    public var validationPath: String?
    /// A separate test CSV; when null, `test_size` of the training file is held out. Default null.
    public var testPath: String?
    /// The label column (binary, multiclass, regression). Default null; one of `label_column` and
    /// `label_columns` is required.
    public var labelColumn: String?
    /// The label columns: several 0/1 columns for multilabel, or several targets for regression. Default null.
    public var labelColumns: [String]?
    /// A column that identifies rows (kept out of the features, written next to predictions). Default null.
    public var idColumn: String?
    /// The feature columns; null uses every column that is not a label, id or dropped. Default null.
    public var featureColumns: [String]?
    /// Columns to ignore. Default `[]`.
    public var dropColumns: [String] = []
    /// Column types that override inference, e.g. `{zip: categorical}`
    /// (numeric, categorical, boolean, date). Default `{}`.
    public var columnTypes: [String: ColumnKind] = [:]
    /// `impute` (training mean or mode) or `fail` on a missing value. Default `impute`.
    public var missingValues: MissingValuePolicy = .impute
    /// `one_hot` or `embedding` for categorical columns. Default `one_hot`.
    public var categoricalEncoding: CategoricalEncoding = .oneHot
    /// Standardise numeric columns with the training split's mean and standard deviation. Default `true`.
    public var standardize = true
    /// The fraction of the training file held out for validation when `validation_path` is null. Default `0.15`.
    public var validationSplit = 0.15
    /// The fraction of the training file held out for testing when `test_path` is null. Default `0.15`.
    public var testSize = 0.15
    /// Keep class proportions equal across splits (classification tasks). Default `true`.
    public var stratify = true
    /// The CSV field separator, one character. Default `","`.
    public var delimiter = ","

    /// A section with every default.
    public init() {}

    /// The label column names, from `label_columns` or `label_column` (empty if neither is set).
    public var labelColumnNames: [String] { labelColumns ?? labelColumn.map { [$0] } ?? [] }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case trainPath = "train_path", validationPath = "validation_path", testPath = "test_path"
        case labelColumn = "label_column", labelColumns = "label_columns", idColumn = "id_column"
        case featureColumns = "feature_columns", dropColumns = "drop_columns", columnTypes = "column_types"
        case missingValues = "missing_values", categoricalEncoding = "categorical_encoding"
        case standardize
        case validationSplit = "validation_split", testSize = "test_size"
        case stratify, delimiter
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        trainPath = try c.decodeIfPresent(String.self, forKey: .trainPath)
        validationPath = try c.decodeIfPresent(String.self, forKey: .validationPath)
        testPath = try c.decodeIfPresent(String.self, forKey: .testPath)
        labelColumn = try c.decodeIfPresent(String.self, forKey: .labelColumn)
        labelColumns = try c.decodeIfPresent([String].self, forKey: .labelColumns)
        idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn)
        featureColumns = try c.decodeIfPresent([String].self, forKey: .featureColumns)
        dropColumns = try c.value(.dropColumns, or: dropColumns)
        columnTypes = try c.options(ColumnKind.self, forKey: .columnTypes) ?? columnTypes
        missingValues = try c.option(MissingValuePolicy.self, forKey: .missingValues) ?? missingValues
        categoricalEncoding = try c.option(CategoricalEncoding.self, forKey: .categoricalEncoding) ?? categoricalEncoding
        standardize = try c.value(.standardize, or: standardize)
        validationSplit = try c.value(.validationSplit, or: validationSplit)
        testSize = try c.value(.testSize, or: testSize)
        stratify = try c.value(.stratify, or: stratify)
        delimiter = try c.value(.delimiter, or: delimiter)
    }
}
