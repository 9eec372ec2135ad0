extension DataTable {
    /// Calls `body(row, text)` for every row of a column in order, with the cell's bytes trimmed of
    /// spaces (an empty buffer for a missing cell), so callers can parse cells of their own formats
    /// (event timestamps with a configured date format) without building a `String` per cell.
    public func forEachCellText(ofColumn column: Int,
                                _ body: (_ row: Int, _ text: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let storage = columns[column]
        try withExtendedLifetime(bytes) {
            for row in 0..<rowCount {
                if storage.cellClass(row) == CellClass.missing.rawValue {
                    try body(row, UnsafeBufferPointer(start: nil, count: 0))
                    continue
                }
                let (start, length) = storage.span(row)
                let (text, count) = CellParsing.trimmed(UnsafePointer(bytes.base + start), length)
                try body(row, UnsafeBufferPointer(start: text, count: count))
            }
        }
    }
}
