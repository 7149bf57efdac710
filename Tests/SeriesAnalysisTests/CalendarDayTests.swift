import Foundation
import SeriesAnalysis
import Testing

/// UTC calendar days.
struct CalendarDayTests {
    @Test("Day of a date is the UTC day, floor for dates before 1970")
    func fromDate() {
        #expect(CalendarDay(Date(timeIntervalSince1970: 0)).daysSince1970 == 0)
        #expect(CalendarDay(Date(timeIntervalSince1970: 86_399)).daysSince1970 == 0)
        #expect(CalendarDay(Date(timeIntervalSince1970: 86_400)).daysSince1970 == 1)
        #expect(CalendarDay(Date(timeIntervalSince1970: -1)).daysSince1970 == -1)
    }

    @Test("ISO dates round-trip, leap days included; invalid dates are nil")
    func iso() throws {
        let day = try #require(CalendarDay(iso8601: "2024-02-29"))
        #expect(day.description == "2024-02-29")
        #expect(day.daysSince1970 == 19_782)
        #expect(CalendarDay(iso8601: "1969-12-31")?.daysSince1970 == -1)
        #expect(CalendarDay(iso8601: "2023-02-29") == nil)
        #expect(CalendarDay(iso8601: "2024-13-01") == nil)
        #expect(CalendarDay(iso8601: "24-01-01") == nil)
        #expect(CalendarDay(iso8601: "2024-1-01") == nil)
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            let d = CalendarDay(daysSince1970: n)
            let (y, m, dd) = d.civil
            #expect(CalendarDay(year: y, month: m, day: dd) == d)
        }
    }

    @Test("Weekdays: 1970-01-01 was a Thursday, 2024-01-03 a Wednesday")
    func weekdays() {
        #expect(CalendarDay(daysSince1970: 0).weekday == CalendarDay.thursday)
        #expect(CalendarDay(iso8601: "2024-01-03")?.weekday == CalendarDay.wednesday)
        #expect(CalendarDay(iso8601: "1969-12-31")?.weekday == CalendarDay.wednesday)
    }

    @Test("Start date is midnight UTC; days are strideable")
    func startAndStride() throws {
        let day = try #require(CalendarDay(iso8601: "2024-03-10"))
        #expect(day.startDate.timeIntervalSince1970 == Double(day.daysSince1970) * 86_400)
        #expect(day.advanced(by: 3).description == "2024-03-13")
        #expect(day.distance(to: day.advanced(by: -10)) == -10)
        #expect(Array(day...day.advanced(by: 2)).count == 3)
    }
}
