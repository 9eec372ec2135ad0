#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a parsed file, owned by its table.
///
/// Quoted fields are unescaped in place while parsing (the unescaped text is never longer), so
/// every cell is a span of this buffer. Immutable once parsing ends, hence safe to share.
final class ByteStore: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int
    /// True when `base` is a private file mapping (unmapped, not deallocated, at the end).
    private let mapped: Bool

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: Swift.max(count, 1))
        mapped = false
    }

    /// Maps a file copy-on-write: its pages come from the page cache without copying or zeroing,
    /// and the rare in-place unescaping touches only this process's copy of a page.
    init?(mapping descriptor: Int32, count: Int) {
        guard count > 0 else { return nil }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, count, PROT_READ | PROT_WRITE, flags, descriptor, 0),
              address != MAP_FAILED else { return nil }
        self.count = count
        base = address.assumingMemoryBound(to: UInt8.self)
        mapped = true
    }

    deinit {
        if mapped { munmap(base, count) } else { base.deallocate() }
    }
}

/// How a cell parsed.
///
/// A cell that is not a number stores its class in the payload of a NaN in the numbers buffer,
/// so a column needs no separate class buffer (parsed numbers are never NaN).
enum CellClass: UInt8 {
    case number, missing, boolean, date, text

    private static let boxBits: UInt64 = 0x7FF8_F1ED_0000_0000

    /// The NaN standing for this class in a numbers buffer.
    var boxed: Double { Double(bitPattern: Self.boxBits | UInt64(rawValue)) }

    /// The raw class of a numbers-buffer entry.
    @inline(__always)
    static func decode(_ entry: Double) -> UInt8 {
        entry.isNaN ? UInt8(truncatingIfNeeded: entry.bitPattern) : CellClass.number.rawValue
    }
}

/// One column of a parsed table: where each cell's text is, its number if it has one, its class.
///
/// Owns the buffers that `ColumnBuilder`s filled, one segment per row range parsed in parallel
/// (kept as they are: joining them would copy and touch twice the memory, the slowest part of a
/// large read). Immutable afterwards, hence safe to share.
final class ColumnStorage: @unchecked Sendable {
    let count: Int
    let profile: ColumnProfile
    private let segments: [ColumnBuilder]
    /// The first row of each segment.
    private let firstRows: [Int]

    init(_ segments: [ColumnBuilder]) {
        self.segments = segments
        var firstRows: [Int] = []
        var count = 0
        var profile = ColumnProfile()
        for segment in segments {
            firstRows.append(count)
            count += segment.count
            profile.add(segment.profile)
        }
        self.firstRows = firstRows
        self.count = count
        self.profile = profile
    }

    deinit { segments.forEach { $0.deallocate() } }

    /// The segment holding `row` and the row's index in it.
    @inline(__always)
    private func locate(_ row: Int) -> (segment: Int, index: Int) {
        if segments.count == 1 { return (0, row) }
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if firstRows[middle] <= row { low = middle } else { high = middle - 1 }
        }
        return (low, row - firstRows[low])
    }

    /// The raw `CellClass` of a row.
    @inline(__always)
    func cellClass(_ row: Int) -> UInt8 {
        let (segment, index) = locate(row)
        return CellClass.decode(segments[segment].numbers[index])
    }

    /// The parsed number of a row (NaN unless its class is `.number`).
    @inline(__always)
    func number(_ row: Int) -> Double {
        let (segment, index) = locate(row)
        return segments[segment].numbers[index]
    }

    /// Where a row's text is in the file buffer.
    @inline(__always)
    func span(_ row: Int) -> (start: Int, length: Int) {
        let (segment, index) = locate(row)
        return (Int(segments[segment].starts[index]), Int(segments[segment].lengths[index]))
    }

    /// Calls `body(row, class, number, start, length)` for every cell in row order, segment by segment.
    @inline(__always)
    func forEachCell(_ body: (Int, UInt8, Double, Int, Int) -> Void) {
        for (segment, firstRow) in zip(segments, firstRows) {
            for index in 0..<segment.count {
                let number = segment.numbers[index]
                body(firstRow + index, CellClass.decode(number), number, Int(segment.starts[index]),
                     Int(segment.lengths[index]))
            }
        }
    }

    /// Every row's number (NaN where there is none), in row order.
    func allNumbers() -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(count)
        for segment in segments { result += UnsafeBufferPointer(start: segment.numbers, count: segment.count) }
        return result
    }
}

