import Foundation
import Store
import Ingest
import Jobs
import Testing

/// Ingest of hostile or mistaken input (issue 12): bounded memory on big files,
/// names with control characters, timestamps in the wrong unit or out of range,
/// huge cells in error lines, and inputs that are not regular files.
@Suite("Ingestion: streaming and hostile input")
struct IngestionSafetyTests {
    static let header = "push_timestamp,value,revision,machine_platform,test,suite,lower_is_better,measurement_unit\n"

    // MARK: - Streaming

    /// Text whose rows cross chunk boundaries in every possible way when read one,
    /// two, three … bytes at a time: a BOM, CRLF, quotes, doubled quotes, a
    /// delimiter inside quotes, blank lines.
    static let awkwardCSV = "\u{FEFF}" + header
        + "2023-05-22 10:00:00,1.5,r1,p,\"a,b\",s,True,ms\r\n"
        + "\r\n"
        + "2023-05-22 11:00:00,2.5,\"r\"\"2\",p,,\"s\",False,ms\r\n"
        + "\"2023-05-22 12:00:00\",3.5,r3,p,t,s,,ms"

    @Test("records are the same whatever the chunk size, rows spanning chunk boundaries included")
    func chunkBoundaries() throws {
        let directory = try TestSupport.temporaryDirectory()
        let file = try TestSupport.write(Self.awkwardCSV, to: "awkward.csv", in: directory)
        let whole = try DelimitedRecordParser().parse(Data(Self.awkwardCSV.utf8), file: file.relativePath)
        #expect(whole.map(\.value) == [1.5, 2.5, 3.5])
        #expect(whole.map(\.test) == ["a,b", "", "t"])
        #expect(whole[1].revision == "r\"2")
        for chunkSize in [1, 2, 3, 5, 7, 64] {
            let (format, records) = try RecordReader(chunkSize: chunkSize).read(url: file)
            #expect(format == .csv)
            #expect(records == whole, "chunk size \(chunkSize)")
        }
        let rows = #"{"time": 1588327200, "platform": "p", "suites": [{"name": "s", "value": 1}]}"# + "\r\n\n"
            + #"{"time": 1588327260, "platform": "p", "suites": [{"name": "s", "value": 2}]}"#
        let ndjson = try TestSupport.write("\u{FEFF}" + rows, to: "rows.ndjson", in: directory)
        for chunkSize in [1, 4, 1 << 20] {
            #expect(try RecordReader(chunkSize: chunkSize).read(url: ndjson).records.map(\.value) == [1, 2])
        }
    }

    @Test("a file is handed on in batches while it is read, not collected whole")
    func batches() throws {
        let directory = try TestSupport.temporaryDirectory()
        var text = Self.header
        for i in 0..<2_500 { text += "2023-05-22 10:00:\(String(format: "%02d", i % 60)),\(i),r,p,t\(i % 7),s,True,ms\n" }
        let file = try TestSupport.write(text, to: "many.csv", in: directory)
        var sizes: [Int] = []
        try RecordReader(chunkSize: 4096).stream(file, batchSize: 1000) { sizes.append($0.count) }
        #expect(sizes.reduce(0, +) == 2_500)
        #expect(sizes.count >= 3 && sizes.allSatisfy { $0 <= 1000 + 4096 / 30 }, "\(sizes)")
    }

