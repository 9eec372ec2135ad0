import Dispatch
import FledgeTensor
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DataTable {
    /// Dictionary-encodes a column: each row's category code (in order of first appearance,
    /// -1 for missing) and the categories as `categoryValue` writes them. Text is hashed as raw
    /// bytes, so no string is built per cell; this backs vocabularies and stratification keys.
    public func categoryCodes(ofColumn column: Int, rows: [Int]? = nil) -> (codes: [Int], categories: [String]) {
        let storage = columns[column]
        var interner = SpanInterner(base: bytes.base, count: bytes.count)
        var numberCodes: [Double: Int] = [:]
        var firsts: [Int] = []
        func code(_ row: Int, _ cellClass: UInt8, _ number: Double, _ start: Int, _ length: Int) -> Int {
            switch cellClass {
            case CellClass.missing.rawValue:
                return -1
            case CellClass.number.rawValue:
                if let code = numberCodes[number] { return code }
                numberCodes[number] = firsts.count
            default:
                let (text, count) = CellParsing.trimmed(bytes.base + start, length)
                let (code, isNew) = interner.code(start: text - UnsafePointer(bytes.base), count: count, next: firsts.count)
                if !isNew { return code }
            }
            firsts.append(row)
            return firsts.count - 1
        }
        let codes: [Int] = withExtendedLifetime(bytes) {
            guard let rows else {
                var codes: [Int] = []
                codes.reserveCapacity(rowCount)
                storage.forEachCell { row, cellClass, number, start, length in
                    codes.append(code(row, cellClass, number, start, length))
                }
                return codes
            }
            return rows.map { row in
                precondition(row >= 0 && row < rowCount, "DataTable: row \(row) out of range 0..<\(rowCount)")
                let (start, length) = storage.span(row)
                return code(row, storage.cellClass(row), storage.number(row), start, length)
            }
        }
        return (codes, firsts.map { categoryValue(row: $0, column: column)! })
    }
}

extension DataTable {
    /// `categoryCodes(ofColumn:)` for several columns, encoded concurrently on
    /// `Threading.threadCount` threads when the table is large.
    public func categoryCodes(ofColumns columns: [Int]) -> [(codes: [Int], categories: [String])] {
        guard Threading.threadCount > 1, columns.count > 1, rowCount * columns.count >= Threading.parallelThreshold else {
            return columns.map { categoryCodes(ofColumn: $0) }
        }
        let results = Mutex([Int: (codes: [Int], categories: [String])]())
        DispatchQueue.concurrentPerform(iterations: columns.count) { index in
            let encoded = categoryCodes(ofColumn: columns[index])
            results.withLock { $0[index] = encoded }
        }
        var encoded = results.withLock { state in
            defer { state = [:] }
            return state
        }
        return columns.indices.map { encoded.removeValue(forKey: $0)! }
    }
}

/// An open-addressing hash table from byte spans of one buffer to codes.
///
/// Categories are usually short: a span's first eight bytes are read as one word, which is both
/// most of the hash and, for spans of up to eight bytes, the whole comparison.
struct SpanInterner {
    private let base: UnsafePointer<UInt8>
    private let limit: Int
    /// Entry index + 1 per slot; 0 = empty.
    private var slots = [Int32](repeating: 0, count: 64)
    private var entries: [(start: Int, count: Int, hash: UInt64, prefix: UInt64, code: Int)] = []

    init(base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = UnsafePointer(base)
        limit = count
    }

    /// The span's first `min(count, 8)` bytes as a little-endian word (zero above them).
    @inline(__always)
    private func prefix(_ start: Int, _ count: Int) -> UInt64 {
        let length = Swift.min(count, 8)
        if start + 8 <= limit {
            let word = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
            return length == 8 ? word : word & ((1 << UInt64(length * 8)) - 1)
        }
        var word: UInt64 = 0
        for index in stride(from: length - 1, through: 0, by: -1) { word = word << 8 | UInt64(base[start + index]) }
        return word
    }

    /// The code of the span, assigning `next` when it is new.
    mutating func code(start: Int, count: Int, next: Int) -> (code: Int, isNew: Bool) {
        let prefix = prefix(start, count)
        var hash = (prefix ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        if count > 8 {
            for index in (start + 8)..<(start + count) { hash = (hash ^ UInt64(base[index])) &* 0x100_0000_01B3 }
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        while slots[slot] != 0 {
            let entry = entries[Int(slots[slot]) - 1]
            if entry.hash == hash && entry.count == count && entry.prefix == prefix
                && (count <= 8 || memcmp(base + entry.start, base + start, count) == 0) {
                return (entry.code, false)
            }
            slot = (slot + 1) & mask
        }
        entries.append((start, count, hash, prefix, next))
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { rehash() }
        return (next, true)
    }

    private mutating func rehash() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }
}
