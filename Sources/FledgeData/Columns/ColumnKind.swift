/// What a column holds, which decides how it becomes model input.
public enum ColumnKind: String, Codable, Sendable, CaseIterable {
    /// Numbers (missing cells allowed): standardised floats.
    case numeric
    /// Text labels from a finite set: one-hot columns or embedding ids.
    case categorical
    /// true/false or yes/no (any case): one 0/1 feature.
    case boolean
    /// ISO 8601 dates or date-times: days since 1970-01-01 as a number.
    case date
}

/// How the cells of one column parsed while reading, which is what kind inference looks at.
public struct ColumnProfile: Sendable, Equatable {
    /// Cells that parsed as decimal numbers.
    public internal(set) var numberCount = 0
    /// Empty cells and missing markers (`NA`, `NaN`, `null`, ...).
    public internal(set) var missingCount = 0
    /// Text cells reading true/false/yes/no.
    public internal(set) var booleanCount = 0
    /// Text cells shaped like ISO dates.
    public internal(set) var dateCount = 0
    /// Any other text.
    public internal(set) var otherTextCount = 0

    mutating func add(_ other: ColumnProfile) {
        numberCount += other.numberCount
        missingCount += other.missingCount
        booleanCount += other.booleanCount
        dateCount += other.dateCount
        otherTextCount += other.otherTextCount
    }

    /// Cells that are not missing.
    public var presentCount: Int { numberCount + booleanCount + dateCount + otherTextCount }
    /// Cells that are text (not numbers, not missing).
    public var textCount: Int { booleanCount + dateCount + otherTextCount }

    /// The kind a column with this profile most likely has.
    ///
    /// All numbers (missing cells allowed) is numeric; all booleans is boolean; all dates is date.
    /// A column that is at least 90% numbers is still numeric, so a stray typo is reported as
    /// `DataError.notANumber` at its line instead of silently turning the column into categories.
    public var inferredKind: ColumnKind {
        if textCount == 0 { return .numeric }
        if numberCount == 0 && booleanCount == presentCount { return .boolean }
        if numberCount == 0 && dateCount == presentCount { return .date }
        if numberCount * 10 >= presentCount * 9 { return .numeric }
        return .categorical
    }
}
