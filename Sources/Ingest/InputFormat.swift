import Foundation

/// The input sources of SPEC §3, as named by `slowreg ingest --format`.
public enum InputFormat: String, CaseIterable, Sendable {
    /// Delimited text with a header, delimiter detected (comma, tab, semicolon).
    case csv
    /// Tab-separated text with a header.
    case tsv
    /// Newline-delimited JSON rows of the perfherder warehouse table.
    case ndjson
    /// PERFHERDER_DATA documents (a JSON file or a task log).
    case perfherder

    /// The format of a file, from its content first and its extension second:
    /// - a line containing `PERFHERDER_DATA:` → ``perfherder``;
    /// - text starting with `{`: a first line that is a whole JSON object with a
    ///   `time` key → ``ndjson``, otherwise ``perfherder``;
    /// - anything else is delimited text: ``tsv`` for `.tsv`/`.tab` files or when
    ///   the header has more tabs than commas, else ``csv``.
    /// `.ndjson`/`.jsonl` files are ``ndjson`` whatever their first line.
    public static func detect(data: Data, fileName: String) -> InputFormat {
        let ext = (fileName as NSString).pathExtension.lowercased()
        if ext == "ndjson" || ext == "jsonl" { return .ndjson }
        let bytes = InputText.bytesWithoutBOM(data)
        let marker = Array(PerfherderDataParser.logMarker.utf8)
        if bytes.count >= marker.count,
           (0...(bytes.count - marker.count)).contains(where: { bytes[$0] == marker[0] && bytes[$0..<($0 + marker.count)].elementsEqual(marker) }) {
            return .perfherder
        }
        let firstContent = bytes.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        if firstContent == UInt8(ascii: "{") {
            let firstLine = InputText.lines(bytes).first { !InputText.isBlank($0.bytes) }?.bytes ?? []
            if let object = try? JSONValue.parse(Data(firstLine)), object["time"] != nil { return .ndjson }
            return .perfherder
        }
        if ext == "tsv" || ext == "tab" { return .tsv }
        return DelimitedTextReader.detectDelimiter(bytes) == DelimitedTextReader.tab ? .tsv : .csv
    }

    /// ``detect(data:fileName:)`` for a file read in chunks: the whole file is
    /// searched for the `PERFHERDER_DATA:` marker and the first line read, never
    /// more than a chunk and that line held at once.
    public static func detect(file: InputFile) throws -> InputFormat {
        let ext = (file.url.lastPathComponent as NSString).pathExtension.lowercased()
        if ext == "ndjson" || ext == "jsonl" { return .ndjson }
        let marker = Array(PerfherderDataParser.logMarker.utf8)
        var tail: [UInt8] = []              // the end of the previous chunk, for a marker cut in two
        var start: [UInt8] = []             // the text up to the first non-blank line's end
        var byteOrderMark = ByteOrderMarkFilter()
        var foundMarker = false
        var startComplete = false
        try file.forEachChunk { chunk in
            guard !foundMarker else { return }
            let window = tail + chunk
            if contains(marker, in: window) { foundMarker = true }
            tail = Array(window.suffix(marker.count - 1))
            if !startComplete {
                start += byteOrderMark.pass(chunk)
                startComplete = firstNonBlankLineEnds(in: start)
            }
        }
        if foundMarker { return .perfherder }
        if !startComplete { start += byteOrderMark.finish() }
        return detect(data: Data(start), fileName: file.url.lastPathComponent)
    }

    private static func contains(_ marker: [UInt8], in bytes: [UInt8]) -> Bool {
        guard let first = marker.first, bytes.count >= marker.count else { return false }
        var i = 0
        let last = bytes.count - marker.count
        while i <= last {
            if bytes[i] == first && bytes[i..<(i + marker.count)].elementsEqual(marker) { return true }
            i += 1
        }
        return false
    }

    /// Whether `bytes` holds a whole line that is not blank (its line end seen).
    private static func firstNonBlankLineEnds(in bytes: [UInt8]) -> Bool {
        var blank = true
        for byte in bytes {
            if byte == 0x0A {
                if !blank { return true }
            } else if !(byte == 0x20 || byte == 0x09 || byte == 0x0D) {
                blank = false
            }
        }
        return false
    }
}
