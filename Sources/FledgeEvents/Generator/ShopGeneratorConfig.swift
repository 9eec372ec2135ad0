/// The knobs of the synthetic shop (`ShopEventGenerator`); docs/event-generator.md describes the model.
///
/// Every default is a plausible mid-sized web shop; a seed fixes everything else, so the same
/// config always writes byte-identical files.
public struct ShopGeneratorConfig: Sendable, Codable, Equatable {
    /// Customers simulated (`C0000001` ...). Default 1,000.
    public var customers = 1_000
    /// Days simulated from `startDate`. Default 365.
    public var days = 365
    /// The first simulated day, `yyyy-MM-dd` (UTC). Default 2023-01-01.
    public var startDate = "2023-01-01"
    /// The seed of every random choice. Default 0.
    public var seed: UInt64 = 0
    /// Product categories (at most `ShopCatalog.categoryNames.count`, 16). Default 12.
    public var categories = 12
    /// Products per category. Default 40.
    public var productsPerCategory = 40
    /// Brands per category. Default 5.
    public var brandsPerCategory = 5
    /// Shares of the loyal, regular and occasional segments (normalised). Default 0.2 / 0.45 / 0.35.
    public var segmentShares: [Double] = [0.2, 0.45, 0.35]
    /// Mean sessions per day of a loyal, regular and occasional customer. Default 0.12 / 0.05 / 0.015.
    public var sessionsPerDay: [Double] = [0.12, 0.05, 0.015]
    /// Probability that a customer of each segment churns at some point in (or shortly after) the
    /// simulated period. Default 0.15 / 0.35 / 0.5.
    public var churnProbability: [Double] = [0.15, 0.35, 0.5]
    /// Days over which a churner's activity declines to `churnFloor` of its level before it stops. Default 60.
    public var churnDeclineDays = 60
    /// A churner's activity just before it stops, as a fraction of its normal level. Default 0.15.
    public var churnFloor = 0.15
    /// Probability that a session re-buys something the customer bought before (consumables). Default 0.25.
    public var repeatPurchaseProbability = 0.25
    /// Probability that a purchase pulls in its related product (basket co-occurrence). Default 0.35.
    public var basketProbability = 0.35

    /// The defaults: 1,000 customers over 2023.
    public init() {}

    /// `customers` over `days` from `startDate` with `seed`, everything else default.
    public init(customers: Int, days: Int, startDate: String = "2023-01-01", seed: UInt64 = 0) {
        self.customers = customers
        self.days = days
        self.startDate = startDate
        self.seed = seed
    }

    /// Checks ranges and parses `startDate` to days since 1970-01-01.
    /// - Throws: `EventsError.invalidSetup` naming the bad setting and its valid range.
    func validatedStartDay() throws -> Int64 {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw EventsError.invalidSetup("generate-events: \(message)") }
        }
        try check(customers >= 1, "customers must be at least 1, got \(customers)")
        try check(days >= 1, "days must be at least 1, got \(days)")
        try check((1...ShopCatalog.categoryNames.count).contains(categories),
                  "categories must be in 1...\(ShopCatalog.categoryNames.count), got \(categories)")
        try check(productsPerCategory >= 2, "products per category must be at least 2, got \(productsPerCategory)")
        try check(brandsPerCategory >= 1, "brands per category must be at least 1, got \(brandsPerCategory)")
        for (name, values) in [("segment shares", segmentShares), ("sessions per day", sessionsPerDay),
                               ("churn probabilities", churnProbability)] {
            try check(values.count == 3 && values.allSatisfy { $0 >= 0 && $0.isFinite },
                      "\(name) need 3 non-negative values (loyal, regular, occasional), got \(values)")
        }
        try check(segmentShares.reduce(0, +) > 0, "segment shares must not all be 0")
        try check(churnProbability.allSatisfy { $0 <= 1 }, "churn probabilities must be at most 1, got \(churnProbability)")
        try check(churnDeclineDays >= 1, "churn decline days must be at least 1, got \(churnDeclineDays)")
        for (name, value) in [("churn floor", churnFloor), ("repeat purchase probability", repeatPurchaseProbability),
                              ("basket probability", basketProbability)] {
            try check((0...1).contains(value), "\(name) must be in 0...1, got \(value)")
        }
        guard let seconds = try TimestampParser(format: "yyyy-MM-dd").parse(startDate) else {
            throw EventsError.invalidSetup("generate-events: start date \"\(startDate)\" is not a yyyy-MM-dd date")
        }
        return seconds / 86_400
    }
}