    @Test("a store fed in batches rolls everything back when the producer fails")
    func batchedTransactionRollsBack() throws {
        let (store, _) = try TestSupport.newStore()
        let before = try TestSupport.snapshot(store)
        struct Late: Error {}
        let row = IngestRecord(record: TestSupport.record("2023-05-22T10:00:00Z", value: 1), sname: "tabpaint", os: "linux")
        #expect(throws: Late.self) {
            _ = try store.ingest(batches: { write in
                _ = try write([row])
                throw Late()
            })
        }
        #expect(try TestSupport.snapshot(store) == before)
        let counts = try store.ingest(batches: { write in
            _ = try write([row])
            _ = try write([row])
        })
        #expect(counts.added == 1 && counts.duplicates == 1 && counts.newSeries == 1)
    }

    @Test("a bad row after many good ones leaves the store unchanged")
    func lateBadRow() throws {
        var text = Self.header
        for i in 0..<3_000 { text += "2023-05-22 10:00:00,\(i),r,p,,s,True,ms\n" }
        text += "2023-05-22 10:00:00,oops,r,p,,s,True,ms\n"
        try IngestionTests.expectRejected(Data(text.utf8), name: "late.csv", line: 3_002, field: "value")
    }

    @Test("de-duplication with --select still keeps the earliest row of each key")
    func selectionStreams() throws {
        let (store, directory) = try TestSupport.newStore()
        let text = "time,value,project,framework,platform,suite,task_id\n"
            + "2023-05-22 12:00:00,3,mozilla-beta,talos,linux64-shippable,tabswitch,T1\n"
            + "2023-05-22 10:00:00,1,mozilla-beta,talos,linux64-shippable,tabswitch,T1\n"
            + "2023-05-22 11:00:00,2,mozilla-beta,talos,linux64-shippable,tabpaint,T1\n"
            + "2023-05-22 11:00:00,9,mozilla-beta,talos,somewhere,tabpaint,T1\n"
        let file = try TestSupport.write(text, to: "dedup.csv", in: directory)
        let reports = try Ingestion(selection: .releaseCriteria).ingest(files: [file], into: store)
        #expect(reports.first?.rowsRead == 4)
        #expect(reports.first?.filteredOut == 1)
        #expect(reports.first?.deduplicated == 1)
        #expect(reports.first?.added == 2)
        let tabswitch = try #require(try store.listSeries(.all).first { $0.suite == "tabswitch" })
        #expect(try store.measurements(seriesId: tabswitch.id, from: nil, through: nil).map(\.value) == [1])
    }

    // MARK: - Names

    @Test("a NUL byte or another control character in a name is refused, naming row and column",
          arguments: ["\u{0}", "\u{1B}[31m", "\u{7F}", "\u{85}"])
    func controlCharacters(inserted: String) throws {
        let text = Self.header + "2023-05-22 10:00:00,1,r,p,,s,True,ms\n2023-05-22 11:00:00,1,r,p,,tab\(inserted)paint,True,ms\n"
        try IngestionTests.expectRejected(Data(text.utf8), name: "nul.csv", line: 3, field: "suite")
        let error = try #require(Self.error(text))
        #expect(error.problem.contains("control character") || error.problem.contains("NUL byte"), "\(error)")
        #expect(!error.description.contains(inserted), "the control character is not echoed raw: \(error)")
    }

    @Test("a line break inside a quoted name is refused too")
    func lineBreakInName() throws {
        let text = Self.header + "2023-05-22 10:00:00,1,r,p,\"two\nlines\",s,True,ms\n"
        try IngestionTests.expectRejected(Data(text.utf8), name: "break.csv", line: 2, field: "test")
    }

    @Test("control characters in JSON names are refused")
    func controlCharactersInJSON() throws {
        let text = #"{"time": 1588327200, "platform": "linux\u0000", "suites": [{"name": "s", "value": 1}]}"#
        try IngestionTests.expectRejected(Data(text.utf8), name: "nul.ndjson", line: 1, field: "platform")
    }

    // MARK: - Timestamps

    @Test("epoch milliseconds are told from seconds by magnitude")
    func epochMilliseconds() throws {
        #expect(TimestampParser.parse("1684750825000") == Date(timeIntervalSince1970: 1_684_750_825))
        #expect(TimestampParser.parse("1684750825250") == Date(timeIntervalSince1970: 1_684_750_825.25))
        #expect(TimestampParser.parse("1684750825") == Date(timeIntervalSince1970: 1_684_750_825))
        let text = Self.header + "1684750825000,1,r,p,,s,True,ms\n"
        let records = try DelimitedRecordParser().parse(Data(text.utf8), file: "ms.csv")
        #expect(records.first.map { StoreTime.instantText($0.time) } == "2023-05-22T10:20:25.000Z")
        let json = #"{"time": 1684750825000, "platform": "p", "suites": [{"name": "s", "value": 1}]}"#
        #expect(try WarehouseRowParser().parse(Data(json.utf8), file: "ms.ndjson").first?.time
                == Date(timeIntervalSince1970: 1_684_750_825))
    }

    @Test("times before 2000 or more than a day ahead are refused",
          arguments: ["0", "0000-01-01", "1999-12-31 23:59:59", "2999-01-01", "1684750825000000",
                      String(repeating: "9", count: 300)])
    func implausibleTimes(time: String) throws {
        let text = Self.header + "2023-05-22 10:00:00,1,r,p,,s,True,ms\n\(time),1,r,p,,s,True,ms\n"
        try IngestionTests.expectRejected(Data(text.utf8), name: "time.csv", line: 3, field: "push_timestamp")
        let error = try #require(Self.error(text))
        #expect(error.problem.contains("outside the accepted range"), "\(error)")
        let json = #"{"time": \#(time), "platform": "p", "suites": [{"name": "s", "value": 1}]}"#
        if Double(time) != nil {
            try IngestionTests.expectRejected(Data(json.utf8), name: "time.ndjson", line: 1, field: "time")
        }
    }

    @Test("slowreg fit's series file refuses the same times")
    func seriesFileTimes() throws {
        let directory = try TestSupport.temporaryDirectory()
        for time in ["0", "0000-01-01"] {
            let file = try TestSupport.write("time,y\n2023-05-22,1\n\(time),2\n", to: "series.csv", in: directory)
            #expect {
                _ = try SeriesFile.read(path: file.path)
            } throws: { error in
                guard let error = error as? IngestError else { return false }
                return error.line == 3 && error.field == "time" && error.problem.contains("outside the accepted range")
            }
        }
    }

    // MARK: - Error lines

    @Test("a huge bad value is quoted in at most 80 characters")
    func boundedErrorLine() throws {
        let huge = String(repeating: "1x", count: 500_000)
        let text = Self.header + "2023-05-22 10:00:00,\(huge),r,p,,s,True,ms\n"
        let error = try #require(Self.error(text))
        #expect(error.field == "value")
        #expect(error.description.count < 400, "\(error.description.prefix(500))")
        #expect(error.description.contains("…\" (1000000 characters)"), "\(error)")
        let hugeHeader = String(repeating: "h", count: 100_000)
        let headerError = try #require(Self.error("push_timestamp,value,machine_platform,suite,\(hugeHeader)\n2023-05-22,1,p,s\n"))
        #expect(headerError.description.count < 400)
        let quote = InputQuote.quoted(String(repeating: "é", count: 81))
        #expect(quote == "\"" + String(repeating: "é", count: 80) + "…\" (81 characters)")
        #expect(InputQuote.quoted("a\u{1B}b\n") == #""a\u{1B}b\n""#)
    }

    // MARK: - Files that are not regular files

    @Test("a directory, /dev/null, a FIFO and an empty file are named for what they are")
    func notRegularFiles() throws {
        let directory = try TestSupport.temporaryDirectory()
        func problem(_ url: URL) -> String {
            do {
                _ = try Ingestion().prepare(files: [url])
                return "accepted"
            } catch {
                return error.field == "(file)" ? error.problem : "\(error)"
            }
        }
        #expect(problem(directory).contains("is a directory"))
        #expect(problem(URL(fileURLWithPath: "/dev/null")).contains("not a regular file (character device)"))
        let fifo = directory.appendingPathComponent("pipe.csv")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(problem(fifo).contains("not a regular file (FIFO)"), "refused before anything opens it, so no hang")
        let empty = try TestSupport.write(Data(), to: "empty.csv", in: directory)
        #expect(problem(empty).contains("the file is empty"))
        #expect(problem(directory.appendingPathComponent("absent.csv")).contains("no such file"))
        #expect(throws: IngestError.self) { try SeriesFile.read(path: "/dev/null") }
    }

    /// The error ingesting `text` as a CSV gives.
    static func error(_ text: String) -> IngestError? {
        do {
            _ = try DelimitedRecordParser().parse(Data(text.utf8), file: "t.csv")
            return nil
        } catch {
            return error
        }
    }
}
