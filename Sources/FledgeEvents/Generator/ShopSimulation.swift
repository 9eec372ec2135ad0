import FledgeTensor
import Foundation

/// Simulates one customer's sessions day by day and emits their events.
///
/// Sessions per day are Poisson with mean = the customer's rate × the day's seasonality (weekly and
/// yearly, `ShopCalendar`) × the churn decline. A session either re-buys something bought before
/// (`repeatPurchaseProbability`) or browses a category chosen by the customer's tastes and the
/// category's season: a few views, some added to the cart (less often when the price is high for a
/// price-sensitive customer), some of those bought; a purchase pulls in its bundle partner or a
/// product of the complementary category with `basketProbability`.
struct ShopSimulation {
    let config: ShopGeneratorConfig
    let catalog: ShopCatalog
    let calendar: ShopCalendar

    /// Emits every event of `customer` into `sink`, drawing from `random`.
    func run<Sink: ShopEventSink>(_ customer: ShopCustomer, random: inout SeededGenerator, into sink: inout Sink) {
        var history: [Int] = []  // recent purchases (at most 16), for repeat purchases
        var time: Int64 = 0       // the last event's time: sessions never overlap, events stay in order
        let first = Swift.max(customer.signupDay, calendar.startDay)
        let last = Swift.min(calendar.startDay + Int64(config.days), customer.churnDay ?? .max)
        guard first < last else { return }
        for day in first..<last {
            let offset = Int(day - calendar.startDay)
            let mean = customer.sessionsPerDay * calendar.demand[offset]
                * customer.activity(on: day, declineDays: config.churnDeclineDays, floor: config.churnFloor)
            let sessions = Sampling.poisson(mean, random: &random)
            guard sessions > 0 else { continue }
            let starts = (0..<sessions).map { _ in day * 86_400 + calendar.sessionStartSecond(random: &random) }.sorted()
            for start in starts {
                time = Swift.max(start, time + 600)
                session(customer, dayOffset: offset, time: &time, history: &history, random: &random, into: &sink)
            }
        }
    }

    /// One session starting at `time`; leaves `time` at its last event.
    private func session<Sink: ShopEventSink>(_ customer: ShopCustomer, dayOffset: Int, time: inout Int64, history: inout [Int],
                                              random: inout SeededGenerator, into sink: inout Sink) {
        let channel = Sampling.index(in: customer.channelCumulative, random: &random)
        var event = ShopEvent(customer: customer.index, time: time, kind: .view, product: 0, priceCents: 0, channel: channel)
        func emit(_ kind: ShopEvent.Kind, _ product: Int, _ priceCents: Int) {
            time += 15 + Int64(random.next() % 150)
            event.time = time
            event.kind = kind
            event.product = product
            event.priceCents = priceCents
            sink.emit(event)
        }
        func buy(_ product: Int, price: Int) {
            emit(.view, product, price)
            emit(.addToCart, product, price)
            emit(.purchase, product, price)
            if history.count == 16 { history.removeFirst() }
            history.append(product)
        }

        if !history.isEmpty && Sampling.uniform(&random) < config.repeatPurchaseProbability {
            let product = history[Int(random.next() % UInt64(history.count))]
            buy(product, price: price(of: product, dayOffset: dayOffset, random: &random).cents)
            return
        }
        let weights = calendar.categoryWeights(customer.categoryCumulative, dayOffset: dayOffset)
        let category = Sampling.index(in: weights, random: &random)
        var views = 1
        while views < 8 && Sampling.uniform(&random) < 0.55 { views += 1 }
        for _ in 0..<views {
            let product = catalog.product(in: category, random: &random)
            let (cents, promoted) = price(of: product, dayOffset: dayOffset, random: &random)
            emit(.view, product, cents)
            // Relative price within the category: above its level, sensitive customers hesitate.
            let relative = log(catalog.basePrice[product] / ShopCatalog.categoryPrice[category])
            let cartProbability = 0.3 * exp(-customer.priceSensitivity * Swift.max(0, relative)) * (promoted ? 1.5 : 1)
            guard Sampling.uniform(&random) < cartProbability else { continue }
            emit(.addToCart, product, cents)
            let buyProbability = customer.segment == .loyal ? 0.7 : 0.55
            guard Sampling.uniform(&random) < buyProbability else { continue }
            emit(.purchase, product, cents)
            if history.count == 16 { history.removeFirst() }
            history.append(product)
            if Sampling.uniform(&random) < config.basketProbability {
                let related = Sampling.uniform(&random) < 0.5
                    ? catalog.partner(of: product)
                    : catalog.product(in: catalog.complement(of: category), random: &random)
                buy(related, price: price(of: related, dayOffset: dayOffset, random: &random).cents)
            }
        }
    }

    /// Today's price of `product` in cents: ±3% noise, and 20% off when promoted (promotions are
    /// more frequent around Black Friday and in the January sales).
    private func price(of product: Int, dayOffset: Int, random: inout SeededGenerator) -> (cents: Int, promoted: Bool) {
        let promoted = Sampling.uniform(&random) < calendar.promotionRate[dayOffset]
        let noise = 1 + 0.03 * Double(random.nextNormal())
        let value = catalog.basePrice[product] * noise * (promoted ? 0.8 : 1)
        return (Swift.max(1, Int((value * 100).rounded())), promoted)
    }
}
