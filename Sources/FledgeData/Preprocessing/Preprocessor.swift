import Foundation

/// Turns table rows into model input the same way at training and at prediction time.
///
/// Fitted on the training rows only: numeric and date means and standard deviations (for
/// standardising), categorical vocabularies, imputation values and the label encoding. Saved as
/// JSON next to a model, so prediction repeats the exact transform.
public struct Preprocessor: Codable, Sendable, Equatable {
    /// The input columns in model order.
    public var features: [FeatureColumn]
    /// The label columns (one, or several for multilabel / multi-output regression).
    public var labelColumns: [String]
    /// A column carried through as row ids (for predictions), never a feature.
    public var idColumn: String?
    /// How the labels are encoded.
    public var target: TargetKind
    /// Binary and multiclass: the label values in index order; multilabel: the label column names.
    public var classNames: [String]
    /// What happens to missing feature values.
    public var missing: MissingValuePolicy
    /// How categorical columns are encoded.
    public var encoding: CategoricalEncoding
    /// Whether numeric and date columns are standardised to zero mean and unit variance.
    public var standardize: Bool

    /// Learns the transform from the training rows of `table`.
    ///
    /// - Parameters:
    ///   - rows: the training rows (all when nil); statistics never see the other rows.
    ///   - labelColumns: the label column(s); empty for an unlabelled transform.
    ///   - idColumn: a row-id column to carry through, excluded from the features.
    ///   - featureColumns: the inputs; nil means every column except labels, id and `excluding`.
    ///   - kinds: column kind overrides; the other columns' kinds are inferred.
    ///   - excluding: columns to leave out when `featureColumns` is nil (`drop_columns`).
    /// - Throws: `DataError` for unknown columns, missing values under `.fail`, unparsable cells,
    ///   labels that do not fit `target`.
    public static func fit(table: DataTable, rows: [Int]? = nil, labelColumns: [String], idColumn: String? = nil,
                           featureColumns: [String]? = nil, kinds: [String: ColumnKind] = [:],
                           target: TargetKind, missing: MissingValuePolicy = .impute,
                           encoding: CategoricalEncoding = .oneHot, standardize: Bool = true,
                           excluding: [String] = []) throws -> Preprocessor {
        let rows = rows ?? Array(0..<table.rowCount)
        for name in labelColumns + (idColumn.map { [$0] } ?? []) + excluding { _ = try table.columnIndex(named: name) }
        let names = featureColumns ?? table.columnNames.filter {
            !labelColumns.contains($0) && $0 != idColumn && !excluding.contains($0)
        }
        guard !names.isEmpty else { throw DataError.noFeatureColumns(file: table.source) }
        let allKinds = try table.columnKinds(overrides: kinds)
        let features = try names.map { name in
            try FeatureColumn.fit(table: table, column: table.columnIndex(named: name), kind: allKinds[name]!,
                                  rows: rows, missing: missing)
        }
        let classNames = try LabelEncoding.classNames(table: table, rows: rows, labelColumns: labelColumns, target: target)
        return Preprocessor(features: features, labelColumns: labelColumns, idColumn: idColumn, target: target,
                            classNames: classNames, missing: missing, encoding: encoding, standardize: standardize)
    }

    /// The dense feature names in tensor column order (`color=red` for one-hot columns).
    public var featureNames: [String] {
        features.flatMap { feature -> [String] in
            switch (feature.kind, encoding) {
            case (.categorical, .oneHot): feature.categories.map { "\(feature.name)=\($0)" }
            case (.categorical, .embedding): []
            default: [feature.name]
            }
        }
    }

    /// The width of the dense feature tensor.
    public var inputSize: Int { features.reduce(0) { $0 + $1.width(encoding: encoding) } }

    /// The categorical columns fed as embedding ids (empty under one-hot), in id-tensor column order.
    public var embeddingColumns: [String] {
        encoding == .embedding ? features.filter { $0.kind == .categorical }.map(\.name) : []
    }

    /// Per embedding column, the number of ids (vocabulary size + 1 for "unseen or missing" = 0).
    public var embeddingCardinalities: [Int] {
        encoding == .embedding ? features.filter { $0.kind == .categorical }.map { $0.categories.count + 1 } : []
    }

    /// The model's output width for this target: 1 (binary), classes, labels or regression columns.
    public var outputSize: Int {
        switch target {
        case .binary: 1
        case .multiclass: classNames.count
        case .multilabel, .regression: labelColumns.count
        }
    }

    /// Writes the preprocessor as JSON (sorted keys, readable).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads a preprocessor written by `write(to:)`.
    /// - Throws: `DataError.fileNotFound` or `.unreadableFile` naming what is wrong.
    public static func read(from url: URL) throws -> Preprocessor {
        guard FileManager.default.fileExists(atPath: url.path) else { throw DataError.fileNotFound(file: url.path) }
        do {
            return try JSONDecoder().decode(Preprocessor.self, from: Data(contentsOf: url))
        } catch {
            throw DataError.unreadableFile(file: url.path, reason: "not a Fledge preprocessor JSON: \(error)")
        }
    }
}
