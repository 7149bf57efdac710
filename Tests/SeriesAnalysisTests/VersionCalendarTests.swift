import Foundation
import SeriesAnalysis
import Testing

/// The version calendar of SPEC §3.
struct VersionCalendarTests {
    static func at(_ iso: String, hour: Int = 12) -> Date {
        CalendarDay(iso8601: iso)!.startDate.addingTimeInterval(Double(hour) * 3600)
    }

    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso8601: iso)! }

    @Test("Parsing: 77.0b3 is major 77 beta 3; 77.0 is a release (beta −1); 72.0.2 is a dot release")
    func parsing() throws {
        let beta = try #require(FirefoxVersion("77.0b3"))
        #expect(beta.major == 77 && beta.minor == 0 && beta.beta == 3 && !beta.isRelease && !beta.isDotRelease)
        let release = try #require(FirefoxVersion("77.0"))
        #expect(release.major == 77 && release.beta == -1 && release.isRelease && !release.isDotRelease)
        let dot = try #require(FirefoxVersion("72.0.2"))
        #expect(dot.major == 72 && dot.patch == 2 && dot.isDotRelease && !dot.isRelease && dot.beta == -1)
        #expect(FirefoxVersion("100.0b12")?.beta == 12)
        for bad in ["", "77", "77.0a1", "77.0esr", "77.0b", "b3", "77..0", "77.0.1.2", "seventy.0", "77.0b3x"] {
            #expect(FirefoxVersion(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test("Only beta-channel builds count; dot releases are left out; a day keeps the last build's version")
    func buildRecords() throws {
        let records = [
            BuildRecord(date: Self.at("2024-01-01"), version: "75.0b1", channel: "beta"),
            BuildRecord(date: Self.at("2024-01-03"), version: "76.0a1", channel: "nightly"),
            BuildRecord(date: Self.at("2024-01-04"), version: "75.0b2", channel: "Beta"),
            BuildRecord(date: Self.at("2024-01-08"), version: "75.0", channel: "beta"),
            BuildRecord(date: Self.at("2024-01-09"), version: "75.0.1", channel: "beta"),
            BuildRecord(date: Self.at("2024-01-10"), version: "74.0.3", channel: "release"),
        ]
        let calendar = try VersionCalendar(buildRecords: records)
        #expect(calendar.version(on: Self.day("2023-12-31")) == nil)
        #expect(calendar.version(on: Self.day("2024-01-01"))?.text == "75.0b1")
        #expect(calendar.beta(on: Self.day("2024-01-03")) == 1)
        #expect(calendar.beta(on: Self.day("2024-01-05")) == 2)
        // 75.0.1 is a dot release: 75.0 stays current after it.
        #expect(calendar.version(on: Self.day("2024-01-20"))?.text == "75.0")
        #expect(calendar.beta(on: Self.day("2024-01-20")) == -1)
        #expect(calendar.major(on: Self.day("2024-01-20")) == 75)
        #expect(calendar.entry(on: Self.at("2024-01-09", hour: 23))?.version.text == "75.0")
        #expect(calendar.changes.count == 3)
    }

    @Test("Two versions on one day: the later time wins; equal times: the later in input order")
    func sameDay() throws {
        let records = [
            BuildRecord(date: Self.at("2024-02-01", hour: 15), version: "77.0b4", channel: "beta"),
            BuildRecord(date: Self.at("2024-02-01", hour: 9), version: "77.0b3", channel: "beta"),
            BuildRecord(date: Self.at("2024-02-02", hour: 9), version: "77.0b5", channel: "beta"),
            BuildRecord(date: Self.at("2024-02-02", hour: 9), version: "77.0b6", channel: "beta"),
        ]
        let calendar = try VersionCalendar(buildRecords: records)
        #expect(calendar.beta(on: Self.day("2024-02-01")) == 4)
        #expect(calendar.beta(on: Self.day("2024-02-02")) == 6)
    }

    @Test("mvers never decreases, even when an older version is built after a newer one")
    func mversMonotone() throws {
        let records = [
            BuildRecord(date: Self.at("2024-03-01"), version: "76.0b8", channel: "beta"),
            BuildRecord(date: Self.at("2024-03-04"), version: "77.0b1", channel: "beta"),
            BuildRecord(date: Self.at("2024-03-05"), version: "76.0b9", channel: "beta"),
        ]
        let calendar = try VersionCalendar(buildRecords: records)
        #expect(calendar.major(on: Self.day("2024-03-06")) == 76)
        #expect(calendar.mvers(on: Self.day("2024-03-06")) == 77)
        let mvers = calendar.entries(over: Self.day("2024-02-28")...Self.day("2024-03-10")).map(\.mvers)
        #expect(mvers.count == 10)
        #expect(zip(mvers, mvers.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("A malformed beta version is an error naming the row and the string; other channels are not parsed")
    func malformed() {
        let records = [
            BuildRecord(date: Self.at("2024-01-01"), version: "garbage", channel: "nightly"),
            BuildRecord(date: Self.at("2024-01-02"), version: "75.0b1", channel: "beta"),
            BuildRecord(date: Self.at("2024-01-03"), version: "75.0beta2", channel: "beta"),
        ]
        #expect(throws: VersionCalendarError.malformedVersion(row: 3, version: "75.0beta2")) {
            try VersionCalendar(buildRecords: records)
        }
        #expect(VersionCalendarError.malformedVersion(row: 3, version: "75.0beta2").description.contains("row 3"))
    }

    @Test("From data rows: versions carried by the rows, blanks skipped, malformed rows reported")
    func dataRows() throws {
        let rows: [(date: Date, version: String?)] = [
            (Self.at("2024-04-01", hour: 3), "78.0b2"),
            (Self.at("2024-04-01", hour: 1), "78.0b1"),
            (Self.at("2024-04-02"), nil),
            (Self.at("2024-04-03"), " "),
            (Self.at("2024-04-04"), "78.0b3"),
        ]
        let calendar = try VersionCalendar(dataRows: rows)
        #expect(calendar.beta(on: Self.day("2024-04-01")) == 2)
        #expect(calendar.beta(on: Self.day("2024-04-03")) == 2)
        #expect(calendar.beta(on: Self.day("2024-04-04")) == 3)
        #expect(throws: VersionCalendarError.malformedVersion(row: 2, version: "x")) {
            try VersionCalendar(dataRows: [(Self.at("2024-04-01"), "78.0b1"), (Self.at("2024-04-02"), "x")])
        }
    }

    @Test("Release days: the days up to a limit on which MAJOR.0 was current")
    func releaseDays() throws {
        let calendar = try VersionCalendar(buildRecords: [
            BuildRecord(date: Self.at("2024-01-08"), version: "75.0", channel: "beta"),
            BuildRecord(date: Self.at("2024-01-11"), version: "76.0b1", channel: "beta"),
        ])
        #expect(calendar.releaseDays(major: 75, through: Self.day("2024-02-01"))
            == [Self.day("2024-01-08"), Self.day("2024-01-09"), Self.day("2024-01-10")])
        #expect(calendar.releaseDays(major: 75, through: Self.day("2024-01-09"))
            == [Self.day("2024-01-08"), Self.day("2024-01-09")])
        #expect(calendar.releaseDays(major: 76, through: Self.day("2024-02-01")).isEmpty)
    }
}
