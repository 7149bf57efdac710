import Foundation
import Store
import Ingest
import Testing

@Suite("WarehouseRowParser: NDJSON rows with nested suites and subtests")
struct WarehouseRowParserTests {
    let parser = WarehouseRowParser()

    func parse(_ text: String) throws -> [PerfRecord] {
        try parser.parse(Data(text.utf8), file: "rows.ndjson")
    }

    @Test("one record per subtest, or per suite without subtests")
    func expansion() throws {
        let records = try parser.parse(try TestSupport.fixtureData("warehouse", "ndjson"), file: "warehouse.ndjson")
        #expect(records.count == 5)
        #expect(records.map(\.suite) == ["tabswitch", "tabswitch", "raptor-speedometer-firefox", "startup_about_home_paint",
                                         "Explicit Memory"])
        #expect(records.map(\.test) == ["amazon.com", "bing.com", "", "", "Fresh start"])
        #expect(records.map(\.value) == [10.25, 14.75, 85.5, 410.0, 401_234_567.0])
    }

    @Test("row fields and per-suite fields reach every record")
    func fields() throws {
        let records = try parser.parse(try TestSupport.fixtureData("warehouse", "ndjson"), file: "warehouse.ndjson")
        let first = records[0]
        #expect(first.time == TestSupport.date("2020-05-01T10:00:00Z"))
        #expect(first.framework == "talos")
        #expect(first.platform == "windows10-64-shippable")
        #expect(first.project == "mozilla-beta")
        #expect(first.revision == "a1b2c3d4e5f6")
        #expect(first.taskId == "TaskA")
        #expect(first.label == "test-windows10-64-shippable/opt-talos-tabswitch")
        #expect(first.extraOptions == "e10s stylo")
        #expect(first.lowerIsBetter == true)
        #expect(first.unit == "ms")
        #expect(records[2].time == Date(timeIntervalSince1970: 1_588_341_600))
        #expect(records[2].lowerIsBetter == false)
        #expect(records[3].lowerIsBetter == nil)
        #expect(records[4].framework == "awsy")                          // {"name": "awsy"}
        #expect(records[4].time == TestSupport.date("2020-05-02T09:30:00Z"))  // zone-less = UTC
    }

    @Test("a row missing suites is rejected with the line and field")
    func missingSuites() {
        #expect(throws: IngestError(file: "rows.ndjson", line: 2, field: "suites", problem: "missing; a list is required")) {
            try parse("""
                {"time": 1588327200, "platform": "p", "suites": []}
                {"time": 1588327200, "platform": "p"}
                """)
        }
    }

    @Test("suites that is not a list is rejected")
    func suitesNotAList() {
        #expect(throws: IngestError(file: "rows.ndjson", line: 1, field: "suites", problem: "expected a list, found a string")) {
            try parse(#"{"time": 1588327200, "platform": "p", "suites": "tabswitch"}"#)
        }
    }

    @Test("bad nested values name their path", arguments: [
        (#"{"time": 1588327200, "platform": "p", "suites": [{"name": "s", "value": "fast"}]}"#, "suites[0].value"),
        (#"{"time": 1588327200, "platform": "p", "suites": [{"name": "s", "value": true}]}"#, "suites[0].value"),
        (#"{"time": 1588327200, "platform": "p", "suites": [{"name": "s", "subtests": [{"name": "t"}]}]}"#, "suites[0].subtests[0].value"),
        (#"{"time": 1588327200, "platform": "p", "suites": [{"name": "s", "subtests": [{"name": "t", "value": "NaN"}]}]}"#, "suites[0].subtests[0].value"),
        (#"{"time": 1588327200, "platform": "p", "suites": [{"value": 1}]}"#, "suites[0].name"),
        (#"{"time": "soon", "platform": "p", "suites": []}"#, "time"),
        (#"{"platform": "p", "suites": []}"#, "time"),
        (#"{"time": 1588327200, "suites": []}"#, "platform"),
        (#"[1, 2]"#, "(row)"),
        (#"{"time": 1588327200, "platform": "p", "suites": [}"#, "(row)"),
    ])
    func badValues(line: String, field: String) {
        let error = #expect(throws: IngestError.self) { try parse(line) }
        #expect(error?.field == field)
        #expect(error?.line == 1)
    }

    @Test("an empty file is rejected")
    func emptyFile() {
        #expect(throws: IngestError.self) { try parse("\n\n") }
    }

    @Test("invalid UTF-8 names its line")
    func invalidUTF8() {
        var data = Data((#"{"time": 1588327200, "platform": "p", "suites": []}"# + "\n").utf8)
        data.append(contentsOf: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A])
        let error = #expect(throws: IngestError.self) { try parser.parse(data, file: "rows.ndjson") }
        #expect(error?.line == 2)
    }
}
