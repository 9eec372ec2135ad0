/// A problem with the user's data: a missing or malformed file, a bad cell, an unknown label.
///
/// Every message starts with `file:line:column:` (1-based; `line` is the line a text editor shows,
/// counting the lines inside quoted fields; `column` is the 1-based field position in the row) and
/// ends by saying what to do, so a command-line tool can print it as is.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read (a directory, no permission, ...).
    case unreadableFile(file: String, reason: String)
    /// The file has no header line (zero bytes or only blank lines).
    case emptyFile(file: String)
    /// The file has a header but no data rows.
    case noDataRows(file: String, line: Int)
    /// The file is larger than the reader's 4 GiB limit.
    case fileTooLarge(file: String, bytes: Int)
    /// A row has more or fewer fields than the header; `column` is the first extra or missing field.
    case wrongFieldCount(file: String, line: Int, column: Int, found: Int, expected: Int)
    /// A quoted field is never closed; `line`/`column` say where its opening quote is.
    case unterminatedQuote(file: String, line: Int, column: Int)
    /// Two header fields have the same name.
    case duplicateColumnName(file: String, line: Int, column: Int, name: String)
    /// A cell of a numeric column (or a regression label) does not parse as a number.
    case notANumber(file: String, line: Int, column: Int, columnName: String, text: String)
    /// A cell of a boolean or date column does not parse as that kind.
    case invalidValue(file: String, line: Int, column: Int, columnName: String, text: String, expected: ColumnKind)
    /// A named column is not in the header.
    case missingColumn(file: String, line: Int, column: String, available: [String])
    /// A label value that the training rows did not contain.
    case unseenLabel(file: String, line: Int, column: Int, value: String, known: [String])
    /// A missing feature value under `MissingValuePolicy.fail`.
    case missingValue(file: String, line: Int, column: Int, columnName: String)
    /// A row without a label where labels are required.
    case missingLabel(file: String, line: Int, column: Int, columnName: String)
    /// A multilabel target cell that is not 0/1/true/false.
    case notABinaryLabel(file: String, line: Int, column: Int, columnName: String, text: String)
    /// The label column's values do not fit the task (e.g. three classes for `binary`).
    case wrongClassCount(file: String, column: String, target: TargetKind, classes: [String])
    /// Nothing is left to use as a feature.
    case noFeatureColumns(file: String)

    public var description: String {
        switch self {
        case .fileNotFound(let file):
            return "\(file): file not found; check the path (relative paths start from the working directory)"
        case .unreadableFile(let file, let reason):
            return "\(file): cannot read the file (\(reason)); check that it is a readable regular file"
        case .emptyFile(let file):
            return "\(file):1:1: the file is empty; a CSV needs a header line with the column names and at least one data row"
        case .noDataRows(let file, let line):
            return "\(file):\(line):1: the file has a header but no data rows; add data rows below the header"
        case .fileTooLarge(let file, let bytes):
            return "\(file): the file has \(bytes) bytes, more than the 4 GiB the CSV reader handles; split it into smaller files"
        case .wrongFieldCount(let file, let line, let column, let found, let expected):
            let advice = found > expected
                ? "remove the extra delimiter, or quote a value that contains the delimiter (\"a,b\")"
                : "add the missing values (an empty field between two delimiters is a missing value)"
            return "\(file):\(line):\(column): this row has \(found) fields but the header has \(expected) columns; \(advice)"
        case .unterminatedQuote(let file, let line, let column):
            return "\(file):\(line):\(column): the quoted field that starts here is never closed; add the closing quote (write \"\" for a quote inside a quoted field)"
        case .duplicateColumnName(let file, let line, let column, let name):
            return "\(file):\(line):\(column): the column name \"\(name)\" appears twice in the header; rename one of them"
        case .notANumber(let file, let line, let column, let name, let text):
            return "\(file):\(line):\(column): \"\(text)\" in numeric column \"\(name)\" is not a number; fix the value, leave the cell empty to mark it missing, or declare the column categorical (data.column_types)"
        case .invalidValue(let file, let line, let column, let name, let text, let expected):
            return "\(file):\(line):\(column): \"\(text)\" in \(expected.rawValue) column \"\(name)\" is not a valid \(expected.rawValue)\(expected.formatHint); fix the value or declare the column categorical (data.column_types)"
        case .missingColumn(let file, let line, let column, let available):
            return "\(file):\(line):1: no column named \"\(column)\"; the header has: \(available.joined(separator: ", ")); check the column name in the configuration"
        case .unseenLabel(let file, let line, let column, let value, let known):
            return "\(file):\(line):\(column): label \"\(value)\" was not seen in the training data (known labels: \(known.joined(separator: ", "))); remove the row or retrain on data that contains this label"
        case .missingValue(let file, let line, let column, let name):
            return "\(file):\(line):\(column): column \"\(name)\" has a missing value and the missing-value policy is \"fail\"; fill in the value or set data.missing_values: impute"
        case .missingLabel(let file, let line, let column, let name):
            return "\(file):\(line):\(column): label column \"\(name)\" is empty in this row; every labelled row needs a label: fill it in or remove the row"
        case .notABinaryLabel(let file, let line, let column, let name, let text):
            return "\(file):\(line):\(column): \"\(text)\" in label column \"\(name)\" is not 0/1 (or true/false); a multilabel target column holds 0 or 1 per row"
        case .wrongClassCount(let file, let column, let target, let classes):
            let shown = classes.prefix(10).joined(separator: ", ") + (classes.count > 10 ? ", ..." : "")
            let advice = target == .binary && classes.count > 2 ? "use task multiclass" : "check the label column and the task"
            return "\(file): label column \"\(column)\" has \(classes.count) distinct values (\(shown)), which does not fit a \(target.rawValue) task; \(advice)"
        case .noFeatureColumns(let file):
            return "\(file): no feature columns are left after removing the label, id and dropped columns; list the features in data.feature_columns"
        }
    }
}

extension ColumnKind {
    /// What a valid value looks like, for messages.
    var formatHint: String {
        switch self {
        case .boolean: " (true/false or yes/no)"
        case .date: " (ISO 8601: 2024-03-13 or 2024-03-13T10:21:14)"
        case .numeric, .categorical: ""
        }
    }
}
