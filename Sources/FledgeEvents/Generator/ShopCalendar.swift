import FledgeTensor
import Foundation

/// The shop's seasonality, precomputed per simulated day.
///
/// Overall demand = weekly profile (weekends busier) × yearly wave (peak before Christmas, low in
/// late summer) × a holiday bump from late November to Christmas; each category adds its own yearly
/// wave (garden in spring, toys in December, outdoor in summer). Sessions start at an hour drawn
/// from a daily profile with lunch and evening peaks.
struct ShopCalendar {
    /// Monday ... Sunday.
    static let weekly: [Double] = [0.9, 0.88, 0.92, 0.97, 1.08, 1.22, 1.13]
    /// Relative traffic per hour of the day (UTC).
    static let hourly: [Double] = [0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.8, 1.0, 1.1, 1.2, 1.4,
                                   1.7, 1.5, 1.2, 1.1, 1.2, 1.4, 1.8, 2.2, 2.4, 2.0, 1.4, 0.8]
    static let hourlyCumulative = Sampling.cumulative(hourly)

    /// The first simulated day (days since 1970-01-01).
    let startDay: Int64
    /// Per day: the overall demand multiplier.
    let demand: [Double]
    /// Per day: the probability that a shown price is a promotion.
    let promotionRate: [Double]
    /// Per day × category: the category's seasonal multiplier.
    private let categorySeason: [Double]
    private let categoryCount: Int

    init(startDay: Int64, days: Int, categoryCount: Int) {
        self.startDay = startDay
        self.categoryCount = categoryCount
        var demand: [Double] = [], promotion: [Double] = [], season: [Double] = []
        for offset in 0..<days {
            let day = startDay + Int64(offset)
            let (year, month, dayOfMonth) = CivilDate.civil(fromDays: day)
            let dayOfYear = Double(day - CivilDate.days(year, 1, 1))
            let weekday = Int((day % 7 + 7 + 3) % 7)  // 1970-01-01 was a Thursday
            let yearly = 1 + 0.15 * cos(2 * .pi * (dayOfYear - 350) / 365.25)
            let holiday = (month == 11 && dayOfMonth >= 24) || (month == 12 && dayOfMonth <= 22) ? 1.4 : 1
            demand.append(Self.weekly[weekday] * yearly * holiday)
            let blackFriday = month == 11 && dayOfMonth >= 22 && dayOfMonth <= 30
            let januarySales = month == 1 && dayOfMonth <= 10
            promotion.append(blackFriday ? 0.4 : januarySales ? 0.3 : 0.08)
            for c in 0..<categoryCount { season.append(ShopCatalog.season(category: c, dayOfYear: dayOfYear)) }
        }
        self.demand = demand
        promotionRate = promotion
        categorySeason = season
    }

    /// A customer's cumulative category tastes re-weighted by each category's season on `dayOffset`.
    func categoryWeights(_ tasteCumulative: [Double], dayOffset: Int) -> [Double] {
        var total = 0.0, previous = 0.0
        var weights = [Double](repeating: 0, count: categoryCount)
        for c in 0..<categoryCount {
            total += (tasteCumulative[c] - previous) * categorySeason[dayOffset * categoryCount + c]
            previous = tasteCumulative[c]
            weights[c] = total
        }
        return weights
    }

    /// Seconds after midnight at which a session starts.
    func sessionStartSecond(random: inout SeededGenerator) -> Int64 {
        let hour = Int64(Sampling.index(in: Self.hourlyCumulative, random: &random))
        return hour * 3600 + Int64(random.next() % 3000)  // leaves room for the session's events within the hour
    }
}

extension ShopCalendar {
    /// The position of `kind` in `ShopEvent.Kind.allCases` (for per-type tables).
    @inline(__always)
    static func kindIndex(_ kind: ShopEvent.Kind) -> Int {
        switch kind {
        case .view: 0
        case .addToCart: 1
        case .purchase: 2
        }
    }
}
