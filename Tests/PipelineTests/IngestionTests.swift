import Foundation
import Store
import Ingest
import Testing

/// `slowreg ingest` at the library level: bad input is rejected with its file,
/// line and field and leaves the store unchanged; good input is stored once.
@Suite("Ingestion: files into the store")
struct IngestionTests {
    /// A store that already holds the real awsy series, so "unchanged" is tested
    /// against existing data, and the directory for input files.
    static func populatedStore(_ label: String = #function) throws -> (SQLiteStore, URL) {
        let (store, directory) = try TestSupport.newStore(label)
        _ = try Ingestion().ingest(files: [TestSupport.fixtureURL("mozilla-beta_3891031", "csv")], into: store)
        return (store, directory)
    }

    /// Ingests `content` as `name`; expects an `IngestError` at `line`/`field` and no change to the store.
    static func expectRejected(_ content: Data, name: String, line: Int, field: String, format: InputFormat? = nil,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (store, directory) = try populatedStore(name)
        let file = try TestSupport.write(content, to: name, in: directory)
        let before = try TestSupport.snapshot(store)
        let ingestion = Ingestion(reader: RecordReader(format: format))
        do {
            _ = try ingestion.ingest(files: [file], into: store)
            Issue.record("accepted \(name)", sourceLocation: sourceLocation)
        } catch let error as IngestError {
            #expect(error.file == file.path, sourceLocation: sourceLocation)
            #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("\(file.path): line \(line), field \"\(field)\": "), sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
        #expect(try TestSupport.snapshot(store) == before, sourceLocation: sourceLocation)
    }

    static func csv(_ text: String) -> Data { Data(text.utf8) }

    static let header = "push_timestamp,value,revision,machine_platform,test,suite,lower_is_better,measurement_unit\n"

    // MARK: - Rejected

    @Test("empty file")
    func emptyFile() throws {
        try Self.expectRejected(Data(), name: "empty.csv", line: 1, field: "(file)")
    }

    @Test("whitespace-only file")
    func blankFile() throws {
        try Self.expectRejected(Self.csv("\n \r\n"), name: "blank.csv", line: 1, field: "(file)")
    }

    @Test("header only")
    func headerOnly() throws {
        try Self.expectRejected(Self.csv(Self.header), name: "header.csv", line: 1, field: "(file)")
    }

    @Test("missing time column")
    func missingTimeColumn() throws {
        try Self.expectRejected(Self.csv("value,machine_platform,suite\n1,p,s\n"), name: "notime.csv", line: 1, field: "time")
    }

    @Test("missing value column")
    func missingValueColumn() throws {
        try Self.expectRejected(Self.csv("push_timestamp,machine_platform,suite\n2023-05-22,p,s\n"), name: "novalue.csv",
                                line: 1, field: "value")
    }

    @Test("non-numeric value")
    func nonNumericValue() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,1.5,r,p,,s,True,ms\n2023-05-22 11:00:00,fast,r,p,,s,True,ms\n"),
                                name: "text.csv", line: 3, field: "value")
    }

    @Test("empty value")
    func emptyValue() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,,r,p,,s,True,ms\n"), name: "nothing.csv",
                                line: 2, field: "value")
    }

    @Test("NaN and ±Inf values", arguments: ["NaN", "nan", "inf", "Infinity", "-inf", "-Infinity", "+Inf", "1e999", "0x1p3"])
    func nonFiniteValues(value: String) throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,\(value),r,p,,s,True,ms\n"),
                                name: "nonfinite.csv", line: 2, field: "value")
    }

    @Test("unparseable timestamp")
    func badTimestamp() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,1,r,p,,s,True,ms\n22/05/2023 10:00,1,r,p,,s,True,ms\n"),
                                name: "time.csv", line: 3, field: "push_timestamp")
    }

    @Test("impossible date")
    func impossibleDate() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-02-30 10:00:00,1,r,p,,s,True,ms\n"),
                                name: "feb30.csv", line: 2, field: "push_timestamp")
    }

    @Test("a row with too few fields names the first missing column")
    func tooFewFields() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,1,r,p,,s\n"),
                                name: "short.csv", line: 2, field: "lower_is_better")
    }

    @Test("a row with too many fields")
    func tooManyFields() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,1,r,p,,s,True,ms,extra\n"),
                                name: "long.csv", line: 2, field: "column 9")
    }

    @Test("empty suite")
    func emptySuite() throws {
        try Self.expectRejected(Self.csv(Self.header + "2023-05-22 10:00:00,1,r,p,,,True,ms\n"), name: "nosuite.csv",
                                line: 2, field: "suite")
    }

    @Test("invalid UTF-8 names the row and column")
    func invalidUTF8() throws {
        var data = Self.csv(Self.header + "2023-05-22 10:00:00,1,r,p,,s,True,ms\n2023-05-22 11:00:00,1,r,p,,")
        data.append(contentsOf: [0x73, 0xC3, 0x28, 0x2C])        // "s\u{C3}(" — a truncated sequence
        data.append(Data("True,ms\n".utf8))
        try Self.expectRejected(data, name: "latin.csv", line: 3, field: "suite")
    }

    @Test("a JSON row missing suites")
    func jsonMissingSuites() throws {
        let text = """
            {"time": 1588327200, "framework": "talos", "platform": "p", "suites": [{"name": "s", "value": 1}]}
            {"time": 1588327200, "framework": "talos", "platform": "p"}
            """
        try Self.expectRejected(Self.csv(text), name: "rows.ndjson", line: 2, field: "suites")
    }

    @Test("a JSON row whose suites is not a list")
    func jsonSuitesNotList() throws {
        let text = #"{"time": 1588327200, "framework": "talos", "platform": "p", "suites": {"name": "s", "value": 1}}"#
        try Self.expectRejected(Self.csv(text), name: "rows.ndjson", line: 1, field: "suites")
    }

    @Test("a bad second file keeps the first one out of the store too")
    func allFilesCheckedFirst() throws {
        let (store, directory) = try TestSupport.newStore()
        let good = try TestSupport.write(Self.header + "2023-05-22 10:00:00,1,r,p,,s,True,ms\n", to: "good.csv", in: directory)
        let bad = try TestSupport.write(Self.header + "2023-05-22 10:00:00,x,r,p,,s,True,ms\n", to: "bad.csv", in: directory)
        #expect(throws: IngestError.self) { try Ingestion().ingest(files: [good, bad], into: store) }
        #expect(try store.rowCounts()["measurements"] == 0)
    }

    // MARK: - Accepted

    @Test("the real Treeherder exports ingest as they are; a second time adds nothing")
    func realData() throws {
        let (store, _) = try TestSupport.newStore()
        let files = [TestSupport.fixtureURL("mozilla-beta_3891031", "csv"), TestSupport.fixtureURL("mozilla-beta_3534783", "csv")]
        let first = try Ingestion().ingest(files: files, into: store)
        #expect(first.map(\.rowsRead) == [730, 921])
        #expect(first.map(\.added) == [730, 921])
        #expect(first.map(\.newSeries) == [1, 1])
        let second = try Ingestion().ingest(files: files, into: store)
        #expect(second.map(\.added) == [0, 0])
        #expect(second.map(\.duplicates) == [730, 921])
        let series = try store.listSeries(.all)
        #expect(series.map(\.suite) == ["JS", "Strings"])
        #expect(series.map(\.os) == ["linux", "osx"])
        #expect(series.map(\.framework) == ["awsy", "platform_microbench"])
        let awsy = try store.measurements(seriesId: series[0].id, from: nil, through: nil)
        #expect(awsy.count == 730)
        #expect(StoreTime.dayText(awsy.first!.time) == "2023-05-22")
        #expect(StoreTime.dayText(awsy.last!.time) == "2024-05-06")
    }

    @Test("the bundled data are not release-criteria tests: selection drops them all")
    func realDataSelected() throws {
        let (store, _) = try TestSupport.newStore()
        let reports = try Ingestion(selection: .releaseCriteria)
            .ingest(files: [TestSupport.fixtureURL("mozilla-beta_3891031", "csv")], into: store)
        #expect(reports[0].filteredOut == 730)
        #expect(reports[0].added == 0)
    }

    @Test("duplicate rows are stored once")
    func duplicateRows() throws {
        let (store, directory) = try TestSupport.newStore()
        let row = "2023-05-22 10:00:00,1.5,r,p,,s,True,ms\n"
        let file = try TestSupport.write(Self.header + row + row + row, to: "dup.csv", in: directory)
        let report = try Ingestion().ingest(files: [file], into: store)[0]
        #expect(report.rowsRead == 3)
        #expect(report.added == 1)
        #expect(report.duplicates == 2)
    }

    @Test("unsorted rows are stored and read back in time order")
    func unsortedRows() throws {
        let (store, directory) = try TestSupport.newStore()
        let file = try TestSupport.write(Self.header + "2023-05-24 10:00:00,3,r,p,,s,True,ms\n2023-05-22 10:00:00,1,r,p,,s,True,ms\n"
                                         + "2023-05-23 10:00:00,2,r,p,,s,True,ms\n", to: "unsorted.csv", in: directory)
        _ = try Ingestion().ingest(files: [file], into: store)
        let id = try #require(try store.listSeries(.all).first).id
        #expect(try store.measurements(seriesId: id, from: nil, through: nil).map(\.value) == [1, 2, 3])
    }

    @Test("BOM, CRLF and zone-less timestamps (UTC)")
    func bomCRLFZoneless() throws {
        let (store, directory) = try TestSupport.newStore()
        let text = Self.header.replacingOccurrences(of: "\n", with: "\r\n") + "2023-05-22 23:30:00,1,r,p,,s,True,ms\r\n"
        let file = try TestSupport.write(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), to: "windows.csv", in: directory)
        let report = try Ingestion().ingest(files: [file], into: store)[0]
        #expect(report.added == 1)
        let series = try #require(try store.listSeries(.all).first)
        #expect(series.unit == "ms")                                  // the last column, before CRLF
        let stored = try store.measurements(seriesId: series.id, from: "2023-05-22", through: "2023-05-22")
        #expect(stored.map(\.time) == [TestSupport.date("2023-05-22T23:30:00Z")])
    }

    @Test("a suite name with quotes and SQL is stored verbatim; the store stays intact")
    func hostileSuite() throws {
        let (store, directory) = try Self.populatedStore()
        let name = "Robert'); DROP TABLE series;--"
        let file = try TestSupport.write(Self.header + "2023-05-22 10:00:00,1,r,p,,\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\",True,ms\n",
                                         to: "sql.csv", in: directory)
        _ = try Ingestion().ingest(files: [file], into: store)
        #expect(try store.listSeries(SeriesFilter(suite: name)).count == 1)
        #expect(try store.rowCounts()["measurements"] == 731)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("NDJSON and PERFHERDER_DATA files ingest by detection")
    func otherFormats() throws {
        let (store, _) = try TestSupport.newStore()
        let reports = try Ingestion().ingest(files: [TestSupport.fixtureURL("warehouse", "ndjson"),
                                                     TestSupport.fixtureURL("perfherder-task", "json")], into: store)
        #expect(reports.map(\.format) == [.ndjson, .perfherder])
        #expect(reports.map(\.added) == [5, 3])
        #expect(try store.listSeries(SeriesFilter(sname: "speedometer")).count == 1)
    }
}
