import FledgeTensor

extension Preprocessor {
    /// Applies the fitted transform to rows of a table (the training table or a new file).
    ///
    /// Unseen categories become an all-zero one-hot block (or embedding id 0); an unseen label is
    /// an error, since the model cannot be scored on a class it never had.
    /// - Parameters:
    ///   - rows: the rows to transform, in this order (all when nil).
    ///   - requireLabels: true for training and evaluation (label columns must be present and
    ///     valid); false for prediction, where labels are encoded only if present and valid.
    /// - Throws: `DataError` naming the file, line and column of the first cell that does not fit.
    public func transform(_ table: DataTable, rows: [Int]? = nil, requireLabels: Bool = true) throws -> TabularDataset {
        let rows = rows ?? Array(0..<table.rowCount)
        let width = inputSize
        var dense = [Float](repeating: 0, count: rows.count * width)
        let embedded = features.filter { $0.kind == .categorical && encoding == .embedding }
        var ids = [Int](repeating: 0, count: rows.count * embedded.count)
        var offset = 0
        var embeddingOffset = 0
        for feature in features {
            let column = try table.columnIndex(named: feature.name)
            if feature.kind == .categorical {
                let lookup = Dictionary(uniqueKeysWithValues: feature.categories.enumerated().map { ($1, $0) })
                let (codes, values) = table.categoryCodes(ofColumn: column, rows: rows)
                let vocabularyIndex = values.map { lookup[$0] }
                for (position, code) in codes.enumerated() {
                    var index: Int?
                    if code >= 0 {
                        index = vocabularyIndex[code]
                    } else if missing == .fail {
                        throw FeatureColumn.missingValue(table, row: rows[position], column: column)
                    } else if !feature.categories.isEmpty {
                        index = Int(feature.imputedValue)
                    }
                    if encoding == .oneHot {
                        if let index { dense[position * width + offset + index] = 1 }
                    } else {
                        ids[position * embedded.count + embeddingOffset] = index.map { $0 + 1 } ?? 0
                    }
                }
                if encoding == .oneHot { offset += feature.categories.count } else { embeddingOffset += 1 }
                continue
            }
            let values = try table.values(ofColumn: column, as: feature.kind, rows: rows)
            let scales = standardize && feature.kind != .boolean
            for (position, value) in values.enumerated() {
                var filled = value
                if value.isNaN {
                    if missing == .fail { throw FeatureColumn.missingValue(table, row: rows[position], column: column) }
                    filled = feature.imputedValue
                }
                if scales { filled = (filled - feature.mean) / feature.standardDeviation }
                dense[position * width + offset] = Float(filled)
            }
            offset += 1
        }
        var targets: Targets?
        if !labelColumns.isEmpty {
            if requireLabels {
                targets = try LabelEncoding.targets(self, table: table, rows: rows)
            } else if labelColumns.allSatisfy(table.columnNames.contains) {
                targets = try? LabelEncoding.targets(self, table: table, rows: rows)
            }
        }
        let rowIds = try idColumn.map { name in
            let column = try table.columnIndex(named: name)
            return rows.map { table.string(row: $0, column: column) ?? "" }
        }
        return TabularDataset(features: Tensor(shape: [rows.count, width], values: dense),
                              categoricalIndices: embedded.isEmpty ? nil : IndexTensor(shape: [rows.count, embedded.count], indices: ids),
                              targets: targets, ids: rowIds, lines: rows.map { table.line(ofRow: $0) })
    }
}
