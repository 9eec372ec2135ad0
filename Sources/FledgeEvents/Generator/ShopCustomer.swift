import FledgeTensor
import Foundation

/// One synthetic customer: the attributes written to customers.csv and the hidden behaviour
/// (segment, activity level, tastes, churn day) that drives its events.
///
/// The hidden fields are public so tests and notebooks can check what a model should find
/// (e.g. that churners' activity really declines); they are never written to the CSV files.
public struct ShopCustomer: Sendable {
    /// How engaged a customer is.
    public enum Segment: String, Sendable, CaseIterable {
        case loyal, regular, occasional
    }

    /// The regions written to customers.csv and their shares.
    public static let regions = ["north", "south", "east", "west", "central"]
    static let regionShare: [Double] = [0.2, 0.25, 0.15, 0.15, 0.25]
    /// Activity multiplier per region (central is urban and busier).
    static let regionActivity: [Double] = [0.9, 1.0, 0.95, 1.0, 1.2]
    /// The age bands written to customers.csv and their shares.
    public static let ageBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    static let ageShare: [Double] = [0.14, 0.24, 0.22, 0.18, 0.13, 0.09]
    /// The channels events come through.
    public static let channels = ["web", "app", "store"]
    /// Per age band: how often each channel is used (younger customers prefer the app).
    static let channelByAge: [[Double]] = [[0.3, 0.65, 0.05], [0.35, 0.55, 0.1], [0.45, 0.4, 0.15],
                                           [0.55, 0.25, 0.2], [0.6, 0.15, 0.25], [0.6, 0.1, 0.3]]

    /// 0-based index; the id is `customerID(index)`.
    public let index: Int
    /// Signup day, days since 1970-01-01 (may be before the simulated period).
    public let signupDay: Int64
    /// Index into `regions`.
    public let region: Int
    /// Index into `ageBands`.
    public let ageBand: Int
    /// Engagement segment.
    public let segment: Segment
    /// Mean sessions per day at full activity (before seasonality and churn decline).
    public let sessionsPerDay: Double
    /// The day activity stops (days since 1970-01-01; may be after the simulated period), or nil.
    public let churnDay: Int64?
    /// Preferred categories' weights, cumulative (favourites weigh about five times more).
    let categoryCumulative: [Double]
    /// Channel weights, cumulative.
    let channelCumulative: [Double]
    /// How strongly price above the category's level puts the customer off (0.2 ... 1.2).
    let priceSensitivity: Double

    /// The id written to the files, e.g. `C0000042`.
    public static func customerID(_ index: Int) -> String { "C" + String(format: "%07d", index + 1) }

    /// Draws customer `index` for a period of `config.days` from `startDay`.
    init(index: Int, config: ShopGeneratorConfig, startDay: Int64, catalog: ShopCatalog, random: inout SeededGenerator) {
        self.index = index
        let endDay = startDay + Int64(config.days)
        // 40% were customers before the period (up to two years), the rest sign up during its first 85%.
        if Sampling.uniform(&random) < 0.4 {
            signupDay = startDay - 1 - Int64(Sampling.uniform(&random) * 730)
        } else {
            signupDay = startDay + Int64(Sampling.uniform(&random) * Double(config.days) * 0.85)
        }
        region = Sampling.index(in: Sampling.cumulative(Self.regionShare), random: &random)
        let ageBand = Sampling.index(in: Sampling.cumulative(Self.ageShare), random: &random)
        self.ageBand = ageBand
        let segmentIndex = Sampling.index(in: Sampling.cumulative(config.segmentShares), random: &random)
        segment = Segment.allCases[segmentIndex]
        sessionsPerDay = config.sessionsPerDay[segmentIndex] * Self.regionActivity[region]
            * exp(0.4 * Double(random.nextNormal()) - 0.08)
        // Churners stop somewhere from a month after they are active until two months after the period.
        let activeFrom = Swift.max(signupDay, startDay) + 30
        if Sampling.uniform(&random) < config.churnProbability[segmentIndex], activeFrom < endDay + 60 {
            churnDay = activeFrom + Int64(Sampling.uniform(&random) * Double(endDay + 60 - activeFrom))
        } else {
            churnDay = nil
        }
        let favourites = Set((0..<3).map { _ in Int(random.next() % UInt64(catalog.categoryCount)) })
        categoryCumulative = Sampling.cumulative((0..<catalog.categoryCount).map { c in
            ShopCatalog.ageAffinity[c][ageBand] * (favourites.contains(c) ? 5 : 1) * exp(0.3 * Double(random.nextNormal()))
        })
        channelCumulative = Sampling.cumulative(Self.channelByAge[ageBand])
        priceSensitivity = 0.2 + Sampling.uniform(&random)
    }

    /// The activity multiplier on `day`: 1, falling linearly to `floor` over the `declineDays`
    /// before the churn day, then 0.
    func activity(on day: Int64, declineDays: Int, floor: Double) -> Double {
        guard let churnDay else { return 1 }
        if day >= churnDay { return 0 }
        let left = churnDay - day
        if left >= Int64(declineDays) { return 1 }
        return floor + (1 - floor) * Double(left) / Double(declineDays)
    }
}
