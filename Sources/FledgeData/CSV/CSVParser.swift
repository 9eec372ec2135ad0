/// The byte parser behind `CSVReader`: reads records of one range of the file.
///
/// Several parsers can work on disjoint row ranges of the same buffer at once (see
/// `CSVReader.parallelRanges`): each writes only inside fields of its own range, and only when a
/// quoted field holds a doubled quote (unescaped in place, never growing).
struct CSVParser {
    let bytes: UnsafeMutablePointer<UInt8>
    /// One past the last byte this parser may read.
    let end: Int
    let source: String
    let delimiter: UInt8
    /// The next byte to read.
    var position: Int
    /// The 1-based line of `position` (relative to the range start when parsing a later chunk).
    var line: Int
    /// Whether a doubled quote was unescaped in place (the buffer no longer matches the file).
    private(set) var mutatedBuffer = false

    init(bytes: UnsafeMutablePointer<UInt8>, range: Range<Int>, line: Int, source: String, delimiter: UInt8) {
        self.bytes = bytes
        end = range.upperBound
        position = range.lowerBound
        self.line = line
        self.source = source
        self.delimiter = delimiter
    }

    /// The rows of one range: filled column buffers and each row's line.
    struct Rows: Sendable {
        var columns: [ColumnBuilder]
        var rowLines: [Int]
    }

    /// Reads the header record as column names.
    mutating func readHeader() throws -> [String] {
        let headerLine = line
        var spans: [(Int, Int)] = []
        try readRecord(powersOfTen: nil) { _, start, length, _, _ in spans.append((start, length)) }
        var names: [String] = []
        for (index, (start, length)) in spans.enumerated() {
            let name = String(decoding: UnsafeBufferPointer(start: bytes + start, count: length), as: UTF8.self)
            if names.contains(name) {
                throw DataError.duplicateColumnName(file: source, line: headerLine, column: index + 1, name: name)
            }
            names.append(name)
        }
        return names
    }

    /// Reads every record up to `end`; on error the buffers are freed and the error rethrown.
    mutating func readRows(columnCount: Int, context: ParseContext) throws -> Rows {
        let base = bytes
        let end = end
        let capacity = 1024
        let columns = UnsafeMutableBufferPointer<ColumnBuilder>.allocate(capacity: columnCount)
        _ = columns.initialize(from: (0..<columnCount).lazy.map { _ in ColumnBuilder(capacity: capacity) })
        defer { columns.deinitialize().deallocate() }
        var rowLines: [Int] = []
        var reserved = false
        skipBlankLines()
        let firstRowStart = position
        do {
            while position < end {
                let recordLine = line
                var fieldCount = 0
                try readRecord(powersOfTen: context.powersOfTen) { field, start, length, number, isNumber in
                    fieldCount = field + 1
                    if field < columnCount {
                        if isNumber {
                            columns[field].appendNumber(start: start, length: length, value: number)
                        } else {
                            columns[field].append(start: start, length: length, base: base, context: context)
                        }
                    }
                }
                guard fieldCount == columnCount else {
                    throw DataError.wrongFieldCount(file: source, line: recordLine, column: Swift.min(fieldCount, columnCount) + 1,
                                                    found: fieldCount, expected: columnCount)
                }
                rowLines.append(recordLine)
                if !reserved {
                    // The first row's length estimates the row count, so the buffers rarely grow.
                    reserved = true
                    let estimate = (end - firstRowStart) / Swift.max(position - firstRowStart, 1) * 9 / 8 + 16
                    rowLines.reserveCapacity(estimate)
                    for index in 0..<columnCount { columns[index].reserve(estimate) }
                }
                skipBlankLines()
            }
        } catch {
            columns.forEach { $0.deallocate() }
            throw error
        }
        return Rows(columns: Array(columns), rowLines: rowLines)
    }

    /// Skips empty lines (LF, CR or CRLF).
    mutating func skipBlankLines() {
        while position < end {
            if bytes[position] == 0x0A {
                position += 1
            } else if bytes[position] == 0x0D {
                position += 1
                if position < end && bytes[position] == 0x0A { position += 1 }
            } else {
                return
            }
            line += 1
        }
    }

    /// Reads one record and its line break, calling `field(index, start, length, number, isNumber)`
    /// per field.
    ///
    /// With `powersOfTen`, an unquoted field that is exactly a decimal number is converted while
    /// its end is found (`isNumber`; for every other field the column classifies the text).
    @inline(__always)
    private mutating func readRecord(powersOfTen: UnsafePointer<Double>?,
                                     _ field: (Int, Int, Int, Double, Bool) throws -> Void) throws {
        let base = bytes
        let end = end
        let delimiter = delimiter
        var index = 0
        while true {
            var start = position
            var length: Int
            var number = 0.0
            var isNumber = false
            if position < end && base[position] == 0x22 {
                (start, length) = try readQuoted(fieldIndex: index)
            } else {
                var cursor = position
                if let powersOfTen, let scan = CellParsing.scanDecimal(base, from: cursor, to: end, powersOfTen: powersOfTen) {
                    cursor = scan.stop
                    let next = cursor < end ? base[cursor] : delimiter
                    isNumber = scan.exact && (next == delimiter || next == 0x0A || next == 0x0D)
                    number = scan.value
                }
                while cursor < end {
                    let byte = base[cursor]
                    if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                    cursor += 1
                }
                length = cursor - start
                position = cursor
            }
            try field(index, start, length, number, isNumber)
            index += 1
            if position < end && base[position] == delimiter {
                position += 1
                continue
            }
            if position < end {
                if base[position] == 0x0D { position += 1 }
                if position < end && base[position] == 0x0A { position += 1 }
                line += 1
            }
            return
        }
    }

    /// Reads a quoted field starting at its opening quote. A field without doubled quotes is its
    /// inner span as is; one with them is unescaped in place. Text after the closing quote up to
    /// the next delimiter is kept, as lenient readers do.
    private mutating func readQuoted(fieldIndex: Int) throws -> (Int, Int) {
        let base = bytes
        let openingLine = line
        let start = position + 1
        var read = start
        var write = start
        while true {
            guard read < end else {
                throw DataError.unterminatedQuote(file: source, line: openingLine, column: fieldIndex + 1)
            }
            let byte = base[read]
            if byte == 0x22 {
                if read + 1 < end && base[read + 1] == 0x22 {
                    mutatedBuffer = true
                    base[write] = 0x22
                    write += 1
                    read += 2
                    continue
                }
                read += 1
                break
            }
            if byte == 0x0A || (byte == 0x0D && (read + 1 >= end || base[read + 1] != 0x0A)) { line += 1 }
            if write != read { base[write] = byte }
            write += 1
            read += 1
        }
        while read < end {
            let byte = base[read]
            if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
            mutatedBuffer = true  // the trailing text moves left over the closing quote
            base[write] = byte
            write += 1
            read += 1
        }
        position = read
        return (start, write - start)
    }
}
