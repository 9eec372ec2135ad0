/// One event or attribute column in the store, typed for features and target functions.
public struct StoredColumn: Sendable {
    /// The column name (prefixed with the source name when two sources share a name).
    public let name: String
    /// The values, one per stored row.
    public let values: StoredValues

    /// Creates a column.
    public init(name: String, values: StoredValues) {
        self.name = name
        self.values = values
    }

    /// The column's type.
    public var type: EventColumnType {
        switch values {
        case .decimal: .decimal
        case .categorical: .categorical
        case .id: .id
        case .timestamp: .timestamp
        }
    }

    /// The text of a row's value (categorical and id columns; nil for missing or other types).
    public func text(at row: Int) -> String? {
        switch values {
        case .categorical(let codes, let vocabulary), .id(let codes, let vocabulary):
            let code = codes[row]
            return code < 0 ? nil : vocabulary[Int(code)]
        case .decimal, .timestamp:
            return nil
        }
    }

    /// A row's number: the decimal value, the timestamp in seconds; nil for missing or text columns.
    public func number(at row: Int) -> Double? {
        switch values {
        case .decimal(let values, _):
            let value = values[row]
            return value.isNaN ? nil : Double(value)
        case .timestamp(let seconds):
            return seconds[row] == Int64.min ? nil : Double(seconds[row])
        case .categorical, .id:
            return nil
        }
    }

    /// The category code of a row (categorical and id columns), -1 when missing.
    public func code(at row: Int) -> Int32 {
        switch values {
        case .categorical(let codes, _), .id(let codes, _): codes[row]
        case .decimal, .timestamp: -1
        }
    }

    /// The distinct values of a categorical or id column (empty otherwise).
    public var vocabulary: [String] {
        switch values {
        case .categorical(_, let vocabulary), .id(_, let vocabulary): vocabulary
        case .decimal, .timestamp: []
        }
    }
}

/// The values of a stored column.
public enum StoredValues: Sendable {
    /// Numbers as `Float` (NaN = missing) with their mean and standard deviation over all rows,
    /// which features use to normalise.
    case decimal([Float], normalization: Normalization)
    /// A low-cardinality label: codes into `vocabulary` (-1 = missing); one feature per value.
    case categorical(codes: [Int32], vocabulary: [String])
    /// A high-cardinality identifier: codes into `vocabulary` (-1 = missing); hashed into sketches.
    case id(codes: [Int32], vocabulary: [String])
    /// Seconds since 1970 (`Int64.min` = missing).
    case timestamp([Int64])
}

/// The mean and standard deviation a decimal column is normalised with.
public struct Normalization: Sendable, Codable, Equatable {
    /// The mean of the present values.
    public var mean: Double
    /// Their standard deviation (1 when it is 0 or undefined).
    public var standardDeviation: Double

    /// Fits on the present (non-NaN) values.
    public init(fitting values: [Float]) {
        var count = 0.0, sum = 0.0, squares = 0.0
        for value in values where !value.isNaN {
            count += 1
            sum += Double(value)
            squares += Double(value) * Double(value)
        }
        mean = count > 0 ? sum / count : 0
        let variance = count > 1 ? max(0, (squares - sum * mean) / (count - 1)) : 0
        standardDeviation = variance > 0 ? variance.squareRoot() : 1
    }

    /// `value` normalised.
    public func apply(_ value: Double) -> Double { (value - mean) / standardDeviation }
}
