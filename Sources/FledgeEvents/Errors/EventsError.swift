/// A problem with event data or its use that the user can fix. Each message names where it is
/// (file and line, table and row, column or config key) and says what to do.
public enum EventsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A column named in the config or used by a target function is not in the table.
    case unknownColumn(source: String, column: String, available: [String])
    /// A timestamp cell that does not match `date_format`.
    case unparseableDate(location: String, column: String, text: String, format: String)
    /// A cell of a column read as decimal that is not a number.
    case notADecimal(location: String, column: String, text: String)
    /// An event or attribute row without an entity id.
    case missingKey(location: String, column: String)
    /// A `date_format` pattern that cannot be used.
    case invalidDateFormat(format: String, reason: String)
    /// No reader is available for a source's format.
    case noReader(source: String, format: SourceFormat)
    /// A database could not be opened or queried.
    case databaseError(source: String, message: String)
    /// A split has no usable sample (no entity with history and a target).
    case noSamples(split: String, reason: String)
    /// Training asked for without `validation_start_date` (prediction-only data parameters).
    case predictionOnly
    /// A saved events model is missing a file or does not match the data.
    case invalidModel(path: String, reason: String)
    /// Something else about the setup; the message says what to change.
    case invalidSetup(String)

    public var description: String {
        switch self {
        case .unknownColumn(let source, let column, let available):
            return "\(source): no column named \"\(column)\"; the available columns are: \(available.joined(separator: ", ")); check the name in the config or target function"
        case .unparseableDate(let location, let column, let text, let format):
            return "\(location): \"\(text)\" in date column \"\(column)\" does not match date_format \"\(format)\"; fix the value or set date_format (iso8601, a pattern such as yyyy-MM-dd HH:mm:ss, unix or unix_ms)"
        case .notADecimal(let location, let column, let text):
            return "\(location): \"\(text)\" in decimal column \"\(column)\" is not a number; fix the value, leave it empty, or override the column type (column_type_overrides: {\(column): categorical})"
        case .missingKey(let location, let column):
            return "\(location): the key column \"\(column)\" is empty; every row needs its entity or join key: fill it in or remove the row"
        case .invalidDateFormat(let format, let reason):
            return "date_format \"\(format)\": \(reason)"
        case .noReader(let source, let format):
            return "\(source): no reader for format \(format.rawValue) is set; add one to EventTableReaders (EventTableReaders.standard has csv, sqlite and postgres)"
        case .databaseError(let source, let message):
            return "\(source): \(message)"
        case .noSamples(let split, let reason):
            return "the \(split) split has no samples: \(reason)"
        case .predictionOnly:
            return "data_params.validation_start_date is not set, so these data parameters only allow prediction; set validation_start_date (and check_target_for_next_N_days) to train"
        case .invalidModel(let path, let reason):
            return "\(path): \(reason)"
        case .invalidSetup(let message):
            return message
        }
    }
}
