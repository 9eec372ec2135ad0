#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads RFC 4180 CSV files with a header line into a columnar `DataTable`.
///
/// Quoted fields may hold delimiters, doubled quotes (`""`) and line breaks; lines may end in LF or
/// CRLF; a UTF-8 byte order mark, blank lines and a missing final line break are accepted. Parsing
/// works on the raw bytes in one pass and also classifies every cell (number, missing, boolean,
/// date, text) and converts numbers on the way, so column kinds are known when the read returns.
public enum CSVReader {
    /// Texts read as a missing value besides an empty cell (pandas' common defaults).
    public static let defaultMissingMarkers: Set<String> = CellParsing.defaultMissingMarkers

    /// Reads the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - delimiter: the field separator, one ASCII character (`,` `;` `\t` `|`).
    ///   - missingMarkers: texts that mean "missing" (after trimming spaces), besides an empty cell.
    /// - Throws: `DataError` for a missing, unreadable or empty file, an unterminated quote, a row
    ///   with the wrong number of fields or a repeated column name, each with file, line and column.
    public static func read(path: String, delimiter: Character = ",",
                            missingMarkers: Set<String> = defaultMissingMarkers) throws -> DataTable {
        let bytes = try loadFile(path)
        return try parse(bytes: bytes, source: path, delimiter: delimiter, missingMarkers: missingMarkers)
    }

    /// Parses CSV text held in memory; `source` names it in messages.
    public static func parse(text: String, source: String = "<memory>", delimiter: Character = ",",
                             missingMarkers: Set<String> = defaultMissingMarkers) throws -> DataTable {
        let utf8 = Array(text.utf8)
        let bytes = ByteStore(count: utf8.count)
        utf8.withUnsafeBufferPointer { bytes.base.initialize(from: $0.baseAddress!, count: utf8.count) }
        return try parse(bytes: bytes, source: source, delimiter: delimiter, missingMarkers: missingMarkers)
    }

    static func loadFile(_ path: String) throws -> ByteStore {
        guard let file = fopen(path, "rb") else {
            if errno == ENOENT || errno == ENOTDIR { throw DataError.fileNotFound(file: path) }
            throw DataError.unreadableFile(file: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var status = stat()
        guard fstat(fileno(file), &status) == 0 else {
            throw DataError.unreadableFile(file: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DataError.unreadableFile(file: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size < Int(UInt32.max) else { throw DataError.fileTooLarge(file: path, bytes: size) }
        let bytes = ByteStore(count: size)
        let read = fread(bytes.base, 1, size, file)
        guard read == size else {
            throw DataError.unreadableFile(file: path, reason: "read \(read) of \(size) bytes")
        }
        return bytes
    }

    static func parse(bytes: ByteStore, source: String, delimiter: Character,
                      missingMarkers: Set<String>) throws -> DataTable {
        guard let separator = delimiter.asciiValue, separator != 0x22, separator != 0x0A, separator != 0x0D else {
            preconditionFailure("CSVReader: the delimiter must be one ASCII character other than a quote or line break, not \(delimiter.debugDescription)")
        }
        var parser = Parser(bytes: bytes, source: source, delimiter: separator, markers: MissingMarkers(missingMarkers))
        return try parser.run()
    }
}

/// The single-pass byte parser behind `CSVReader`.
private struct Parser {
    let bytes: ByteStore
    let source: String
    let delimiter: UInt8
    let markers: MissingMarkers
    /// The next byte to read.
    var position = 0
    /// The 1-based line of `position`.
    var line = 1

    init(bytes: ByteStore, source: String, delimiter: UInt8, markers: MissingMarkers) {
        self.bytes = bytes
        self.source = source
        self.delimiter = delimiter
        self.markers = markers
    }

    mutating func run() throws -> DataTable {
        let base = bytes.base
        let end = bytes.count
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
        skipBlankLines()
        guard position < end else { throw DataError.emptyFile(file: source) }
        let headerLine = line
        var names: [String] = []
        var spans: [(Int, Int)] = []
        try readRecord { _, start, length in spans.append((start, length)) }
        for (index, (start, length)) in spans.enumerated() {
            let name = String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
            if names.contains(name) {
                throw DataError.duplicateColumnName(file: source, line: headerLine, column: index + 1, name: name)
            }
            names.append(name)
        }
        let columnCount = names.count
        let columns = UnsafeMutableBufferPointer<ColumnStorage>.allocate(capacity: columnCount)
        _ = columns.initialize(from: repeatElement(ColumnStorage(), count: columnCount))
        defer { columns.deinitialize().deallocate() }
        var rowLines: [Int] = []
        var reserved = false
        skipBlankLines()
        let firstRowStart = position
        while position < end {
            let recordLine = line
            var fieldCount = 0
            let markers = markers
            try readRecord { field, start, length in
                fieldCount = field + 1
                if field < columnCount {
                    columns[field].append(start: start, length: length, base: base, markers: markers)
                }
            }
            guard fieldCount == columnCount else {
                throw DataError.wrongFieldCount(file: source, line: recordLine, column: Swift.min(fieldCount, columnCount) + 1,
                                                found: fieldCount, expected: columnCount)
            }
            rowLines.append(recordLine)
            if !reserved {
                // The first row's length estimates the row count, so the column arrays grow once.
                reserved = true
                let estimate = (end - firstRowStart) / Swift.max(position - firstRowStart, 1) + 16
                rowLines.reserveCapacity(estimate)
                for index in 0..<columnCount { columns[index].reserve(estimate) }
            }
            skipBlankLines()
        }
        guard !rowLines.isEmpty else { throw DataError.noDataRows(file: source, line: headerLine) }
        return DataTable(source: source, columnNames: names, headerLine: headerLine, rowLines: rowLines,
                         bytes: bytes, columns: Array(columns))
    }

    /// Skips empty lines (LF, CR or CRLF).
    mutating func skipBlankLines() {
        let base = bytes.base
        while position < bytes.count {
            if base[position] == 0x0A {
                position += 1
            } else if base[position] == 0x0D {
                position += 1
                if position < bytes.count && base[position] == 0x0A { position += 1 }
            } else {
                return
            }
            line += 1
        }
    }

    /// Reads one record and its line break, calling `field(index, start, length)` per field.
    @inline(__always)
    mutating func readRecord(_ field: (Int, Int, Int) throws -> Void) throws {
        let base = bytes.base
        let end = bytes.count
        let delimiter = delimiter
        var index = 0
        while true {
            var start = position
            var length: Int
            if position < end && base[position] == 0x22 {
                (start, length) = try readQuoted(fieldIndex: index)
            } else {
                var cursor = position
                while cursor < end {
                    let byte = base[cursor]
                    if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                    cursor += 1
                }
                length = cursor - start
                position = cursor
            }
            try field(index, start, length)
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

    /// Reads a quoted field starting at its opening quote, unescaping it in place.
    /// Text after the closing quote up to the next delimiter is kept (as lenient readers do).
    mutating func readQuoted(fieldIndex: Int) throws -> (Int, Int) {
        let base = bytes.base
        let end = bytes.count
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
                    base[write] = 0x22
                    write += 1
                    read += 2
                    continue
                }
                read += 1
                break
            }
            if byte == 0x0A || (byte == 0x0D && (read + 1 >= end || base[read + 1] != 0x0A)) { line += 1 }
            base[write] = byte
            write += 1
            read += 1
        }
        while read < end {
            let byte = base[read]
            if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
            base[write] = byte
            write += 1
            read += 1
        }
        position = read
        return (start, write - start)
    }
}
