import Foundation
import Store
import Ingest
import Testing

/// RFC 4180 splitting, observed through ``DelimitedRecordParser`` (the reader
/// itself is internal).
@Suite("DelimitedTextReader: RFC 4180 quoting, line ends, delimiters")
struct DelimitedTextReaderTests {
    let parser = DelimitedRecordParser()

    func parse(_ text: String) throws -> [PerfRecord] {
        try parser.parse(Data(text.utf8), file: "t.csv")
    }

    @Test("quoted fields keep delimiters and doubled quotes; a quoted line break is data, refused in a name")
    func quoting() throws {
        let records = try parse("time,value,suite,platform,test\n"
                                + "2023-05-22,1,\"a,b\",p,\"say \"\"hi\"\"\"\n")
        #expect(records.map(\.suite) == ["a,b"])
        #expect(records[0].test == "say \"hi\"")
        #expect {
            try parse("time,value,suite,platform,test\n2023-05-22,1,s,p,x\n2023-05-23,2,\"two\nlines\",p,x\n")
        } throws: { error in
            guard let error = error as? IngestError else { return false }
            return error.line == 3 && error.field == "suite" && error.problem.contains("U+000A")
        }
    }

    @Test("CRLF, LF and a missing final line end read the same")
    func lineEnds() throws {
        let lf = try parse("time,value,suite,platform\n2023-05-22,1,s,p\n2023-05-23,2,s,p\n")
        let crlf = try parse("time,value,suite,platform\r\n2023-05-22,1,s,p\r\n2023-05-23,2,s,p\r\n")
        let noFinal = try parse("time,value,suite,platform\n2023-05-22,1,s,p\n2023-05-23,2,s,p")
        #expect(lf == crlf)
        #expect(lf == noFinal)
        #expect(lf.count == 2)
    }

    @Test("blank lines are skipped but still counted for line numbers")
    func blankLines() throws {
        #expect(try parse("time,value,suite,platform\n\n2023-05-22,1,s,p\n\n").count == 1)
        #expect(throws: IngestError(file: "t.csv", line: 4, field: "value", problem: "\"x\" is not a finite number")) {
            try parse("time,value,suite,platform\n\n2023-05-22,1,s,p\n2023-05-22,x,s,p\n")
        }
    }

    @Test("a row after a multi-line quoted field is reported at its own line")
    func lineNumbersAfterMultilineField() throws {
        let error = #expect(throws: IngestError.self) {
            // (The line break is in a column no field reads: a name may not hold one.)
            try parse("time,value,suite,platform,note\n2023-05-22,1,s,p,\"a\nb\"\n2023-05-22,bad,s,p,x\n")
        }
        #expect(error?.line == 4)
    }

    @Test("the delimiter is detected from the header", arguments: [",", "\t", ";"])
    func delimiterDetection(delimiter: String) throws {
        let text = ["time", "value", "suite", "platform"].joined(separator: delimiter) + "\n"
            + ["2023-05-22", "1.5", "s", "p"].joined(separator: delimiter) + "\n"
        let records = try parse(text)
        #expect(records.count == 1)
        #expect(records.first?.value == 1.5)
    }

    @Test("an unterminated quote names the line and column")
    func unterminatedQuote() {
        #expect(throws: IngestError(file: "t.csv", line: 2, field: "suite", problem: "a quoted field is never closed (missing \")")) {
            try parse("time,value,suite,platform\n2023-05-22,1,\"open,p\n")
        }
    }

    @Test("text after a closing quote is rejected")
    func textAfterQuote() {
        let error = #expect(throws: IngestError.self) { try parse("time,value,suite,platform\n2023-05-22,1,\"s\"x,p\n") }
        #expect(error?.field == "suite")
        #expect(error?.line == 2)
    }
}
