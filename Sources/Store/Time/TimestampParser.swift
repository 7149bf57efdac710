import Foundation

/// Reads the timestamps found in perfherder exports into UTC instants.
///
/// Accepted forms (a timestamp without a zone is taken as UTC — Treeherder stores
/// and exports push times in UTC):
/// - unix seconds, optionally fractional and signed: `1684750825`, `1684750825.25`;
///   or unix milliseconds (`1684750825250`), told apart by magnitude: a number
///   of at least ``millisecondsThreshold`` (10^11) is milliseconds. As seconds,
///   10^11 is the year 5138; as milliseconds it is 1973-03-03 — each reading is
///   implausible for the other's range, so no real run time is ambiguous;
/// - ISO 8601 / RFC 3339: `2023-05-22T10:20:25Z`, `2023-05-22T10:20:25.123+02:00`,
///   `+0200`, `+02`, or no zone;
/// - the same with a space instead of `T` (`2023-05-22 10:20:25`, the Treeherder
///   CSV export), optionally followed by ` UTC` (BigQuery exports);
/// - minutes without seconds (`2023-05-22 10:20`);
/// - a date only (`2023-05-22`), meaning 00:00:00 UTC that day.
///
/// Every calendar field is range-checked (month 1…12, day within the month, hour
/// 0…23, minute and second 0…59), so `2023-02-30` is rejected rather than rolled
/// over.
public enum TimestampParser {
    /// Human description of the accepted forms, for error messages.
    public static let acceptedForms =
        "expected unix seconds or milliseconds, ISO 8601 (e.g. 2023-05-22T10:20:25Z), 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD'"

    /// The instant `text` denotes, or `nil` when it is not one of the accepted forms.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end else { return nil }
        let trimmed = bytes[start..<end]
        if let number = unixSeconds(trimmed) { return epochInstant(number) }
        return calendarTimestamp(trimmed)
    }

    /// Numbers of at least this magnitude are unix milliseconds, smaller ones seconds.
    public static let millisecondsThreshold = 1e11

    /// The instant a unix timestamp names: seconds, or milliseconds from
    /// ``millisecondsThreshold`` on (the rule of ``parse(_:)``, shared with JSON numbers).
    public static func epochInstant(_ number: Double) -> Date {
        Date(timeIntervalSince1970: abs(number) >= millisecondsThreshold ? number / 1000 : number)
    }

    /// `[-]digits[.digits]` → seconds since the epoch.
    static func unixSeconds(_ bytes: ArraySlice<UInt8>) -> Double? {
        var sawDigit = false
        var sawPoint = false
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case 0x30...0x39: sawDigit = true
            case 0x2E where !sawPoint: sawPoint = true
            case 0x2D where offset == 0: continue
            default: return nil
            }
        }
        guard sawDigit, let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite
        else { return nil }
        return value
    }

    private struct Cursor {
        let bytes: ArraySlice<UInt8>
        var index: Int

        var atEnd: Bool { index >= bytes.endIndex }
        var current: UInt8? { atEnd ? nil : bytes[index] }

        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.endIndex else { return nil }
            var value = 0
            for i in index..<(index + count) {
                let byte = bytes[i]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index += 1
            return true
        }

        /// Case-insensitive literal, e.g. " UTC".
        mutating func consume(literal: String) -> Bool {
            let expected = Array(literal.uppercased().utf8)
            guard index + expected.count <= bytes.endIndex else { return false }
            for (k, byte) in expected.enumerated() {
                let actual = bytes[index + k]
                let upper = (actual >= 0x61 && actual <= 0x7A) ? actual - 0x20 : actual
                guard upper == byte else { return false }
            }
            index += expected.count
            return true
        }
    }

    static func calendarTimestamp(_ bytes: ArraySlice<UInt8>) -> Date? {
        var cursor = Cursor(bytes: bytes, index: bytes.startIndex)
        guard let year = cursor.digits(4), cursor.consume(0x2D),
              let month = cursor.digits(2), cursor.consume(0x2D),
              let day = cursor.digits(2),
              (1...12).contains(month),
              (1...CivilDays.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        var secondsOfDay = 0.0
        if !cursor.atEnd {
            guard cursor.consume(0x54) || cursor.consume(0x74) || cursor.consume(0x20),
                  let hour = cursor.digits(2), cursor.consume(0x3A),
                  let minute = cursor.digits(2),
                  (0...23).contains(hour), (0...59).contains(minute)
            else { return nil }
            var second = 0.0
            if cursor.consume(0x3A) {
                guard let whole = cursor.digits(2), (0...59).contains(whole) else { return nil }
                second = Double(whole)
                if cursor.consume(0x2E) || cursor.consume(0x2C) {
                    var scale = 0.1
                    var sawDigit = false
                    while let byte = cursor.current, byte >= 0x30, byte <= 0x39 {
                        second += Double(byte - 0x30) * scale
                        scale /= 10
                        sawDigit = true
                        cursor.index += 1
                    }
                    guard sawDigit else { return nil }
                }
            }
            secondsOfDay = Double(hour * 3600 + minute * 60) + second
            guard let offset = zoneOffsetSeconds(&cursor) else { return nil }
            secondsOfDay -= Double(offset)
        }
        guard cursor.atEnd else { return nil }
        let days = CivilDays.daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days) * CivilDays.secondsPerDay + secondsOfDay)
    }

    /// The zone designator's offset east of UTC in seconds; 0 when there is none.
    private static func zoneOffsetSeconds(_ cursor: inout Cursor) -> Int? {
        if cursor.atEnd { return 0 }
        if cursor.consume(0x5A) || cursor.consume(0x7A) { return 0 }          // Z
        if cursor.consume(literal: " UTC") || cursor.consume(literal: "UTC")
            || cursor.consume(literal: " GMT") { return 0 }
        let sign: Int
        if cursor.consume(0x2B) { sign = 1 } else if cursor.consume(0x2D) { sign = -1 } else { return nil }
        guard let hours = cursor.digits(2), (0...23).contains(hours) else { return nil }
        var minutes = 0
        if !cursor.atEnd {
            _ = cursor.consume(0x3A)
            guard let m = cursor.digits(2), (0...59).contains(m) else { return nil }
            minutes = m
        }
        return sign * (hours * 3600 + minutes * 60)
    }
}
