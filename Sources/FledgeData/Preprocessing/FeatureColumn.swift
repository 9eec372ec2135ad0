/// One input column as the preprocessor learned it from the training rows.
public struct FeatureColumn: Codable, Sendable, Equatable {
    /// The column's header name.
    public var name: String
    /// How the column is read.
    public var kind: ColumnKind
    /// Training mean (numeric, date; boolean: share of true), used to standardise and impute.
    public var mean: Double
    /// Training population standard deviation (1 when constant or unknown).
    public var standardDeviation: Double
    /// Categorical vocabulary in sorted order (empty for other kinds).
    public var categories: [String]
    /// The value used for missing cells under `.impute`: the mean, the boolean mode (0/1) or the
    /// index of the most frequent category.
    public var imputedValue: Double

    /// The dense features this column produces with the given encoding.
    func width(encoding: CategoricalEncoding) -> Int {
        kind == .categorical ? (encoding == .oneHot ? categories.count : 0) : 1
    }

    /// Learns the statistics of a column from the training rows.
    static func fit(table: DataTable, column: Int, kind: ColumnKind, rows: [Int],
                    missing: MissingValuePolicy) throws -> FeatureColumn {
        let name = table.columnNames[column]
        var feature = FeatureColumn(name: name, kind: kind, mean: 0, standardDeviation: 1, categories: [], imputedValue: 0)
        if kind == .categorical {
            let (codes, values) = table.categoryCodes(ofColumn: column, rows: rows)
            var counts = [Int](repeating: 0, count: values.count)
            for (position, code) in codes.enumerated() {
                if code >= 0 {
                    counts[code] += 1
                } else if missing == .fail {
                    throw missingValue(table, row: rows[position], column: column)
                }
            }
            let byValue = Dictionary(uniqueKeysWithValues: zip(values, counts))
            feature.categories = values.sorted()
            // The mode; ties go to the first category in sorted order, so fitting is deterministic.
            var mode = 0
            for (index, value) in feature.categories.enumerated() where byValue[value]! > byValue[feature.categories[mode]]! {
                mode = index
            }
            feature.imputedValue = Double(mode)
            return feature
        }
        let values = try table.values(ofColumn: column, as: kind, rows: rows)
        var sum = 0.0
        var present = 0
        for (position, value) in values.enumerated() {
            if value.isNaN {
                if missing == .fail { throw missingValue(table, row: rows[position], column: column) }
                continue
            }
            sum += value
            present += 1
        }
        guard present > 0 else { return feature }
        let mean = sum / Double(present)
        var squares = 0.0
        for value in values where !value.isNaN { squares += (value - mean) * (value - mean) }
        let deviation = (squares / Double(present)).squareRoot()
        feature.mean = mean
        feature.standardDeviation = deviation > 1e-12 ? deviation : 1
        feature.imputedValue = kind == .boolean ? (mean >= 0.5 ? 1 : 0) : mean
        return feature
    }

    static func missingValue(_ table: DataTable, row: Int, column: Int) -> DataError {
        .missingValue(file: table.source, line: table.line(ofRow: row), column: column + 1,
                      columnName: table.columnNames[column])
    }
}
