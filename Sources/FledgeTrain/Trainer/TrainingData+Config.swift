import FledgeData
import Foundation

extension TrainingData {
    /// Reads the CSVs the config names, splits them (seeded, stratified for classification) and
    /// fits the preprocessing on the training rows only; throws `DataError` for bad data and
    /// `TrainerError.invalidSetup` for a config that names no data.
    public init(config: FledgeConfig) throws {
        let data = config.data
        guard let trainPath = data.trainPath else {
            throw TrainerError.invalidSetup("data.train_path is not set; point it at a CSV file with a header row")
        }
        let labelColumns = data.labelColumnNames
        guard !labelColumns.isEmpty else {
            throw TrainerError.invalidSetup("data.label_column is not set; name the column to predict (or data.label_columns for multilabel)")
        }
        guard let delimiter = data.delimiter.first, data.delimiter.count == 1 else {
            throw TrainerError.invalidSetup("data.delimiter must be one character, not \"\(data.delimiter)\"")
        }
        let table = try CSVReader.read(path: trainPath, delimiter: delimiter)
        let task = config.model.task
        let stratifyLabels = data.stratify && (task == .binary || task == .multiclass)
            ? try Self.labelIndices(table, column: labelColumns[0]) : nil
        let split = DataSplit.split(
            count: table.rowCount, stratifyBy: stratifyLabels,
            validationFraction: data.validationPath == nil ? data.validationSplit : 0,
            testFraction: data.testPath == nil ? data.testSize : 0, seed: config.experiment.seed)

        let preprocessor = try Preprocessor.fit(
            table: table, rows: split.train, labelColumns: labelColumns, idColumn: data.idColumn,
            featureColumns: data.featureColumns, kinds: data.columnTypes, target: task,
            missing: data.missingValues, encoding: data.categoricalEncoding,
            standardize: data.standardize, excluding: data.dropColumns)

        func load(_ path: String?, rows: [Int]) throws -> TabularDataset? {
            if let path { return try preprocessor.transform(CSVReader.read(path: path, delimiter: delimiter)) }
            return rows.isEmpty ? nil : try preprocessor.transform(table, rows: rows)
        }
        self.init(train: try preprocessor.transform(table, rows: split.train),
                  validation: try load(data.validationPath, rows: split.validation),
                  test: try load(data.testPath, rows: split.test),
                  preprocessor: preprocessor, classNames: preprocessor.classNames)
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
    private static func labelIndices(_ table: DataTable, column: String) throws -> [Int] {
        let values = try table.column(named: column).map { $0 ?? "" }
        let index = Dictionary(uniqueKeysWithValues: Set(values).sorted().enumerated().map { ($1, $0) })
        return values.map { index[$0]! }
    }
}
