/// The bytes of a parsed file, owned by its table.
///
/// Quoted fields are unescaped in place while parsing (the unescaped text is never longer), so
/// every cell is a span of this buffer. Immutable once parsing ends, hence safe to share.
final class ByteStore: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: Swift.max(count, 1))
    }

    deinit { base.deallocate() }
}

/// How a cell parsed.
enum CellClass: UInt8 {
    case number, missing, boolean, date, text
}

/// One column of a parsed table: where each cell's text is, its number if it has one, its class.
struct ColumnStorage: Sendable {
    var starts: [UInt32] = []
    var lengths: [UInt32] = []
    /// The cell's value where it parsed as a number, NaN elsewhere.
    var numbers: [Double] = []
    var classes: [UInt8] = []
    var profile = ColumnProfile()

    mutating func reserve(_ count: Int) {
        starts.reserveCapacity(count)
        lengths.reserveCapacity(count)
        numbers.reserveCapacity(count)
        classes.reserveCapacity(count)
    }

    /// Records one cell and classifies it.
    @inline(__always)
    mutating func append(start: Int, length: Int, base: UnsafePointer<UInt8>, markers: MissingMarkers) {
        starts.append(UInt32(truncatingIfNeeded: start))
        lengths.append(UInt32(truncatingIfNeeded: length))
        let (text, count) = CellParsing.trimmed(base + start, length)
        var value = Double.nan
        let cellClass: CellClass
        if count == 0 {
            cellClass = .missing
        } else if let number = CellParsing.number(text, count) {
            value = number
            cellClass = .number
        } else if markers.contains(text, count) {
            cellClass = .missing
        } else if CellParsing.isBoolean(text, count) {
            cellClass = .boolean
        } else if CellParsing.looksLikeDate(text, count) {
            cellClass = .date
        } else {
            cellClass = .text
        }
        numbers.append(value)
        classes.append(cellClass.rawValue)
        switch cellClass {
        case .number: profile.numberCount += 1
        case .missing: profile.missingCount += 1
        case .boolean: profile.booleanCount += 1
        case .date: profile.dateCount += 1
        case .text: profile.otherTextCount += 1
        }
    }
}

/// The set of texts that mark a missing cell, compared as bytes.
struct MissingMarkers: Sendable {
    private let markers: [[UInt8]]
    private let longest: Int

    init(_ markers: Set<String>) {
        self.markers = markers.map { Array($0.utf8) }.filter { !$0.isEmpty }
        longest = self.markers.map(\.count).max() ?? 0
    }

    @inline(__always)
    func contains(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count <= longest else { return false }
        for marker in markers where marker.count == count {
            var equal = true
            for index in 0..<count where marker[index] != base[index] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }
}
