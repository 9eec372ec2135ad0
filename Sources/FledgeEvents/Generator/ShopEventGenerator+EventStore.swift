import Dispatch
import FledgeTensor

extension ShopEventGenerator {
    /// The generated events as an in-memory `EventStore`, without writing CSV: the same rows
    /// `write(to:)` puts in events.csv, typed as loading that file with `product_id` as an id column
    /// gives (`event_type`, `category`, `channel` categorical; `price` decimal). Customers are
    /// simulated in parallel; the result does not depend on the thread count.
    public func eventStore() -> EventStore {
        let count = customers.count
        var perCustomer = [[ShopEvent]](repeating: [], count: count)
        perCustomer.withUnsafeMutableBufferPointer { buffer in
            let shared = SendableEventLists(base: buffer.baseAddress!)
            let chunks = Swift.max(1, Swift.min(count, Threading.threadCount * 4))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                    shared.base[index] = events(ofCustomer: index)
                }
            }
        }
        let total = perCustomer.reduce(0) { $0 + $1.count }
        var offsets = [0], timestamps: [Int64] = [], kinds: [Int32] = [], products: [Int32] = []
        var categories: [Int32] = [], prices: [Float] = [], channels: [Int32] = []
        timestamps.reserveCapacity(total)
        kinds.reserveCapacity(total)
        products.reserveCapacity(total)
        categories.reserveCapacity(total)
        prices.reserveCapacity(total)
        channels.reserveCapacity(total)
        let kindCodes = Dictionary(uniqueKeysWithValues: ShopEvent.Kind.allCases.enumerated().map { ($1, Int32($0)) })
        for events in perCustomer {
            for event in events {
                timestamps.append(event.time)
                kinds.append(kindCodes[event.kind]!)
                products.append(Int32(event.product))
                categories.append(Int32(catalog.category[event.product]))
                prices.append(Float(event.priceCents) / 100)
                channels.append(Int32(event.channel))
            }
            offsets.append(timestamps.count)
        }
        let columns = [
            StoredColumn(name: "event_type", values: .categorical(codes: kinds, vocabulary: ShopEvent.Kind.allCases.map(\.rawValue))),
            StoredColumn(name: "product_id", values: .id(codes: products,
                                                          vocabulary: (0..<catalog.productCount).map(ShopCatalog.productID))),
            StoredColumn(name: "category", values: .categorical(codes: categories,
                                                                vocabulary: Array(ShopCatalog.categoryNames.prefix(catalog.categoryCount)))),
            StoredColumn(name: "price", values: .decimal(prices, normalization: Normalization(fitting: prices))),
            StoredColumn(name: "channel", values: .categorical(codes: channels, vocabulary: ShopCustomer.channels)),
        ]
        return EventStore(entityColumn: "customer_id", entityIDs: customers.map { ShopCustomer.customerID($0.index) }, offsets: offsets,
                          timestamps: timestamps, columns: columns, source: "ShopEventGenerator(seed: \(config.seed))")
    }
}

/// Each parallel chunk writes only its own customers' lists.
private struct SendableEventLists: @unchecked Sendable {
    let base: UnsafeMutablePointer<[ShopEvent]>
}
