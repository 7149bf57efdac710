import Foundation
import Store
import Testing

@Suite("CivilDays: Gregorian dates ↔ days since 1970-01-01")
struct CivilDaysTests {
    @Test("known dates", arguments: [
        (1970, 1, 1, 0), (1969, 12, 31, -1), (2000, 3, 1, 11_017), (2023, 5, 22, 19_499), (1600, 1, 1, -135_140),
    ])
    func knownDates(year: Int, month: Int, day: Int, days: Int) {
        #expect(CivilDays.daysFromCivil(year: year, month: month, day: day) == days)
    }

    @Test("the two directions are inverses over four centuries")
    func roundTrip() {
        for days in stride(from: -80_000, through: 80_000, by: 7) {
            let (y, m, d) = CivilDays.civilFromDays(days)
            #expect(CivilDays.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }

    @Test("agrees with Foundation's Gregorian calendar in UTC")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: -10_000, through: 30_000, by: 97) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let (y, m, d) = CivilDays.civilFromDays(days)
            #expect(parts.year == y && parts.month == m && parts.day == d)
        }
    }

    @Test("month lengths")
    func monthLengths() {
        #expect(CivilDays.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilDays.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilDays.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilDays.daysInMonth(year: 2023, month: 4) == 30)
        #expect(CivilDays.daysInMonth(year: 2023, month: 12) == 31)
    }
}
