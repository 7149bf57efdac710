import Foundation
import Store
import Testing

@Suite("TimestampParser: the time formats of perfherder exports")
struct TimestampParserTests {
    /// 2023-05-22 10:20:25 UTC, the first push of the bundled real data.
    let reference = 1_684_750_825.0

    @Test("unix seconds, whole and fractional", arguments: [
        ("1684750825", 1_684_750_825.0), ("1684750825.25", 1_684_750_825.25), ("  1684750825 ", 1_684_750_825.0), ("0", 0.0),
    ])
    func unixSeconds(text: String, seconds: Double) throws {
        let date = try #require(TimestampParser.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test("ISO 8601 and the Treeherder export form name the same instant", arguments: [
        "2023-05-22T10:20:25Z", "2023-05-22T10:20:25z", "2023-05-22 10:20:25", "2023-05-22T10:20:25",
        "2023-05-22T12:20:25+02:00", "2023-05-22T12:20:25+0200", "2023-05-22T05:20:25-05", "2023-05-22 10:20:25 UTC",
        "2023-05-22T10:20:25.000Z",
    ])
    func calendarForms(text: String) throws {
        let date = try #require(TimestampParser.parse(text))
        #expect(abs(date.timeIntervalSince1970 - reference) < 1e-6)
    }

    @Test("a zone-less timestamp is UTC")
    func zoneLessIsUTC() throws {
        let zoneLess = try #require(TimestampParser.parse("2023-05-22 10:20:25"))
        let utc = try #require(TimestampParser.parse("2023-05-22T10:20:25Z"))
        #expect(zoneLess == utc)
    }

    @Test("fractional seconds and minutes-only times")
    func fractionsAndMinutes() throws {
        let fractional = try #require(TimestampParser.parse("2023-05-22T10:20:25.5Z"))
        #expect(abs(fractional.timeIntervalSince1970 - (reference + 0.5)) < 1e-6)
        let minutes = try #require(TimestampParser.parse("2023-05-22 10:20"))
        #expect(abs(minutes.timeIntervalSince1970 - (reference - 25)) < 1e-6)
    }

    @Test("a date alone is midnight UTC")
    func dateOnly() throws {
        let date = try #require(TimestampParser.parse("2023-05-22"))
        #expect(abs(date.timeIntervalSince1970 - 1_684_713_600) < 1e-6)
    }

    @Test("leap day exists in 2024 but not in 2023")
    func leapDays() {
        #expect(TimestampParser.parse("2024-02-29") != nil)
        #expect(TimestampParser.parse("2023-02-29") == nil)
    }

    @Test("malformed or out-of-range text is rejected", arguments: [
        "", "   ", "yesterday", "2023-13-01", "2023-02-30", "2023-05-22T24:00:00", "2023-05-22T10:60:00",
        "2023-05-22T10:20:61", "2023/05/22", "22-05-2023", "2023-05-22T10:20:25+25:00", "2023-05-22T10:20:25 PST",
        "1684750825abc", "--5", "2023-05-22T", "2023-05-22T10:20:25.",
    ])
    func rejects(text: String) {
        #expect(TimestampParser.parse(text) == nil)
    }
}
