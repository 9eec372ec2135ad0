import FledgeTensor
import Foundation

/// The products of the synthetic shop: categories with a price level, a seasonal peak, an age
/// profile and a complementary category; products with a brand, a base price and a popularity.
///
/// Product `p` is `P000<p+1>` in category `p / productsPerCategory`; within a category popularity
/// falls as a power law of the rank, and products `2i` and `2i+1` are bundle partners (bought
/// together), which with the complementary categories gives baskets their co-occurrence.
public struct ShopCatalog: Sendable {
    /// The category names, in order; a config uses the first `categories` of them.
    public static let categoryNames = ["electronics", "phones", "computers", "accessories", "books", "toys",
                                       "fashion", "shoes", "beauty", "home", "kitchen", "garden",
                                       "sports", "outdoor", "grocery", "pet"]
    /// Median base price per category (same order).
    static let categoryPrice: [Double] = [180, 420, 750, 25, 16, 30, 45, 70, 22, 55, 38, 35, 48, 85, 9, 18]
    /// Day of year of each category's seasonal peak and its amplitude (0 = no season).
    static let seasonPeak: [(day: Double, amplitude: Double)] = [
        (350, 0.5), (330, 0.35), (240, 0.3), (350, 0.3), (355, 0.3), (352, 0.8), (100, 0.25), (110, 0.25),
        (45, 0.2), (300, 0.15), (340, 0.2), (135, 0.8), (15, 0.3), (180, 0.6), (0, 0.05), (0, 0.05),
    ]
    /// Each category's complement (a purchase there often pulls one from the complement).
    static let complement = [3, 3, 3, 0, 5, 4, 7, 6, 6, 10, 9, 13, 13, 12, 10, 14]
    /// Relative interest of each age band (18-24 ... 65+) per category.
    static let ageAffinity: [[Double]] = [
        [1.4, 1.3, 1.0, 0.8, 0.6, 0.4], [1.6, 1.3, 1.0, 0.8, 0.6, 0.5], [1.2, 1.3, 1.1, 0.9, 0.7, 0.5],
        [1.4, 1.2, 1.0, 0.9, 0.7, 0.5], [0.8, 0.9, 1.0, 1.1, 1.3, 1.5], [0.5, 1.2, 1.5, 1.0, 0.9, 0.8],
        [1.6, 1.3, 1.0, 0.8, 0.7, 0.6], [1.4, 1.2, 1.0, 0.9, 0.8, 0.7], [1.3, 1.2, 1.1, 1.0, 0.9, 0.8],
        [0.6, 1.0, 1.2, 1.2, 1.1, 1.0], [0.6, 1.0, 1.2, 1.2, 1.2, 1.1], [0.3, 0.6, 0.9, 1.2, 1.5, 1.6],
        [1.3, 1.3, 1.1, 0.9, 0.7, 0.5], [1.0, 1.2, 1.2, 1.1, 0.9, 0.6], [0.9, 1.0, 1.1, 1.1, 1.1, 1.1],
        [0.8, 1.1, 1.1, 1.0, 1.0, 1.0],
    ]

    /// Categories in use.
    public let categoryCount: Int
    /// Products per category.
    public let productsPerCategory: Int
    /// Per product: its category index.
    public let category: [Int]
    /// Per product: its brand, e.g. `electronics_brand_2`.
    public let brand: [String]
    /// Per product: its list price in the shop's currency.
    public let basePrice: [Double]
    /// Per category: cumulative popularity of its products (for sampling by rank).
    let cumulativePopularity: [[Double]]

    /// All products.
    public var productCount: Int { category.count }

    /// The product id written to the files.
    public static func productID(_ product: Int) -> String { "P" + String(format: "%05d", product + 1) }

    /// A catalogue for `config`, drawn from `random`.
    init(config: ShopGeneratorConfig, random: inout SeededGenerator) {
        categoryCount = config.categories
        productsPerCategory = config.productsPerCategory
        var category: [Int] = [], brand: [String] = [], price: [Double] = []
        for c in 0..<categoryCount {
            for _ in 0..<productsPerCategory {
                category.append(c)
                brand.append("\(Self.categoryNames[c])_brand_\(Int(random.next() % UInt64(config.brandsPerCategory)) + 1)")
                // Log-normal around the category's level, ending in .99 like shelf prices.
                let raw = Self.categoryPrice[c] * exp(0.5 * Double(random.nextNormal()))
                price.append(Swift.max(0.99, (raw.rounded(.down)) + 0.99))
            }
        }
        self.category = category
        self.brand = brand
        basePrice = price
        var cumulative: [[Double]] = []
        for _ in 0..<categoryCount {
            var total = 0.0
            cumulative.append((0..<productsPerCategory).map { rank in
                total += 1 / pow(Double(rank + 1), 0.9)
                return total
            })
        }
        cumulativePopularity = cumulative
    }

    /// A product of category `c`, drawn by popularity.
    func product(in c: Int, random: inout SeededGenerator) -> Int {
        c * productsPerCategory + Sampling.index(in: cumulativePopularity[c], random: &random)
    }

    /// The bundle partner of `product` (same category).
    func partner(of product: Int) -> Int {
        let partner = product ^ 1
        return partner / productsPerCategory == product / productsPerCategory && partner < productCount ? partner : product
    }

    /// The complementary category of `c` (itself when its complement is not in use).
    func complement(of c: Int) -> Int { Self.complement[c] < categoryCount ? Self.complement[c] : c }

    /// The seasonal demand multiplier of category `c` on day-of-year `dayOfYear`.
    static func season(category c: Int, dayOfYear: Double) -> Double {
        let (peak, amplitude) = seasonPeak[c]
        return 1 + amplitude * cos(2 * .pi * (dayOfYear - peak) / 365.25)
    }
}

/// Small sampling helpers over a `SeededGenerator`.
enum Sampling {
    /// A uniform Double in [0, 1) with 53 random bits.
    @inline(__always)
    static func uniform(_ random: inout SeededGenerator) -> Double { Double(random.next() >> 11) * 0x1p-53 }

    /// An index drawn with probability proportional to the increments of `cumulative`.
    static func index(in cumulative: [Double], random: inout SeededGenerator) -> Int {
        let target = uniform(&random) * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// A Poisson count with a small mean (inversion; the means here are well below 5).
    static func poisson(_ mean: Double, random: inout SeededGenerator) -> Int {
        guard mean > 0 else { return 0 }
        let limit = exp(-mean)
        var count = 0
        var product = uniform(&random)
        while product > limit {
            count += 1
            product *= uniform(&random)
        }
        return count
    }

    /// Running sums of `weights`.
    static func cumulative(_ weights: [Double]) -> [Double] {
        var total = 0.0
        return weights.map { total += $0; return total }
    }
}
