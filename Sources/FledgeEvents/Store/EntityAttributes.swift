/// The main-entity attribute table (one row per entity: signup date, region, age band), aligned
/// with the store's entities: row `e` belongs to entity `e`; entities without a row have missing values.
public struct EntityAttributes: Sendable {
    /// The attribute columns (the key column excluded).
    public let columns: [StoredColumn]

    /// Creates the attributes from columns with one row per entity.
    public init(columns: [StoredColumn]) {
        self.columns = columns
    }

    /// The column named `name`, or nil.
    public func column(named name: String) -> StoredColumn? { columns.first { $0.name == name } }
}

/// How a raw column becomes a stored one: rows picked through `rows` (-1 = missing) and typed.
enum ColumnStoring {
    static func store(_ raw: RawColumn, rows: [Int], override: EventColumnType?, maxCategories: Int) -> StoredValues {
        switch raw {
        case .decimal(let numbers) where override == nil || override == .decimal:
            let values = rows.map { $0 < 0 ? Float.nan : Float(numbers[$0]) }
            return .decimal(values, normalization: Normalization(fitting: values))
        case .timestamp(let seconds) where override == nil || override == .timestamp:
            return .timestamp(rows.map { $0 < 0 ? Int64.min : seconds[$0] })
        default:
            let (codes, unsorted) = raw.asText()
            // Vocabularies sorted by value, so codes do not depend on the order rows were read in.
            let order = unsorted.indices.sorted { unsorted[$0] < unsorted[$1] }
            var sortedCode = [Int32](repeating: -1, count: unsorted.count)
            for (new, old) in order.enumerated() { sortedCode[old] = Int32(new) }
            let vocabulary = order.map { unsorted[$0] }
            let stored = rows.map { $0 < 0 || codes[$0] < 0 ? Int32(-1) : sortedCode[Int(codes[$0])] }
            let isCategorical = override == .categorical || (override != .id && vocabulary.count <= maxCategories)
            return isCategorical ? .categorical(codes: stored, vocabulary: vocabulary) : .id(codes: stored, vocabulary: vocabulary)
        }
    }
}
