import Foundation
import SeriesAnalysis
import Testing

/// Comparison days (SPEC §8) on a hand-built calendar of three major versions.
///
/// 2024-01-01 is a Monday. The calendar:
/// - 75.0b1 from Mon 01-01; release 75.0 current Mon 01-08 … Sun 01-14
///   (Wednesday 01-10 → v75 = 01-10);
/// - 76.0b1 from Mon 01-15; release 76.0 current Thu 02-01 … Sat 02-03
///   (no Wednesday → the Thursday 02-01), with a dot release 76.0.1 on 02-02
///   that does not end it;
/// - 77.0b1 from Sun 02-04; release 77.0 current Fri 02-23 … Sun 02-25
///   (neither Wednesday nor Thursday → the latest day, 02-25);
/// - 78.0b1 from Mon 02-26.
struct ComparisonDaysTests {
    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso8601: iso)! }

    static let calendar: VersionCalendar = {
        let builds: [(String, String)] = [
            ("2024-01-01", "75.0b1"), ("2024-01-08", "75.0"),
            ("2024-01-15", "76.0b1"), ("2024-01-20", "76.0b2"), ("2024-02-01", "76.0"), ("2024-02-02", "76.0.1"),
            ("2024-02-04", "77.0b1"), ("2024-02-23", "77.0"),
            ("2024-02-26", "78.0b1"),
        ]
        return try! VersionCalendar(buildRecords: builds.map {
            BuildRecord(date: day($0.0).startDate.addingTimeInterval(10 * 3600), version: $0.1, channel: "beta")
        })
    }()

    func entry(_ plan: ComparisonPlan, _ label: String) throws -> ComparisonDay {
        try #require(plan.days.first { $0.label == label }, "no \(label) in \(plan.days.map(\.label))")
    }

    @Test("The weekdays the test relies on")
    func weekdays() {
        #expect(Self.day("2024-01-10").weekday == CalendarDay.wednesday)
        #expect(Self.day("2024-02-01").weekday == CalendarDay.thursday)
        #expect(Self.day("2024-02-25").weekday == 0) // Sunday
    }

    @Test("D in 77: prev_week, prev_week2, v76 on the Thursday (no Wednesday), v75 on the Wednesday")
    func inVersion77() throws {
        let plan = ComparisonDays().plan(runDate: Self.day("2024-02-20"), seriesStart: Self.day("2024-01-01"),
                                         calendar: Self.calendar)
        #expect(plan.days.map(\.label) == ["prev_week", "prev_week2", "v76", "v75"])
        #expect(plan.runDayIndex == 50)
        #expect(plan.messages.isEmpty)
        #expect(try entry(plan, "prev_week").day == Self.day("2024-02-13"))
        #expect(try entry(plan, "prev_week").dayIndex == 43)
        #expect(try entry(plan, "prev_week2").dayIndex == 36)
        #expect(try entry(plan, "v76").day == Self.day("2024-02-01"))
        #expect(try entry(plan, "v76").dayIndex == 31)
        #expect(try entry(plan, "v76").kind == .endOfMajorVersion(76))
        #expect(try entry(plan, "v75").day == Self.day("2024-01-10"))
        #expect(try entry(plan, "v75").dayIndex == 9)
    }

    @Test("D in 78: v77 falls back to the latest day of a span without Wednesday or Thursday")
    func latestDayFallback() throws {
        let plan = ComparisonDays().plan(runDate: Self.day("2024-03-06"), seriesStart: Self.day("2024-01-01"),
                                         calendar: Self.calendar)
        #expect(plan.days.map(\.label) == ["prev_week", "prev_week2", "v77", "v76"])
        #expect(try entry(plan, "v77").day == Self.day("2024-02-25"))
        #expect(try entry(plan, "v76").day == Self.day("2024-02-01"))
    }

    @Test("Preference is strict: a Wednesday wins over a later Thursday, a Thursday over a later day")
    func preference() {
        let span = (0..<9).map { Self.day("2024-01-08").advanced(by: $0) } // Mon 01-08 … Tue 01-16
        #expect(ComparisonDays.preferredDay(in: span) == Self.day("2024-01-10"))
        let noWednesday = (0..<5).map { Self.day("2024-01-11").advanced(by: $0) } // Thu … Mon
        #expect(ComparisonDays.preferredDay(in: noWednesday) == Self.day("2024-01-11"))
        #expect(ComparisonDays.preferredDay(in: []) == nil)
    }

    @Test("Days before the series start are unavailable with a reason, not replaced")
    func beforeSeriesStart() throws {
        let plan = ComparisonDays().plan(runDate: Self.day("2024-02-20"), seriesStart: Self.day("2024-02-08"),
                                         calendar: Self.calendar)
        #expect(try entry(plan, "prev_week").dayIndex == 5)
        let v76 = try entry(plan, "v76")
        #expect(v76.day == Self.day("2024-02-01"))
        #expect(v76.dayIndex == nil)
        guard case let .unavailable(reason) = v76.availability else { Issue.record("v76 available"); return }
        #expect(reason.contains("before the series starts"))
        let prevWeek2 = try entry(plan, "prev_week2")
        #expect(prevWeek2.day == Self.day("2024-02-06"))
        #expect(prevWeek2.dayIndex == nil)
    }

    @Test("A date before any release of the previous versions: both version days unavailable")
    func beforeAnyRelease() throws {
        // D in 75 (beta): releases 74.0 and 73.0 never appear in the calendar.
        let plan = ComparisonDays().plan(runDate: Self.day("2024-01-05"), seriesStart: Self.day("2023-12-01"),
                                         calendar: Self.calendar)
        #expect(plan.days.map(\.label) == ["prev_week", "prev_week2", "v74", "v73"])
        for label in ["v74", "v73"] {
            let e = try entry(plan, label)
            #expect(e.day == nil)
            guard case let .unavailable(reason) = e.availability else { Issue.record("\(label) available"); continue }
            #expect(reason.contains("no day on which release"))
        }
        // D in the release of 75 itself: v74 still unknown, and 75's own release is not a comparison day.
        let inRelease = ComparisonDays().plan(runDate: Self.day("2024-01-12"), seriesStart: Self.day("2023-12-01"),
                                              calendar: Self.calendar)
        #expect(inRelease.days.map(\.label) == ["prev_week", "prev_week2", "v74", "v73"])
    }

    @Test("A date before the calendar's first day: version comparisons skipped with a message")
    func beforeCalendar() {
        let plan = ComparisonDays().plan(runDate: Self.day("2023-12-20"), seriesStart: Self.day("2023-11-01"),
                                         calendar: Self.calendar)
        #expect(plan.days.map(\.label) == ["prev_week", "prev_week2"])
        #expect(plan.messages.count == 1)
        #expect(plan.messages[0].contains("no version is known"))
    }

    @Test("Without a calendar: only the week comparisons, and a message")
    func noCalendar() {
        let plan = ComparisonDays().plan(runDate: Self.day("2024-02-20"), seriesStart: Self.day("2024-01-01"),
                                         calendar: nil)
        #expect(plan.days.map(\.label) == ["prev_week", "prev_week2"])
        #expect(plan.days.allSatisfy { $0.dayIndex != nil })
        #expect(plan.messages == ["no version calendar: version comparisons skipped"])
    }

    @Test("A run date before the series start makes every day unavailable")
    func runDateBeforeSeries() {
        let plan = ComparisonDays().plan(runDate: Self.day("2024-01-01"), seriesStart: Self.day("2024-01-05"),
                                         calendar: Self.calendar)
        #expect(plan.runDayIndex == nil)
        #expect(plan.days.allSatisfy { $0.dayIndex == nil })
        #expect(!plan.messages.isEmpty)
    }
}
