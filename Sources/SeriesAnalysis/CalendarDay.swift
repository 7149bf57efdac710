import Foundation

/// One UTC calendar day, counted as whole days since 1970-01-01 (UTC).
///
/// Series preparation, the version calendar and the comparison days all speak
/// of *calendar days in UTC* (SPEC §3, §4, §8); this type is that day, so that
/// no code has to go through a time zone or `Calendar` to compare two days.
/// `CalendarDay(date)` is `⌊date.timeIntervalSince1970 / 86 400⌋`, which is
/// correct for dates before 1970 as well (the floor, not truncation).
public struct CalendarDay: Sendable, Hashable, Comparable, Strideable, CustomStringConvertible {
    /// Seconds in one UTC day (UTC has no daylight saving; leap seconds are not
    /// represented in `Date`).
    public static let secondsPerDay = 86_400.0

    /// Days since 1970-01-01 UTC (negative before).
    public let daysSince1970: Int

    public init(daysSince1970: Int) {
        self.daysSince1970 = daysSince1970
    }

    /// The UTC day containing `date`. The date must be finite.
    public init(_ date: Date) {
        daysSince1970 = Int((date.timeIntervalSince1970 / Self.secondsPerDay).rounded(.down))
    }

    /// The day `year-month-day` of the proleptic Gregorian calendar, or nil
    /// when the fields do not name a day (e.g. February 30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month) else {
            return nil
        }
        daysSince1970 = Self.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses an ISO 8601 calendar date `YYYY-MM-DD` (as `--date` takes it);
    /// nil for anything else.
    public init?(iso8601 text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// A day as the command line takes it: `today` or `yesterday` (UTC, at
    /// `now`), or an ISO 8601 date `YYYY-MM-DD`; nil for anything else.
    /// Schedulers start the daily job for "the day that just ended" without
    /// computing a date in a shell.
    public init?(commandLine text: String, now: Date = Date()) {
        switch text.lowercased() {
        case "today": self.init(now)
        case "yesterday": self = CalendarDay(now).advanced(by: -1)
        default: self.init(iso8601: text)
        }
    }

    /// Midnight UTC at the start of the day.
    public var startDate: Date {
        Date(timeIntervalSince1970: Double(daysSince1970) * Self.secondsPerDay)
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public var weekday: Int {
        ((daysSince1970 + 4) % 7 + 7) % 7
    }

    /// Wednesday in `weekday` numbering.
    public static let wednesday = 3
    /// Thursday in `weekday` numbering.
    public static let thursday = 4

    /// (year, month, day) of the proleptic Gregorian calendar.
    public var civil: (year: Int, month: Int, day: Int) {
        Self.civilFromDays(daysSince1970)
    }

    /// ISO 8601 date, `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        let year = y >= 0 ? String(y).leftPadded(to: 4) : "-" + String(-y).leftPadded(to: 4)
        return "\(year)-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        lhs.daysSince1970 < rhs.daysSince1970
    }

    public func distance(to other: CalendarDay) -> Int {
        other.daysSince1970 - daysSince1970
    }

    public func advanced(by n: Int) -> CalendarDay {
        CalendarDay(daysSince1970: daysSince1970 + n)
    }

    // Howard Hinnant's days-from-civil / civil-from-days algorithms
    // ("chrono-Compatible Low-Level Date Algorithms", 2013): exact integer
    // arithmetic on 400-year eras, valid for every representable year.
    /// Days since 1970-01-01 of the date `year-month-day` (month 1…12, day 1…31).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days in `month` (1…12) of `year`, leap years included.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
