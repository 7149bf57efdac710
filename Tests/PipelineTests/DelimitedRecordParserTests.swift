import Foundation
import Ingest
import Testing

@Suite("DelimitedRecordParser: flat CSV/TSV into records")
struct DelimitedRecordParserTests {
    let parser = DelimitedRecordParser()

    @Test("the real Treeherder export reads without a mapping")
    func realTreeherderExport() throws {
        let records = try parser.parse(try TestSupport.fixtureData("mozilla-beta_3891031", "csv"), file: "awsy.csv")
        #expect(records.count == 730)
        let first = try #require(records.first)
        #expect(first.time == TestSupport.date("2023-05-22T10:20:25Z"))
        #expect(abs(first.value - 192_302_104.6169912) < 1e-6)
        #expect(first.revision == "59efee44047a")
        #expect(first.project == "mozilla-beta")
        #expect(first.framework == "awsy")            // framework_id 4
        #expect(first.platform == "linux1804-64-shippable-qr")
        #expect(first.suite == "JS")
        #expect(first.test == "")
        #expect(first.lowerIsBetter == true)
        #expect(first.unit == "bytes")
        #expect(records.allSatisfy { $0.value.isFinite && $0.suite == "JS" })
    }

    @Test("the microbenchmark export keeps its subtest and empty unit")
    func realMicrobenchmark() throws {
        let records = try parser.parse(try TestSupport.fixtureData("mozilla-beta_3534783", "csv"), file: "micro.csv")
        #expect(records.count == 921)
        #expect(records[0].suite == "Strings")
        #expect(records[0].test == "PerfHasRTLCharsExample3")
        #expect(records[0].framework == "platform_microbench")
        #expect(records[0].unit == "")
    }

    @Test("a UTF-8 byte-order mark is skipped")
    func byteOrderMark() throws {
        let text = "push_timestamp,value,suite,machine_platform\n2023-05-22 10:20:25,1,s,p\n"
        let records = try parser.parse(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), file: "bom.csv")
        #expect(records.count == 1)
        #expect(records[0].time == TestSupport.date("2023-05-22T10:20:25Z"))
    }

    @Test("rows are kept in file order, sorted or not")
    func unsortedRows() throws {
        let text = "push_timestamp,value,suite,machine_platform\n2023-05-23,2,s,p\n2023-05-21,1,s,p\n2023-05-22,3,s,p\n"
        let records = try parser.parse(Data(text.utf8), file: "u.csv")
        #expect(records.map(\.value) == [2, 1, 3])
    }

    @Test("time formats mix within one file")
    func mixedTimeFormats() throws {
        let text = """
            push_timestamp,value,suite,machine_platform
            1684750825,1,s,p
            2023-05-22T10:20:25Z,1,s,p
            2023-05-22 12:20:25+02:00,1,s,p
            2023-05-22 10:20:25,1,s,p
            """
        let records = try parser.parse(Data(text.utf8), file: "t.csv")
        #expect(Set(records.map(\.time)).count == 1)
    }

    @Test("a suite name with quotes and SQL is read verbatim")
    func hostileSuiteName() throws {
        let text = "time,value,suite,platform\n2023-05-22,1,\"x\"\"); DROP TABLE measurements; --\",p\n"
        let records = try parser.parse(Data(text.utf8), file: "t.csv")
        #expect(records[0].suite == "x\"); DROP TABLE measurements; --")
    }

    @Test("lower_is_better accepts the usual spellings", arguments: [
        ("True", true), ("false", false), ("1", true), ("0", false), ("yes", true), ("", nil),
    ] as [(String, Bool?)])
    func lowerIsBetter(cell: String, expected: Bool?) throws {
        let text = "time,value,suite,platform,lower_is_better\n2023-05-22,1,s,p,\(cell)\n"
        #expect(try parser.parse(Data(text.utf8), file: "t.csv")[0].lowerIsBetter == expected)
    }

    @Test("other layouts through a column map, with defaults for missing columns")
    func columnMap() throws {
        let map = try ColumnMap.parse(yaml: """
            columns:
              time: Started
              value: Result (ms)
              suite: Benchmark
            defaults:
              platform: linux64-shippable
              project: mozilla-central
            """, file: "map.yaml")
        let text = "Started;Result (ms);Benchmark;revision\n2023-05-22T10:00:00Z;12,5;tp5;abc\n"
            .replacingOccurrences(of: "12,5", with: "12.5")
        let records = try DelimitedRecordParser(columnMap: map).parse(Data(text.utf8), file: "other.csv")
        #expect(records.count == 1)
        #expect(records[0].value == 12.5)
        #expect(records[0].suite == "tp5")
        #expect(records[0].platform == "linux64-shippable")
        #expect(records[0].project == "mozilla-central")
        #expect(records[0].revision == "abc")
    }

    @Test("a mapped column missing from the header is an error naming it")
    func mappedColumnMissing() throws {
        let map = try ColumnMap.parse(yaml: "columns: {value: score}", file: "map.yaml")
        let text = "time,value,suite,platform\n2023-05-22,1,s,p\n"
        let error = #expect(throws: IngestError.self) {
            try DelimitedRecordParser(columnMap: map).parse(Data(text.utf8), file: "t.csv")
        }
        #expect(error?.field == "score")
        #expect(error?.line == 1)
    }

    @Test("TSV with a forced tab delimiter")
    func tabSeparated() throws {
        let text = "time\tvalue\tsuite\tplatform\n2023-05-22\t1.5\ta,b\tp\n"
        let records = try DelimitedRecordParser(delimiter: 0x09).parse(Data(text.utf8), file: "t.tsv")
        #expect(records[0].suite == "a,b")
    }
}
