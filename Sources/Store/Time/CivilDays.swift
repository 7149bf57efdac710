import Foundation
import SeriesAnalysis

/// Proleptic Gregorian calendar arithmetic in UTC, without `Calendar` or time
/// zones, for the ingest and store code. The algorithms (H. Hinnant,
/// "chrono-Compatible Low-Level Date Algorithms", 2013) live once, in
/// `SeriesAnalysis.CalendarDay`; these are the names the store and ingest use.
public enum CivilDays {
    public static let secondsPerDay = 86_400.0

    /// Days since 1970-01-01 of the date `year-month-day` (month 1…12, day 1…31).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        CalendarDay.daysFromCivil(year: year, month: month, day: day)
    }

    /// The date `days` days after 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        CalendarDay.civilFromDays(days)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        CalendarDay.daysInMonth(year: year, month: month)
    }
}
