import Foundation
import Ingest
import Testing

@Suite("InputFormat: detection from content and extension")
struct InputFormatTests {
    @Test("fixtures are recognised", arguments: [
        ("mozilla-beta_3891031", "csv", InputFormat.csv), ("warehouse", "ndjson", .ndjson),
        ("perfherder-task", "json", .perfherder), ("perfherder-log", "txt", .perfherder),
    ])
    func fixtures(name: String, ext: String, expected: InputFormat) throws {
        let data = try TestSupport.fixtureData(name, ext)
        #expect(InputFormat.detect(data: data, fileName: "\(name).\(ext)") == expected)
    }

    @Test("content decides over a misleading extension")
    func contentFirst() {
        let warehouseRow = Data(#"{"time": 1, "platform": "p", "suites": []}"#.utf8)
        #expect(InputFormat.detect(data: warehouseRow, fileName: "rows.json") == .ndjson)
        #expect(InputFormat.detect(data: warehouseRow, fileName: "rows.txt") == .ndjson)
        let document = Data(#"{"framework": {"name": "talos"}, "suites": []}"#.utf8)
        #expect(InputFormat.detect(data: document, fileName: "x.ndjson") == .ndjson)   // explicit NDJSON extension
        #expect(InputFormat.detect(data: document, fileName: "x.dat") == .perfherder)
    }

    @Test("tabs make TSV, commas CSV")
    func delimited() {
        #expect(InputFormat.detect(data: Data("time\tvalue\tsuite\n".utf8), fileName: "x.txt") == .tsv)
        #expect(InputFormat.detect(data: Data("time,value,suite\n".utf8), fileName: "x.txt") == .csv)
        #expect(InputFormat.detect(data: Data("time,value,suite\n".utf8), fileName: "x.tsv") == .tsv)
    }
}
