/// The entity–item bipartite graph of the events before a date, stored both ways (CSR), with one
/// edge per event (so an entity that saw an item three times has weight 3 on that edge).
///
/// Entity side: entity `e`'s item indices are `entityItems[entityOffsets[e] ..< entityOffsets[e + 1]]`
/// (the store's own layout, minus events without an item or at/after `until`). Item side:
/// item `i`'s entities are `itemEntities[itemOffsets[i] ..< itemOffsets[i + 1]]`.
struct ItemGraph: Sendable {
    /// The item vocabulary, sorted by value (indices below refer to it).
    let items: [String]
    let entityOffsets: [Int]
    let entityItems: [Int32]
    let itemOffsets: [Int]
    let itemEntities: [Int32]

    /// The number of edges (events with an item before `until`).
    var edgeCount: Int { entityItems.count }

    /// Builds the graph of `column`'s values in the events of `store` with time < `until`.
    init(store: EventStore, column: StoredColumn, until: Int64) {
        let (codes, vocabulary) = Self.codes(of: column)
        // Which store codes occur before `until`.
        var seen = [Bool](repeating: false, count: vocabulary.count)
        var ends = [Int](repeating: 0, count: store.entityCount)
        for entity in 0..<store.entityCount {
            let end = store.firstRow(ofEntity: entity, atOrAfter: until)
            ends[entity] = end
            for row in store.offsets[entity]..<end where codes[row] >= 0 { seen[Int(codes[row])] = true }
        }
        let used = vocabulary.indices.filter { seen[$0] }.sorted { vocabulary[$0] < vocabulary[$1] }
        var itemOfCode = [Int32](repeating: -1, count: vocabulary.count)
        for (index, code) in used.enumerated() { itemOfCode[code] = Int32(index) }
        items = used.map { vocabulary[$0] }

        var entityOffsets = [Int](repeating: 0, count: store.entityCount + 1)
        var entityItems: [Int32] = []
        entityItems.reserveCapacity(store.eventCount)
        for entity in 0..<store.entityCount {
            for row in store.offsets[entity]..<ends[entity] where codes[row] >= 0 {
                entityItems.append(itemOfCode[Int(codes[row])])
            }
            entityOffsets[entity + 1] = entityItems.count
        }
        // Transpose by counting sort: item i's entities, in entity order.
        var itemOffsets = [Int](repeating: 0, count: items.count + 1)
        for item in entityItems { itemOffsets[Int(item) + 1] += 1 }
        for i in 0..<items.count { itemOffsets[i + 1] += itemOffsets[i] }
        var cursor = Array(itemOffsets.dropLast())
        var itemEntities = [Int32](repeating: 0, count: entityItems.count)
        for entity in 0..<store.entityCount {
            for edge in entityOffsets[entity]..<entityOffsets[entity + 1] {
                let item = Int(entityItems[edge])
                itemEntities[cursor[item]] = Int32(entity)
                cursor[item] += 1
            }
        }
        self.entityOffsets = entityOffsets
        self.entityItems = entityItems
        self.itemOffsets = itemOffsets
        self.itemEntities = itemEntities
    }

    /// The codes and vocabulary of a categorical or id column (empty for other types).
    static func codes(of column: StoredColumn) -> ([Int32], [String]) {
        switch column.values {
        case .categorical(let codes, let vocabulary), .id(let codes, let vocabulary): (codes, vocabulary)
        case .decimal, .timestamp: ([], [])
        }
    }
}
