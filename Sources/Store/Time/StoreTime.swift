import Foundation

/// The text forms the store uses for instants and calendar days (UTC).
///
/// - Instants: `YYYY-MM-DDTHH:MM:SS.mmmZ`, always 24 characters, so text order is
///   time order and SQLite's date functions read it. Precision is one millisecond
///   (rounded to nearest); sources carry at most second precision in practice.
/// - Days: `YYYY-MM-DD`.
public enum StoreTime {
    /// `2023-05-22T10:20:25.000Z`.
    public static func instantText(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded())
        let (dayIndex, msOfDay) = floorDivide(milliseconds, 86_400_000)
        let (year, month, day) = CivilDays.civilFromDays(dayIndex)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":"
            + pad(minute, 2) + ":" + pad(second, 2) + "." + pad(ms, 3) + "Z"
    }

    /// The instant an ``instantText(_:)`` string (or any ``TimestampParser`` form) names.
    public static func instant(_ text: String) -> Date? { TimestampParser.parse(text) }

    /// The UTC calendar day of `date`, `YYYY-MM-DD`.
    public static func dayText(_ date: Date) -> String {
        let (dayIndex, _) = floorDivide(Int(date.timeIntervalSince1970.rounded(.down)), 86_400)
        return dayText(daysSinceEpoch: dayIndex)
    }

    /// `YYYY-MM-DD` of the day `days` after 1970-01-01.
    public static func dayText(daysSinceEpoch days: Int) -> String {
        let (year, month, day) = CivilDays.civilFromDays(days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` string, or `nil` when it is not a
    /// valid day in exactly that form.
    public static func daysSinceEpoch(dayText text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[i] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...CivilDays.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        return CivilDays.daysFromCivil(year: year, month: month, day: day)
    }

    /// Whether `text` is a valid `YYYY-MM-DD` day.
    public static func isDayText(_ text: String) -> Bool { daysSinceEpoch(dayText: text) != nil }

    private static func floorDivide(_ a: Int, _ b: Int) -> (Int, Int) {
        let q = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (q, a - q * b)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
