import Foundation

/// How a chart axis maps values to positions: linear with "nice" ticks (1, 2, 5 × 10ⁿ), or
/// base-10 logarithmic with ticks at the decades (used for learning rates spanning decades).
public struct AxisScale: Sendable, Equatable {
    /// Whether the axis is logarithmic.
    public let logarithmic: Bool
    /// The lower end of the axis (a tick).
    public let lower: Double
    /// The upper end of the axis (a tick).
    public let upper: Double
    /// The tick values, ascending.
    public let ticks: [Double]

    /// A linear axis covering `minimum...maximum` with about `targetTicks` nice ticks.
    public static func linear(minimum: Double, maximum: Double, targetTicks: Int = 5) -> AxisScale {
        var low = minimum, high = maximum
        if !(low.isFinite && high.isFinite) { low = 0; high = 1 }
        if high - low <= 0 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad; high += pad
        }
        let step = niceStep((high - low) / Double(max(targetTicks - 1, 1)))
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        let count = Int(((last - first) / step).rounded()) + 1
        let ticks = (0..<count).map { Self.clean(first + Double($0) * step, step: step) }
        return AxisScale(logarithmic: false, lower: ticks.first!, upper: ticks.last!, ticks: ticks)
    }

    /// A log10 axis covering `minimum...maximum` (both must be positive) with a tick per decade.
    public static func log(minimum: Double, maximum: Double) -> AxisScale {
        let low = Foundation.floor(log10(minimum)), high = Foundation.ceil(log10(maximum))
        let top = high > low ? high : low + 1
        let ticks = stride(from: low, through: top, by: 1).map { Foundation.pow(10, $0) }
        return AxisScale(logarithmic: true, lower: ticks.first!, upper: ticks.last!, ticks: ticks)
    }

    /// True when positive values span at least `decades` powers of ten (then a log axis helps).
    public static func spansDecades(_ values: [Double], decades: Double = 1.5) -> Bool {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard positive.count == values.filter(\.isFinite).count, let low = positive.min(), let high = positive.max() else { return false }
        return log10(high) - log10(low) >= decades
    }

    /// The position of `value` as a fraction of the axis (0 at `lower`, 1 at `upper`).
    public func fraction(_ value: Double) -> Double {
        if logarithmic {
            return (log10(max(value, .leastNormalMagnitude)) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// A tick label: short decimals (0.0009), or 1e-5 style exponents on log axes and for tiny/huge values.
    public func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if logarithmic || magnitude >= 1e5 || magnitude < 1e-4 {
            let exponent = Int(Foundation.floor(log10(magnitude) + 1e-9))
            let mantissa = value / Foundation.pow(10, Double(exponent))
            if abs(mantissa - mantissa.rounded()) < 1e-9 && mantissa.rounded() == 1 { return "1e\(exponent)" }
            return String(format: "%.3ge%d", mantissa, exponent)
        }
        return String(format: "%g", (value * 1e9).rounded() / 1e9)
    }

    /// 1, 2, 5 or 10 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let power = Foundation.pow(10, Foundation.floor(log10(raw)))
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// Removes floating-point noise such as 0.30000000000000004.
    private static func clean(_ value: Double, step: Double) -> Double {
        let scale = Foundation.pow(10, max(0, -Foundation.floor(log10(step))) + 2)
        return (value * scale).rounded() / scale
    }
}
