/// The order of an entity's events in the store: by time, and events at the same time by their
/// other columns' values (text by value, numbers with missing first), so the store does not depend
/// on the order a reader returned the rows in. Rows equal in every column keep their read order
/// (they are indistinguishable in the store).
struct EventRowOrder {
    private enum Key {
        case rank([Int32])
        case number([Double])
        case time([Int64])
    }

    private let times: [Int64]
    private let keys: [Key]

    /// The order over `times` and the tie-breaking `columns` (the entity and date columns excluded).
    init(times: [Int64], columns: [RawColumn]) {
        self.times = times
        keys = columns.map { column in
            switch column {
            case .decimal(let numbers): return .number(numbers)
            case .timestamp(let values): return .time(values)
            case .text(let codes, let values):
                var rank = [Int32](repeating: -1, count: values.count)
                for (position, code) in values.indices.sorted(by: { values[$0] < values[$1] }).enumerated() {
                    rank[code] = Int32(position)
                }
                return .rank(codes.map { $0 < 0 ? -1 : rank[Int($0)] })
            }
        }
    }

    /// Whether row `a` comes before row `b`.
    func precedes(_ a: Int, _ b: Int) -> Bool {
        if times[a] != times[b] { return times[a] < times[b] }
        for key in keys {
            switch key {
            case .rank(let ranks) where ranks[a] != ranks[b]: return ranks[a] < ranks[b]
            case .time(let values) where values[a] != values[b]: return values[a] < values[b]
            case .number(let values) where !(values[a] == values[b] || (values[a].isNaN && values[b].isNaN)):
                return values[a].isNaN || (!values[b].isNaN && values[a] < values[b])
            default: continue
            }
        }
        return a < b
    }

    /// Sorts one entity's rows in place; skips the work when they are already strictly in time order.
    func sort(_ rows: inout ArraySlice<Int>) {
        var strictlyOrdered = true
        for index in rows.indices.dropFirst() where times[rows[index - 1]] >= times[rows[index]] {
            strictlyOrdered = false
            break
        }
        if !strictlyOrdered { rows.sort(by: precedes) }
    }
}
