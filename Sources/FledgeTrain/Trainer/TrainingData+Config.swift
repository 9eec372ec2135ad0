import FledgeData
import Foundation

extension TrainingData {
    /// Reads the CSVs the config names, splits them (seeded, stratified for classification) and
    /// fits the preprocessing on the training rows only; throws `DataError` for bad data and
    /// `TrainerError.invalidSetup` for a config that names no data.
    public init(config: FledgeConfig) throws {
        let table = try Self.readTable(config: config)
        try self.init(config: config, table: table, rows: Self.splitRows(table, config: config))
    }

    /// The rows of `table` that `init(config:)` trains, validates and tests on: the config's
    /// seeded (stratified for classification) split; a part with its own file is empty.
    public static func splitRows(_ table: DataTable, config: FledgeConfig) throws
        -> (train: [Int], validation: [Int], test: [Int]) {
        let data = config.data
        return DataSplit.split(
            count: table.rowCount, stratifyBy: try stratificationLabels(table, config: config),
            validationFraction: data.validationPath == nil ? data.validationSplit : 0,
            testFraction: data.testPath == nil ? data.testSize : 0, seed: config.experiment.seed)
    }

    /// The splits of `table` given as row numbers (cross-validation folds, say): the preprocessing
    /// is fitted on `rows.train` only, so nothing about the other rows leaks into training.
    /// `data.validation_path` / `data.test_path`, when set, replace empty `rows.validation` / `rows.test`.
    public init(config: FledgeConfig, table: DataTable,
                rows: (train: [Int], validation: [Int], test: [Int])) throws {
        let data = config.data
        let preprocessor = try Preprocessor.fit(
            table: table, rows: rows.train, labelColumns: data.labelColumnNames, idColumn: data.idColumn,
            featureColumns: data.featureColumns, kinds: data.columnTypes, target: config.model.task,
            missing: data.missingValues, encoding: data.categoricalEncoding,
            standardize: data.standardize, excluding: data.dropColumns)

        func load(_ path: String?, rows: [Int]) throws -> TabularDataset? {
            if !rows.isEmpty { return try preprocessor.transform(table, rows: rows) }
            guard let path else { return nil }
            return try preprocessor.transform(CSVReader.read(path: path, delimiter: Character(data.delimiter)))
        }
        self.init(train: try preprocessor.transform(table, rows: rows.train),
                  validation: try load(data.validationPath, rows: rows.validation),
                  test: try load(data.testPath, rows: rows.test),
                  preprocessor: preprocessor, classNames: preprocessor.classNames)
    }

    /// Reads `data.train_path`; throws `TrainerError.invalidSetup` for a config that names no data
    /// or label and `DataError` for a bad file.
    public static func readTable(config: FledgeConfig) throws -> DataTable {
        let data = config.data
        guard let trainPath = data.trainPath else {
            throw TrainerError.invalidSetup("data.train_path is not set; point it at a CSV file with a header row")
        }
        guard !data.labelColumnNames.isEmpty else {
            throw TrainerError.invalidSetup("data.label_column is not set; name the column to predict (or data.label_columns for multilabel)")
        }
        guard let delimiter = data.delimiter.first, data.delimiter.count == 1 else {
            throw TrainerError.invalidSetup("data.delimiter must be one character, not \"\(data.delimiter)\"")
        }
        return try CSVReader.read(path: trainPath, delimiter: delimiter)
    }

    /// Each row's class index (sorted distinct label values) when the config stratifies a
    /// classification task (`data.stratify`), else nil.
    public static func stratificationLabels(_ table: DataTable, config: FledgeConfig) throws -> [Int]? {
        let task = config.model.task
        guard config.data.stratify, task == .binary || task == .multiclass,
              let column = config.data.labelColumnNames.first else { return nil }
        return try labelIndices(table, column: column)
    }

    /// The outputs the model needs: classes for multiclass, labels for multilabel, else the target width.
    public var outputCount: Int {
        switch train.targets {
        case .classes: classNames.count
        case .floats(let values): values.shape.rank == 2 ? values.shape[1] : 1
        case nil: 1
        }
    }

    /// Each row's label as a class index (sorted distinct values), for stratified splitting.
    public static func labelIndices(_ table: DataTable, column: String) throws -> [Int] {
        let values = try table.column(named: column).map { $0 ?? "" }
        let index = Dictionary(uniqueKeysWithValues: Set(values).sorted().enumerated().map { ($1, $0) })
        return values.map { index[$0]! }
    }
}
