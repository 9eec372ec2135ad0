/// One generated event, as written to a row of events.csv.
public struct ShopEvent: Sendable, Equatable {
    /// The funnel step.
    public enum Kind: String, Sendable, CaseIterable {
        case view
        case addToCart = "add_to_cart"
        case purchase
    }

    /// Customer index (`ShopCustomer.customerID`).
    public var customer: Int
    /// Seconds since 1970-01-01 00:00:00 UTC.
    public var time: Int64
    /// The funnel step.
    public var kind: Kind
    /// Product index (`ShopCatalog.productID`).
    public var product: Int
    /// The price shown or paid, in cents (base price with noise and promotions).
    public var priceCents: Int
    /// Index into `ShopCustomer.channels`.
    public var channel: Int
}

/// Receives a customer's events in time order.
protocol ShopEventSink {
    mutating func emit(_ event: ShopEvent)
}

/// Collects events in memory.
struct ShopEventArray: ShopEventSink {
    var events: [ShopEvent] = []
    mutating func emit(_ event: ShopEvent) { events.append(event) }
}
