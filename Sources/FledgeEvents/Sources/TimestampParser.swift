/// Parses event timestamps in a configured format into seconds since 1970-01-01 00:00:00 UTC.
///
/// Formats (`date_format`):
/// - `iso8601` (default): `2024-03-13`, `2024-03-13 10:21`, `2024-03-13T10:21:14`, with optional
///   fractional seconds and a `Z` or `±hh:mm` offset (converted to UTC);
/// - a pattern of `yyyy`, `MM`/`M`, `dd`/`d`, `HH`/`H`, `mm`, `ss`, `SSS` (any number of fraction
///   digits) and literal characters, e.g. `yyyy-MM-dd HH:mm:ss` or `dd/MM/yyyy`; times without a
///   zone are read as UTC;
/// - `unix` (seconds) or `unix_ms` (milliseconds), as numbers.
/// Parsing works on raw bytes (no `String` per cell), so 10 M timestamps take well under a second.
public struct TimestampParser: Sendable {
    enum Token: Equatable, Sendable {
        case year, month, day, hour, minute, second, fraction
        case literal(UInt8)
    }

    enum Kind: Equatable, Sendable {
        case iso8601
        case pattern([Token])
        case unix(scale: Int64)
    }

    /// The format as configured.
    public let format: String
    let kind: Kind

    /// A parser for `format`.
    /// - Throws: `EventsError.invalidDateFormat` for a pattern without `yyyy`, `MM` and `dd` or with an unknown letter.
    public init(format: String) throws {
        self.format = format
        switch format.lowercased() {
        case "iso8601", "iso", "iso-8601": kind = .iso8601
        case "unix", "unix_s", "unix_seconds", "epoch": kind = .unix(scale: 1)
        case "unix_ms", "unix_milliseconds", "epoch_ms": kind = .unix(scale: 1000)
        default: kind = .pattern(try Self.compile(format))
        }
    }

    private static func compile(_ format: String) throws -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(format.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var run = 1
            while index + run < bytes.count && bytes[index + run] == byte { run += 1 }
            let letter = Character(Unicode.Scalar(byte))
            switch (letter, run) {
            case ("y", 4): tokens.append(.year)
            case ("M", 1), ("M", 2): tokens.append(.month)
            case ("d", 1), ("d", 2): tokens.append(.day)
            case ("H", 1), ("H", 2): tokens.append(.hour)
            case ("m", 2): tokens.append(.minute)
            case ("s", 2): tokens.append(.second)
            case ("S", _): tokens.append(.fraction)
            default:
                guard !letter.isLetter else {
                    throw EventsError.invalidDateFormat(format: format,
                        reason: "'\(String(repeating: letter, count: run))' is not a pattern field (use yyyy, MM, dd, HH, mm, ss, SSS)")
                }
                tokens += Array(repeating: .literal(byte), count: run)
            }
            index += run
        }
        for required in [Token.year, .month, .day] where !tokens.contains(required) {
            throw EventsError.invalidDateFormat(format: format, reason: "a pattern needs yyyy, MM and dd")
        }
        return tokens
    }

    /// Whether the format reads numbers (`unix`, `unix_ms`) rather than text.
    public var isNumeric: Bool {
        if case .unix = kind { return true }
        return false
    }

    /// Seconds for a number in a `unix` / `unix_ms` column (nil for other formats or non-finite numbers).
    public func seconds(fromNumber number: Double) -> Int64? {
        guard case .unix(let scale) = kind, number.isFinite, abs(number) < 1e17 else { return nil }
        return Int64((number / Double(scale)).rounded(.down))
    }

    /// Parses `text`; nil when it does not match the format.
    public func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// Parses a cell's bytes; nil when they do not match the format.
    public func parse(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let base = text.baseAddress, text.count > 0 else { return nil }
        var cursor = Cursor(base: base, end: text.count)
        switch kind {
        case .iso8601: return cursor.iso8601()
        case .pattern(let tokens): return cursor.pattern(tokens)
        case .unix(let scale):
            guard let value = cursor.integer(maxDigits: 19, negativeAllowed: true), cursor.atEnd else { return nil }
            return value >= 0 ? value / scale : -((-value + scale - 1) / scale)
        }
    }

    /// `seconds` written as `yyyy-MM-dd HH:mm:ss` (UTC), as predictions and messages show timestamps.
    public static func text(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - days * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
    }

    /// `seconds` as a `yyyy-MM-dd` day (UTC).
    public static func dayText(_ seconds: Int64) -> String { String(text(seconds).prefix(10)) }
}

