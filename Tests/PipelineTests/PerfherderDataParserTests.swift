import Foundation
import Ingest
import Testing

@Suite("PerfherderDataParser: PERFHERDER_DATA documents with run metadata")
struct PerfherderDataParserTests {
    let metadata = PerfherderMetadata(time: TestSupport.date("2020-05-03T12:00:00Z"), platform: "linux64-shippable",
                                      project: "mozilla-beta", taskId: "T1")

    @Test("a document expands into suite and subtest records with the metadata")
    func document() throws {
        let records = try PerfherderDataParser(metadata: metadata)
            .parse(try TestSupport.fixtureData("perfherder-task", "json"), file: "task.json")
        #expect(records.count == 3)
        #expect(records.map(\.suite) == ["sessionrestore", "tabpaint", "tabpaint"])
        #expect(records.map(\.test) == ["", "tabpaint-from-parent", "tabpaint-from-content"])
        #expect(records.map(\.value) == [321.0, 55.5, 60.25])
        #expect(records.allSatisfy { $0.framework == "talos" && $0.platform == "linux64-shippable" && $0.taskId == "T1" })
        #expect(records[0].extraOptions == "e10s")
        #expect(records[1].unit == "ms")                      // inherited from the suite
        #expect(records[2].unit == "score")                   // the subtest's own
        #expect(records[2].lowerIsBetter == false)
        #expect(records[0].version == "77.0b3")               // application.version
    }

    @Test("every PERFHERDER_DATA line of a task log is a document")
    func taskLog() throws {
        let records = try PerfherderDataParser(metadata: metadata)
            .parse(try TestSupport.fixtureData("perfherder-log", "txt"), file: "log.txt")
        #expect(records.map(\.suite) == ["tabswitch", "sessionrestore"])
        #expect(records.map(\.value) == [9.5, 300.5])
    }

    @Test("the Treeherder artifact wrapper is accepted")
    func wrapped() throws {
        let text = #"{"performance_data": {"framework": {"name": "awsy"}, "suites": [{"name": "Heap", "value": 7}]}}"#
        let records = try PerfherderDataParser(metadata: metadata).parse(Data(text.utf8), file: "a.json")
        #expect(records.count == 1 && records[0].framework == "awsy")
    }

    @Test("without a time the document is rejected, naming the field")
    func missingTime() {
        let text = #"{"framework": {"name": "talos"}, "suites": [{"name": "s", "value": 1}]}"#
        let error = #expect(throws: IngestError.self) {
            try PerfherderDataParser(metadata: PerfherderMetadata(platform: "p")).parse(Data(text.utf8), file: "a.json")
        }
        #expect(error?.field == "time")
    }

    @Test("without a platform the document is rejected, naming the field")
    func missingPlatform() {
        let text = #"{"framework": {"name": "talos"}, "suites": [{"name": "s", "value": 1}]}"#
        let error = #expect(throws: IngestError.self) {
            try PerfherderDataParser(metadata: PerfherderMetadata(time: Date())).parse(Data(text.utf8), file: "a.json")
        }
        #expect(error?.field == "platform")
    }

    @Test("a document without suites is rejected")
    func missingSuites() {
        let error = #expect(throws: IngestError.self) {
            try PerfherderDataParser(metadata: metadata).parse(Data(#"{"framework": {"name": "talos"}}"#.utf8), file: "a.json")
        }
        #expect(error?.field == "suites")
    }

    @Test("the sidecar next to a document supplies the metadata; explicit values win")
    func sidecar() throws {
        let url = TestSupport.fixtureURL("perfherder-task", "json")
        #expect(PerfherderMetadata.sidecarURL(for: url).lastPathComponent == "perfherder-task.meta.json")
        let sidecar = try PerfherderMetadata.loadSidecar(for: url)
        #expect(sidecar.platform == "linux64-shippable")
        #expect(sidecar.time == TestSupport.date("2020-05-03T12:00:00Z"))
        #expect(sidecar.revision == "abcdef123456")

        let (format, records) = try RecordReader(perfherderMetadata: PerfherderMetadata(project: "fenix")).read(url: url)
        #expect(format == .perfherder)
        #expect(records.allSatisfy { $0.project == "fenix" && $0.taskId == "TaskP" && $0.platform == "linux64-shippable" })
    }

    @Test("a sidecar with an unknown key is rejected naming it")
    func badSidecar() throws {
        let directory = try TestSupport.temporaryDirectory()
        let document = try TestSupport.write(#"{"framework": {"name": "t"}, "suites": []}"#, to: "doc.json", in: directory)
        try TestSupport.write(#"{"time": 1, "platfrom": "p"}"#, to: "doc.meta.json", in: directory)
        let error = #expect(throws: IngestError.self) { try RecordReader().read(url: document) }
        #expect(error?.field == "platfrom")
    }
}
