import FledgeTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads RFC 4180 CSV files with a header line into a columnar `DataTable`.
///
/// Quoted fields may hold delimiters, doubled quotes (`""`) and line breaks; lines may end in LF or
/// CRLF; a UTF-8 byte order mark, blank lines and a missing final line break are accepted. Parsing
/// works on the raw bytes of the mapped file and also classifies every cell (number, missing,
/// boolean, date, text) and converts numbers on the way, so column kinds are known when the read
/// returns. Files from 4 MB on are parsed in row ranges on `Threading.threadCount` threads.
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
        try read(path: path, delimiter: delimiter, missingMarkers: missingMarkers, parallelMinimumBytes: parallelMinimumBytes)
    }

    /// `read(path:...)` with the size from which rows are parsed on several threads (tests lower it).
    static func read(path: String, delimiter: Character, missingMarkers: Set<String>,
                     parallelMinimumBytes: Int) throws -> DataTable {
        let bytes = try loadFile(path)
        return try parse(bytes: bytes, source: path, delimiter: delimiter, missingMarkers: missingMarkers,
                         reload: { try loadFile(path) }, parallelMinimumBytes: parallelMinimumBytes)
    }

    /// Parses CSV text held in memory; `source` names it in messages.
    public static func parse(text: String, source: String = "<memory>", delimiter: Character = ",",
                             missingMarkers: Set<String> = defaultMissingMarkers) throws -> DataTable {
        let utf8 = Array(text.utf8)
        let bytes = ByteStore(count: utf8.count)
        utf8.withUnsafeBufferPointer { utf8 in
            if let source = utf8.baseAddress { bytes.base.initialize(from: source, count: utf8.count) }
        }
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
        if let mapped = ByteStore(mapping: fileno(file), count: size) { return mapped }
        let bytes = ByteStore(count: size)
        let read = fread(bytes.base, 1, size, file)
        guard read == size else {
            throw DataError.unreadableFile(file: path, reason: "read \(read) of \(size) bytes")
        }
        return bytes
    }

    /// Row ranges per thread: more ranges than threads balance the work when a core is busy
    /// with other processes (the slowest range decides the wall time).
    static let chunksPerThread = 4

    /// Files below this size are parsed on one thread.
    static let parallelMinimumBytes = 4 << 20

    static func parse(bytes: ByteStore, source: String, delimiter: Character, missingMarkers: Set<String>,
                      reload: (() throws -> ByteStore)? = nil,
                      parallelMinimumBytes: Int = parallelMinimumBytes) throws -> DataTable {
        guard let separator = delimiter.asciiValue, separator != 0x22, separator != 0x0A, separator != 0x0D else {
            preconditionFailure("CSVReader: the delimiter must be one ASCII character other than a quote or line break, not \(delimiter.debugDescription)")
        }
        let base = bytes.base
        var start = 0
        if bytes.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        var header = CSVParser(bytes: base, range: start..<bytes.count, line: 1, source: source, delimiter: separator)
        header.skipBlankLines()
        guard header.position < bytes.count else { throw DataError.emptyFile(file: source) }
        let headerLine = header.line
        let names = try header.readHeader()
        header.skipBlankLines()
        let body = header.position..<bytes.count
        let markers = MissingMarkers(missingMarkers)

        let threads = Threading.threadCount
        var chunks: [CSVParser.Rows]?
        var table = bytes
        if let reload, threads > 1 && body.count >= parallelMinimumBytes {
            let ranges = parallelRanges(base, body, parts: threads * chunksPerThread)
            chunks = readChunks(base, ranges: ranges, firstLine: header.line, source: source, delimiter: separator,
                                columnCount: names.count, markers: markers)
            // A failed parallel read (a real error, or a split inside a quoted field) is redone in
            // one pass on fresh bytes, which reports the first error with its true line.
            if chunks == nil { table = try reload() }
        }
        if chunks == nil {
            var parser = CSVParser(bytes: table.base, range: body, line: header.line, source: source, delimiter: separator)
            chunks = [try CSVReader.withContext(markers) { try parser.readRows(columnCount: names.count, context: $0) }]
        }
        let parts = chunks!.filter { !$0.rowLines.isEmpty }
        let columns = (0..<names.count).map { column in ColumnStorage(parts.map { $0.columns[column] }) }
        chunks!.filter { $0.rowLines.isEmpty }.forEach { $0.columns.forEach { $0.deallocate() } }
        guard !parts.isEmpty else { throw DataError.noDataRows(file: source, line: headerLine) }
        return DataTable(source: source, columnNames: names, headerLine: headerLine,
                         rowLines: parts.count == 1 ? parts[0].rowLines : parts.flatMap(\.rowLines),
                         bytes: table, columns: columns)
    }
}
