import Foundation

/// Encodings of the split date, so a model can learn weekly and yearly seasonality.
enum TimeEncodingFeatures {
    /// Writes the encoding of `timestamp` at `position` and returns the position after it.
    static func write(_ encoding: TimeEncoding, timestamp: Int64, into out: inout [Float], at position: Int) -> Int {
        let day = 86_400.0
        let days = (Double(timestamp) / day).rounded(.down)
        // 1970-01-01 was a Thursday: day 0 of the week is Monday.
        let dayOfWeek = (days + 3).truncatingRemainder(dividingBy: 7)
        let weekPosition = (dayOfWeek < 0 ? dayOfWeek + 7 : dayOfWeek) + (Double(timestamp) / day - days)
        let (year, month, dayOfMonth) = CivilDate.civil(fromDays: Int64(days))
        let dayOfYear = Double(Int64(days) - CivilDate.days(year, 1, 1))
        let monthLength = Double(CivilDate.daysInMonth(year, month))
        switch encoding {
        case .fourier:
            let angles = [2 * Double.pi * weekPosition / 7, 2 * Double.pi * dayOfYear / 365.25,
                          2 * Double.pi * Double(dayOfMonth - 1) / monthLength]
            for (index, angle) in angles.enumerated() {
                out[position + 2 * index] = Float(sin(angle))
                out[position + 2 * index + 1] = Float(cos(angle))
            }
            return position + 6
        case .twoHot:
            twoHot(weekPosition, bins: 7, into: &out, at: position)
            twoHot(Double(month - 1) + Double(dayOfMonth - 1) / monthLength, bins: 12, into: &out, at: position + 7)
            return position + 19
        case .none:
            return position
        }
    }

    /// Splits weight 1 between the two cyclic bins around `value` (in bin units).
    private static func twoHot(_ value: Double, bins: Int, into out: inout [Float], at position: Int) {
        let lower = Int(value.rounded(.down)) % bins
        let fraction = Float(value - value.rounded(.down))
        out[position + lower] += 1 - fraction
        out[position + (lower + 1) % bins] += fraction
    }
}