/// Fills one column's buffers while parsing. A plain struct of pointers (no reference counting
/// or uniqueness checks per cell); its buffers pass to a `ColumnStorage` or are freed. One thread
/// owns a builder at a time (a chunk parser hands it over when done), hence `@unchecked Sendable`.
struct ColumnBuilder: @unchecked Sendable {
    private(set) var count = 0
    private(set) var capacity: Int
    private(set) var starts: UnsafeMutablePointer<UInt32>
    private(set) var lengths: UnsafeMutablePointer<UInt32>
    /// Each cell's number, or for other cells the NaN boxing its `CellClass`.
    private(set) var numbers: UnsafeMutablePointer<Double>
    private(set) var profile = ColumnProfile()

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        starts = CellBuffer.allocate(self.capacity)
        lengths = CellBuffer.allocate(self.capacity)
        numbers = CellBuffer.allocate(self.capacity)
    }

    func deallocate() {
        CellBuffer.free(starts, capacity: capacity)
        CellBuffer.free(lengths, capacity: capacity)
        CellBuffer.free(numbers, capacity: capacity)
    }

    /// Grows the buffers to hold at least `minimum` cells.
    mutating func reserve(_ minimum: Int) {
        guard minimum > capacity else { return }
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new: UnsafeMutablePointer<T> = CellBuffer.allocate(minimum)
            new.moveInitialize(from: old, count: count)
            CellBuffer.free(old, capacity: capacity)
            return new
        }
        starts = moved(starts)
        lengths = moved(lengths)
        numbers = moved(numbers)
        capacity = minimum
    }

    /// Records a cell the parser already read as a number.
    @inline(__always)
    mutating func appendNumber(start: Int, length: Int, value: Double) {
        if count == capacity { reserve(capacity * 2) }
        starts[count] = UInt32(truncatingIfNeeded: start)
        lengths[count] = UInt32(truncatingIfNeeded: length)
        numbers[count] = value
        count += 1
        profile.numberCount += 1
    }

    /// Records one cell and classifies it.
    @inline(__always)
    mutating func append(start: Int, length: Int, base: UnsafePointer<UInt8>, context: ParseContext) {
        if count == capacity { reserve(capacity * 2) }
        starts[count] = UInt32(truncatingIfNeeded: start)
        lengths[count] = UInt32(truncatingIfNeeded: length)
        let (text, trimmedCount) = CellParsing.trimmed(base + start, length)
        var value = Double.nan
        let cellClass: CellClass
        if trimmedCount == 0 {
            cellClass = .missing
        } else if let number = CellParsing.number(text, trimmedCount, powersOfTen: context.powersOfTen) {
            value = number
            cellClass = .number
        } else if context.markers.contains(text, trimmedCount) {
            cellClass = .missing
        } else if CellParsing.isBoolean(text, trimmedCount) {
            cellClass = .boolean
        } else if CellParsing.looksLikeDate(text, trimmedCount) {
            cellClass = .date
        } else {
            cellClass = .text
        }
        numbers[count] = cellClass == .number ? value : cellClass.boxed
        count += 1
        switch cellClass {
        case .number: profile.numberCount += 1
        case .missing: profile.missingCount += 1
        case .boolean: profile.booleanCount += 1
        case .date: profile.dateCount += 1
        case .text: profile.otherTextCount += 1
        }
    }
}

/// Allocation of cell buffers. Large ones are anonymous mappings advised to use huge pages:
/// a 100 MB file needs ~200 MB of cell buffers, and faulting them in 4 KiB pages cost a fifth of
/// the read time.
enum CellBuffer {
    private static let mappingThreshold = 4 << 20

    static func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        if bytes >= mappingThreshold, let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           address != MAP_FAILED {
            #if os(Linux)
            _ = madvise(address, bytes, MADV_HUGEPAGE)
            #endif
            return address.bindMemory(to: T.self, capacity: count)
        }
        return .allocate(capacity: count)
    }

    static func free<T>(_ pointer: UnsafeMutablePointer<T>, capacity: Int) {
        let bytes = capacity * MemoryLayout<T>.stride
        if bytes >= mappingThreshold { munmap(pointer, bytes) } else { pointer.deallocate() }
    }
}

/// What cell classification needs, resolved once per parse.
struct ParseContext {
    let markers: MissingMarkers
    /// Exact powers of ten 10^0 ... 10^22.
    let powersOfTen: UnsafePointer<Double>
}

/// The set of texts that mark a missing cell, compared as bytes.
///
/// Markers of up to 8 bytes are packed into integers, so checking a short text cell is a few
/// integer compares; longer markers are compared byte by byte.
struct MissingMarkers: Sendable {
    private let short: [(length: Int, packed: UInt64)]
    private let long: [[UInt8]]
    private let longest: Int

    init(_ markers: Set<String>) {
        let bytes = markers.map { Array($0.utf8) }.filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
        short = bytes.filter { $0.count <= 8 }.map { marker in
            marker.withUnsafeBufferPointer { (marker.count, Self.pack($0.baseAddress!, marker.count)) }
        }
        long = bytes.filter { $0.count > 8 }
        longest = bytes.map(\.count).max() ?? 0
    }

    @inline(__always)
    private static func pack(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var packed: UInt64 = 0
        for index in 0..<count { packed = packed << 8 | UInt64(base[index]) }
        return packed
    }

    @inline(__always)
    func contains(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count <= longest else { return false }
        if count <= 8 {
            let packed = Self.pack(base, count)
            for marker in short where marker.length == count && marker.packed == packed { return true }
            return false
        }
        return long.contains { $0.count == count && $0.elementsEqual(UnsafeBufferPointer(start: base, count: count)) }
    }
}
