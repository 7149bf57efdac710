import Foundation
import NumericCore
import SeriesAnalysis
import Testing

/// Series preparation (SPEC §4) against the reference system's prepared series
/// and on hand-built cases for the daily cap, ties and errors.
struct SeriesPreparationTests {
    static let referenceCases = ["short_quarter", "year_bimodal", "year_gaussian", "year_outliers"]

    /// `2024-01-01 03:18:56` read as UTC.
    static func utcDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let day = CalendarDay(iso8601: String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return day.startDate.addingTimeInterval(Double(clock[0] * 3600 + clock[1] * 60 + clock[2]))
    }

    static func fixtureLines(_ caseName: String, _ file: String) throws -> [[String]] {
        let url = try #require(Bundle.module.url(forResource: file, withExtension: "csv",
                                                 subdirectory: "Fixtures/reference/\(caseName)"))
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    static func day(_ iso: String, hour: Int = 0, minute: Int = 0) -> Date {
        CalendarDay(iso8601: iso)!.startDate.addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    @Test("Outlier flags and day indices equal the reference prep.csv row by row", arguments: referenceCases)
    func matchesReference(caseName: String) throws {
        let raw = try Self.fixtureLines(caseName, "raw").map { fields in
            SeriesRow(time: try #require(Self.utcDate(fields[0])), value: try #require(Double(fields[1])))
        }
        let expected = try Self.fixtureLines(caseName, "prep")
        let prepared = try SeriesPreparation().prepare(raw)
        #expect(prepared.rows.count == expected.count)
        var mismatches = 0
        for (row, fields) in zip(prepared.rows, expected) {
            let day = try #require(Int(fields[0]))
            let value = try #require(Double(fields[1]))
            let outlier = fields[2] == "TRUE"
            if row.day != day || row.isOutlier != outlier || abs(row.value - value) > 1e-9 { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(caseName): \(mismatches) rows differ from prep.csv")
        // Every reference case has outliers, so the comparison is not vacuous.
        #expect(prepared.outlierCount == expected.filter { $0[2] == "TRUE" }.count)
        #expect(prepared.outlierCount > 0)
        #expect(prepared.modelDays.count == expected.count - prepared.outlierCount)
        #expect(prepared.modelValues.count == prepared.modelDays.count)
    }

    @Test("At most maxDailyRuns per UTC day, the first ones by time, whatever the input order")
    func dailyCap() throws {
        // Seven runs on 2024-03-05 given in reverse time order, and two on the next day.
        var rows = (0..<7).reversed().map { SeriesRow(time: Self.day("2024-03-05", hour: 1 + 3 * $0), value: Double($0)) }
        rows.append(SeriesRow(time: Self.day("2024-03-06", hour: 0, minute: 1), value: 100))
        rows.append(SeriesRow(time: Self.day("2024-03-06", hour: 23, minute: 59), value: 101))
        let prepared = try SeriesPreparation().prepare(rows)
        #expect(prepared.rows.map(\.value) == [0, 1, 2, 3, 4, 100, 101])
        #expect(prepared.rows.map(\.day) == [0, 0, 0, 0, 0, 1, 1])
        #expect(prepared.droppedByDailyCap == 2)
        let capped = try SeriesPreparation(maxDailyRuns: 2).prepare(rows)
        #expect(capped.rows.map(\.value) == [0, 1, 100, 101])
        #expect(SeriesPreparation.defaultMaxDailyRuns == 5)
    }

    @Test("Equal timestamps keep input order, so the cap keeps the first given")
    func stableTies() throws {
        let t = Self.day("2024-03-05", hour: 12)
        let rows = (0..<7).map { SeriesRow(time: t, value: Double($0)) }
        let prepared = try SeriesPreparation().prepare(rows)
        #expect(prepared.rows.map(\.value) == [0, 1, 2, 3, 4])
    }

    @Test("Day index counts UTC calendar days from the first run's day, with gaps")
    func dayIndex() throws {
        let rows = [
            SeriesRow(time: Self.day("2024-02-28", hour: 23, minute: 59), value: 1),
            SeriesRow(time: Self.day("2024-02-29", hour: 0, minute: 1), value: 2),
            SeriesRow(time: Self.day("2024-03-10", hour: 12), value: 3),
        ]
        let prepared = try SeriesPreparation().prepare(rows)
        #expect(prepared.rows.map(\.day) == [0, 1, 11])
        #expect(prepared.firstDay == CalendarDay(iso8601: "2024-02-28"))
        #expect(prepared.calendarDay(ofIndex: 11) == CalendarDay(iso8601: "2024-03-10"))
        #expect(prepared.dayIndex(of: CalendarDay(iso8601: "2024-03-01")!) == 2)
        #expect(prepared.lastDayIndex == 11)
    }

    @Test("Model input holds exactly the non-outliers; every row keeps its z")
    func modelInput() throws {
        var values = (0..<60).map { 100 + Double($0 % 7) * 0.5 }
        values[30] = 400
        let rows = values.enumerated().map { SeriesRow(time: Self.day("2024-01-01").addingTimeInterval(Double($0.offset) * 30_000), value: $0.element) }
        let prepared = try SeriesPreparation().prepare(rows)
        #expect(prepared.rows.count == 60)
        #expect(prepared.rows[30].isOutlier)
        #expect(prepared.rows[30].z > 5)
        #expect(prepared.outlierCount == 1)
        #expect(!prepared.modelValues.contains(400))
        #expect(prepared.modelDays.count == 59)
        #expect(prepared.modelDays == prepared.rows.filter { !$0.isOutlier }.map(\.day))
    }

    @Test("Typed errors: empty input, NaN and infinite values name the row")
    func errors() {
        #expect(throws: SeriesPreparationError.emptySeries) { try SeriesPreparation().prepare([]) }
        let t = Self.day("2024-01-01")
        #expect(throws: SeriesPreparationError.nonFiniteValue(row: 2, value: .infinity)) {
            try SeriesPreparation().prepare([SeriesRow(time: t, value: 1), SeriesRow(time: t, value: .infinity)])
        }
        do {
            _ = try SeriesPreparation().prepare([SeriesRow(time: t, value: .nan)])
            Issue.record("NaN accepted")
        } catch {
            guard case let .nonFiniteValue(row, value) = error else { Issue.record("wrong error \(error)"); return }
            #expect(row == 1 && value.isNaN)
            #expect(error.description.contains("row 1"))
        }
        #expect(throws: SeriesPreparationError.invalidMaxDailyRuns(0)) {
            try SeriesPreparation(maxDailyRuns: 0).prepare([SeriesRow(time: t, value: 1)])
        }
    }
}
