/// Which item of a representation each event of a store is: the link between a store's rows and
/// the representation's item vocabulary (by value, so it works on new data).
struct ItemRows: Sendable {
    /// Per event row: the item index, or -1 (no value, or an item the representation does not know).
    let items: [Int32]

    /// Maps the store's `representation.itemColumn` to item indices.
    /// - Throws: `EventsError.unknownColumn` when the store lacks the item column.
    init(store: EventStore, representation: BehaviouralRepresentation) throws {
        let column = try store.requireColumn(representation.itemColumn, context: "representation.item_column")
        let byCode = column.vocabulary.map { value in representation.itemIndex(of: value).map(Int32.init) ?? -1 }
        items = (0..<store.eventCount).map { row in
            let code = column.code(at: row)
            return code >= 0 && Int(code) < byCode.count ? byCode[Int(code)] : -1
        }
    }

    /// Whether each row is an item event.
    var isItemEvent: [Bool] { items.map { $0 >= 0 } }

    /// The distinct items of entity `entity` in `[from, until)`, ascending.
    func items(store: EventStore, entity: Int, from: Int64, until: Int64) -> [Int] {
        let rows = store.firstRow(ofEntity: entity, atOrAfter: from)..<store.firstRow(ofEntity: entity, atOrAfter: until)
        return Set(rows.compactMap { items[$0] >= 0 ? Int(items[$0]) : nil }).sorted()
    }
}
