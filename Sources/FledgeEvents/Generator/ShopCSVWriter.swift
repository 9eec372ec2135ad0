import Foundation

/// Formats events as CSV bytes without a `String` per row (millions of rows per second).
struct ShopCSVWriter: ShopEventSink {
    static let header = "customer_id,timestamp,event_type,product_id,category,price,channel\n"

    /// The formatted rows so far.
    private(set) var bytes: [UInt8] = []
    /// Events per `ShopEvent.Kind` (in `allCases` order).
    private(set) var counts = [Int](repeating: 0, count: ShopEvent.Kind.allCases.count)
    private let startDay: Int64
    /// Per simulated day (plus two for sessions running past midnight): `yyyy-MM-dd `.
    private let dayPrefixes: [[UInt8]]
    /// Per product: `,P00001,category,`.
    private let productFields: [[UInt8]]
    private let kindFields = ShopEvent.Kind.allCases.map { Array(",\($0.rawValue)".utf8) }
    private let channelFields = ShopCustomer.channels.map { Array(",\($0)\n".utf8) }
    private var customer = -1
    private var customerField: [UInt8] = []

    init(catalog: ShopCatalog, startDay: Int64, days: Int) {
        self.startDay = startDay
        dayPrefixes = (0..<(days + 2)).map { offset in
            let (y, m, d) = CivilDate.civil(fromDays: startDay + Int64(offset))
            return Array(String(format: "%04d-%02d-%02d ", Int(y), Int(m), Int(d)).utf8)
        }
        productFields = (0..<catalog.productCount).map { p in
            Array(",\(ShopCatalog.productID(p)),\(ShopCatalog.categoryNames[catalog.category[p]]),".utf8)
        }
        bytes.reserveCapacity(1 << 20)
    }

    mutating func appendHeader() { bytes.append(contentsOf: Self.header.utf8) }

    mutating func emit(_ event: ShopEvent) {
        if event.customer != customer {
            customer = event.customer
            customerField = Array("\(ShopCustomer.customerID(customer)),".utf8)
        }
        counts[ShopCalendar.kindIndex(event.kind)] += 1
        bytes.append(contentsOf: customerField)
        let day = event.time >= 0 ? event.time / 86_400 : (event.time - 86_399) / 86_400
        let second = Int(event.time - day * 86_400)
        bytes.append(contentsOf: dayPrefixes[Int(day - startDay)])
        appendTwoDigits(second / 3600)
        bytes.append(UInt8(ascii: ":"))
        appendTwoDigits(second / 60 % 60)
        bytes.append(UInt8(ascii: ":"))
        appendTwoDigits(second % 60)
        bytes.append(contentsOf: kindFields[ShopCalendar.kindIndex(event.kind)])
        bytes.append(contentsOf: productFields[event.product])
        appendInteger(event.priceCents / 100)
        bytes.append(UInt8(ascii: "."))
        appendTwoDigits(event.priceCents % 100)
        bytes.append(contentsOf: channelFields[event.channel])
    }

    private mutating func appendTwoDigits(_ value: Int) {
        bytes.append(UInt8(48 + value / 10))
        bytes.append(UInt8(48 + value % 10))
    }

    private mutating func appendInteger(_ value: Int) {
        if value >= 10 { appendInteger(value / 10) }
        bytes.append(UInt8(48 + value % 10))
    }
}

/// The small tables, as text.
enum ShopCSV {
    /// `product_id,category,brand,base_price`.
    static func products(_ catalog: ShopCatalog) -> String {
        var text = "product_id,category,brand,base_price\n"
        for p in 0..<catalog.productCount {
            text += "\(ShopCatalog.productID(p)),\(ShopCatalog.categoryNames[catalog.category[p]]),\(catalog.brand[p]),"
                + String(format: "%.2f", catalog.basePrice[p]) + "\n"
        }
        return text
    }

    /// `customer_id,signup_date,region,age_band`.
    static func customers(_ customers: [ShopCustomer]) -> String {
        var text = "customer_id,signup_date,region,age_band\n"
        for customer in customers {
            let (y, m, d) = CivilDate.civil(fromDays: customer.signupDay)
            text += "\(ShopCustomer.customerID(customer.index)),"
                + String(format: "%04d-%02d-%02d", Int(y), Int(m), Int(d))
                + ",\(ShopCustomer.regions[customer.region]),\(ShopCustomer.ageBands[customer.ageBand])\n"
        }
        return text
    }
}
