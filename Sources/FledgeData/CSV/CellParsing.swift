#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level recognisers for cell text: decimal numbers, missing markers, booleans and ISO dates.
/// They work on raw UTF-8 bytes so reading a large CSV never builds a `String` per cell.
enum CellParsing {
    /// Exact powers of ten 10^0 ... 10^22 (pass `withUnsafeBufferPointer` to `number`).
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The cell's bytes without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ base: UnsafePointer<UInt8>, _ count: Int) -> (UnsafePointer<UInt8>, Int) {
        var start = 0
        var end = count
        while start < end && (base[start] == 0x20 || base[start] == 0x09) { start += 1 }
        while end > start && (base[end - 1] == 0x20 || base[end - 1] == 0x09) { end -= 1 }
        return (base + start, end - start)
    }

    /// Parses a decimal number (`-1.5`, `2e-3`, `.5`, `7.`); nil for anything else (no hex, no inf).
    ///
    /// Up to 19 significant digits with a power of ten up to 22 are converted exactly
    /// (Clinger's fast path: both factors are exact doubles, so one rounding); other numbers go
    /// to `strtod` for a correctly rounded result.
    @inline(__always)
    static func number(_ base: UnsafePointer<UInt8>, _ count: Int, powersOfTen: UnsafePointer<Double>) -> Double? {
        guard let scan = scanDecimal(base, from: 0, to: count, powersOfTen: powersOfTen), scan.stop == count else { return nil }
        return scan.exact ? scan.value : slowNumber(base, count)
    }

    /// Scans the longest decimal number starting at `start` (before `end`).
    ///
    /// Returns where it stops and its value; `exact` is false (and the value NaN) when the fast
    /// path does not apply (more than 19 significant digits or a large exponent: use `strtod`); nil when the
    /// bytes do not start a number (no digit, or an exponent without digits). The CSV parser calls
    /// this while it looks for a field's end, so numeric cells are read once.
    @inline(__always)
    static func scanDecimal(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int,
                            powersOfTen: UnsafePointer<Double>) -> (value: Double, stop: Int, exact: Bool)? {
        var i = start
        var negative = false
        if i < end && (base[i] == 0x2D || base[i] == 0x2B) { negative = base[i] == 0x2D; i += 1 }
        // Digits accumulate without per-digit checks; more than 19 digits (which could wrap the
        // mantissa) go to the slow path, as do the rare long ones with leading zeros.
        var mantissa: UInt64 = 0
        let integerStart = i
        accumulateDigits(base, &i, end, &mantissa)
        var digits = i - integerStart
        var exponent = 0
        if i < end && base[i] == 0x2E {
            i += 1
            let fractionStart = i
            accumulateDigits(base, &i, end, &mantissa)
            digits += i - fractionStart
            exponent = fractionStart - i
        }
        let sawDigit = digits > 0
        let truncated = digits > 19
        guard sawDigit else { return nil }
        if i < end && (base[i] | 0x20) == 0x65 {
            i += 1
            var exponentNegative = false
            if i < end && (base[i] == 0x2D || base[i] == 0x2B) { exponentNegative = base[i] == 0x2D; i += 1 }
            var written = 0
            var sawExponentDigit = false
            while i < end {
                let digit = base[i] &- 0x30
                if digit > 9 { break }
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(digit) }
                i += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 else { return (.nan, i, false) }
        let value = exponent < 0 ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
        return (negative ? -value : value, i, true)
    }

    /// Appends the decimal digits from `i` on to `mantissa` (wrapping; the caller bounds the count).
    @inline(__always)
    private static func accumulateDigits(_ base: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, _ mantissa: inout UInt64) {
        while i < end {
            let digit = base[i] &- 0x30
            if digit > 9 { return }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
    }

    /// `strtod` on a NUL-terminated copy (the syntax is already checked).
    private static func slowNumber(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for index in 0..<count { buffer[index] = CChar(bitPattern: base[index]) }
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// The markers that mean "missing" besides an empty cell (pandas' defaults, minus the exotic ones).
    static let defaultMissingMarkers: Set<String> = ["NA", "N/A", "n/a", "NaN", "nan", "-nan", "-NaN", "null",
                                                     "NULL", "None", "#N/A", "<NA>"]

    /// True when the bytes spell `true`, `false`, `yes` or `no` in any case.
    @inline(__always)
    static func isBoolean(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool { boolean(base, count) != nil }

    /// The truth value of `true`/`false`/`yes`/`no` (any case); nil for anything else.
    static func boolean(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool? {
        guard count >= 2 && count <= 5 else { return nil }
        var folded: UInt64 = 0
        for index in 0..<count { folded = folded << 8 | UInt64(base[index] | 0x20) }
        switch folded {
        case 0x74_72_75_65, 0x79_65_73: return true  // "true", "yes"
        case 0x66_61_6C_73_65, 0x6E_6F: return false  // "false", "no"
        default: return nil
        }
    }

    /// True when the bytes start like an ISO date (`YYYY-MM-DD`); `date(_:_:)` validates the rest.
    @inline(__always)
    static func looksLikeDate(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count >= 10, base[4] == 0x2D, base[7] == 0x2D else { return false }
        @inline(__always) func isDigit(_ index: Int) -> Bool { base[index] &- 0x30 <= 9 }
        guard isDigit(0), isDigit(1), isDigit(2), isDigit(3), isDigit(5), isDigit(6), isDigit(8), isDigit(9) else {
            return false
        }
        return count == 10 || base[10] == 0x54 || base[10] == 0x20
    }

    /// Days since 1970-01-01 (with the time of day as a fraction) of an ISO 8601 date or date-time:
    /// `2024-03-13`, `2024-03-13 10:21`, `2024-03-13T10:21:14.5Z`, `...+02:00`; nil when invalid.
    static func date(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        guard looksLikeDate(base, count) else { return nil }
        func digits(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= count else { return nil }
            var value = 0
            for index in from..<(from + length) {
                let digit = base[index] &- 0x30
                guard digit <= 9 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              (1...12).contains(month), (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        var seconds = 0.0
        var index = 10
        if count > 10 {
            guard let hour = digits(11, 2), count >= 16, base[13] == 0x3A, let minute = digits(14, 2),
                  hour < 24, minute < 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60)
            index = 16
            if index < count && base[index] == 0x3A {
                guard let second = digits(17, 2), second < 61 else { return nil }
                seconds += Double(second)
                index = 19
                if index < count && base[index] == 0x2E {
                    var scale = 0.1
                    index += 1
                    let start = index
                    while index < count, base[index] &- 0x30 <= 9 {
                        seconds += Double(base[index] &- 0x30) * scale
                        scale /= 10
                        index += 1
                    }
                    guard index > start else { return nil }
                }
            }
            if index < count && base[index] == 0x5A {
                index += 1
            } else if index < count && (base[index] == 0x2B || base[index] == 0x2D) {
                let sign = base[index] == 0x2B ? 1.0 : -1.0
                guard let offsetHours = digits(index + 1, 2), index + 6 <= count, base[index + 3] == 0x3A,
                      let offsetMinutes = digits(index + 4, 2) else { return nil }
                seconds -= sign * Double(offsetHours * 3600 + offsetMinutes * 60)
                index += 6
            }
        }
        guard index == count else { return nil }
        return Double(CivilDate.days(year: year, month: month, day: day)) + seconds / 86_400
    }
}
