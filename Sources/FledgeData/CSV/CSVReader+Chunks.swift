import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a large file as several row ranges at once.
extension CSVReader {
    /// Splits `body` into up to `parts` ranges that each start at a record.
    ///
    /// A cut is placed after the first line break past the even share at which an even number of
    /// quotes precede it (outside any quoted field, if quotes only open and close fields). Should a
    /// stray quote fool the count, the parser of the range before the cut ends inside a quoted
    /// field and fails, and the caller falls back to one pass.
    static func parallelRanges(_ base: UnsafeMutablePointer<UInt8>, _ body: Range<Int>, parts: Int) -> [Range<Int>] {
        var cuts = [body.lowerBound]
        var counted = body.lowerBound
        var quotes = 0
        for part in 1..<parts {
            let target = body.lowerBound + body.count / parts * part
            guard target > cuts.last! else { continue }
            quotes += countQuotes(base, counted..<target)
            counted = target
            var inside = quotes % 2 == 1
            var cursor = target
            while cursor < body.upperBound {
                let byte = base[cursor]
                if byte == 0x22 { inside.toggle(); quotes += 1 }
                cursor += 1
                if byte == 0x0A && !inside { break }
            }
            counted = cursor
            if cursor < body.upperBound { cuts.append(cursor) }
        }
        cuts.append(body.upperBound)
        return zip(cuts, cuts.dropFirst()).map { $0..<$1 }.filter { !$0.isEmpty }
    }

    private static func countQuotes(_ base: UnsafeMutablePointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        var cursor = UnsafeRawPointer(base + range.lowerBound)
        let end = UnsafeRawPointer(base + range.upperBound)
        while cursor < end, let found = memchr(cursor, 0x22, end - cursor) {
            count += 1
            cursor = UnsafeRawPointer(found) + 1
        }
        return count
    }

    /// Parses the ranges concurrently; nil when any range fails. Lines are made absolute.
    static func readChunks(_ base: UnsafeMutablePointer<UInt8>, ranges: [Range<Int>], firstLine: Int, source: String,
                           delimiter: UInt8, columnCount: Int, markers: MissingMarkers) -> [CSVParser.Rows]? {
        let results = Mutex([Int: (rows: CSVParser.Rows, endLine: Int)]())
        let failed = Atomic<Bool>(false)
        let address = UInt(bitPattern: base)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
            let base = UnsafeMutablePointer<UInt8>(bitPattern: address)!
            var parser = CSVParser(bytes: base, range: ranges[index], line: 1, source: source, delimiter: delimiter)
            do {
                let rows = try withContext(markers) { try parser.readRows(columnCount: columnCount, context: $0) }
                let endLine = parser.line
                results.withLock { $0[index] = (rows, endLine) }
            } catch {
                failed.store(true, ordering: .relaxed)
            }
        }
        var parts = results.withLock { state in
            defer { state = [:] }  // hand the arrays over without a second reference (no copy on write)
            return state
        }
        guard !failed.load(ordering: .relaxed) else {
            parts.values.forEach { $0.rows.columns.forEach { $0.deallocate() } }
            return nil
        }
        var lineOffset = firstLine - 1
        return ranges.indices.map { index in
            var (rows, endLine) = parts.removeValue(forKey: index)!
            rows.rowLines.withUnsafeMutableBufferPointer { lines in
                for index in lines.indices { lines[index] += lineOffset }
            }
            lineOffset += endLine - 1
            return rows
        }
    }

    /// Runs `body` with the parse context (the powers-of-ten table stays pinned meanwhile).
    static func withContext<R>(_ markers: MissingMarkers, _ body: (ParseContext) throws -> R) throws -> R {
        try CellParsing.powersOfTen.withUnsafeBufferPointer { powers in
            try body(ParseContext(markers: markers, powersOfTen: powers.baseAddress!))
        }
    }
}