/// Reads fields from a cell's bytes.
private struct Cursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    var atEnd: Bool { position == end }

    mutating func accept(_ byte: UInt8) -> Bool {
        guard position < end, base[position] == byte else { return false }
        position += 1
        return true
    }

    /// An unsigned run of 1...maxDigits digits (exactly `digits` when given).
    mutating func integer(maxDigits: Int, exactly digits: Int? = nil, negativeAllowed: Bool = false) -> Int64? {
        var negative = false
        if negativeAllowed && position < end && base[position] == 0x2D { negative = true; position += 1 }
        var value: Int64 = 0
        var count = 0
        while position < end, count < maxDigits, base[position] >= 0x30, base[position] <= 0x39 {
            value = value * 10 + Int64(base[position] - 0x30)
            position += 1
            count += 1
        }
        guard count > 0, digits == nil || count == digits else { return nil }
        return negative ? -value : value
    }

    /// Skips fraction digits.
    mutating func fraction() -> Bool {
        let start = position
        while position < end, base[position] >= 0x30, base[position] <= 0x39 { position += 1 }
        return position > start
    }

    mutating func iso8601() -> Int64? {
        guard let year = integer(maxDigits: 4, exactly: 4), accept(0x2D), let month = integer(maxDigits: 2, exactly: 2),
              accept(0x2D), let day = integer(maxDigits: 2, exactly: 2) else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        if accept(0x54) || accept(0x20) {
            guard let h = integer(maxDigits: 2, exactly: 2), accept(0x3A), let m = integer(maxDigits: 2, exactly: 2) else { return nil }
            hour = h
            minute = m
            if accept(0x3A) {
                guard let s = integer(maxDigits: 2, exactly: 2) else { return nil }
                second = s
                if accept(0x2E) || accept(0x2C) { guard fraction() else { return nil } }
            }
        }
        var offset: Int64 = 0
        if accept(0x5A) {
            // UTC
        } else if position < end, base[position] == 0x2B || base[position] == 0x2D {
            let sign: Int64 = base[position] == 0x2D ? -1 : 1
            position += 1
            guard let h = integer(maxDigits: 2, exactly: 2) else { return nil }
            _ = accept(0x3A)
            let m = integer(maxDigits: 2, exactly: 2) ?? 0
            offset = sign * (h * 3600 + m * 60)
        }
        guard atEnd, let seconds = CivilDate.seconds(year, month, day, hour, minute, second) else { return nil }
        return seconds - offset
    }

    mutating func pattern(_ tokens: [TimestampParser.Token]) -> Int64? {
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        for token in tokens {
            switch token {
            case .year: guard let v = integer(maxDigits: 4, exactly: 4) else { return nil }; year = v
            case .month: guard let v = integer(maxDigits: 2) else { return nil }; month = v
            case .day: guard let v = integer(maxDigits: 2) else { return nil }; day = v
            case .hour: guard let v = integer(maxDigits: 2) else { return nil }; hour = v
            case .minute: guard let v = integer(maxDigits: 2, exactly: 2) else { return nil }; minute = v
            case .second: guard let v = integer(maxDigits: 2, exactly: 2) else { return nil }; second = v
            case .fraction: guard fraction() else { return nil }
            case .literal(let byte): guard accept(byte) else { return nil }
            }
        }
        guard atEnd else { return nil }
        return CivilDate.seconds(year, month, day, hour, minute, second)
    }
}

/// Proleptic Gregorian calendar arithmetic (H. Hinnant's days-from-civil algorithms).
enum CivilDate {
    /// Days since 1970-01-01 of a valid date.
    static func days(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year, month and day of a day number.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds since the epoch, or nil for an impossible date or time.
    static func seconds(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64, _ minute: Int64, _ second: Int64) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return days(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }
}
