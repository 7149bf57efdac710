import Foundation
import Store

/// Reads one input file of any SPEC §3 file source into records: the format
/// given or detected (``InputFormat/detect(file:)``), then the parser for it.
/// Any bad row throws an ``IngestError`` naming the file, line and field.
///
/// Delimited text and NDJSON are read as a stream (``stream(_:batchSize:_:)``):
/// memory is bounded by the chunk, one row and one batch of records, whatever
/// the file's size. A PERFHERDER_DATA file is one task's document and is read
/// whole.
public struct RecordReader: Sendable {
    /// Records handed on at once by ``stream(_:batchSize:_:)``: large enough that
    /// per-batch costs vanish, small enough (a few MB) to be irrelevant to memory.
    public static let defaultBatchSize = 10_000

    /// `nil` detects the format of each file.
    public var format: InputFormat?
    /// Column names for delimited files.
    public var columnMap: ColumnMap
    /// Run facts for PERFHERDER_DATA documents; a sidecar adds what is not set here.
    public var perfherderMetadata: PerfherderMetadata
    /// Bytes read from a file at once.
    public var chunkSize: Int

    public init(format: InputFormat? = nil, columnMap: ColumnMap = .treeherderExport,
                perfherderMetadata: PerfherderMetadata = PerfherderMetadata(),
                chunkSize: Int = InputFile.defaultChunkSize) {
        self.format = format
        self.columnMap = columnMap
        self.perfherderMetadata = perfherderMetadata
        self.chunkSize = chunkSize
    }

    /// The format of the file at `url`: the one given, else detected.
    public func format(of url: URL) throws(IngestError) -> InputFormat {
        if let format { return format }
        do { return try InputFormat.detect(file: InputFile(url: url, chunkSize: chunkSize)) } catch {
            throw Self.ingestError(error, file: url.relativePath)
        }
    }

    /// Reads the file at `url` completely; returns the format used and the records.
    public func read(url: URL) throws(IngestError) -> (format: InputFormat, records: [PerfRecord]) {
        var records: [PerfRecord] = []
        let format: InputFormat
        do { format = try stream(url) { records += $0 } } catch {
            throw Self.ingestError(error, file: url.relativePath)
        }
        return (format, records)
    }

    /// Reads the file at `url`, handing its records to `consume` in batches of
    /// at most `batchSize`, in file order; returns the format used. Throws the
    /// first ``IngestError`` of the file, or what `consume` throws; records of
    /// earlier batches have been handed on by then, so a caller that must not
    /// keep part of a bad file checks the file first or undoes its work.
    @discardableResult
    public func stream(_ url: URL, batchSize: Int = defaultBatchSize,
                       _ consume: ([PerfRecord]) throws -> Void) throws -> InputFormat {
        let file = InputFile(url: url, chunkSize: chunkSize)
        try file.checkRegularFile()
        let chosen = try format(of: url)
        var parser: any RecordStream
        switch chosen {
        case .csv: parser = DelimitedRecordParser.Stream(parser: DelimitedRecordParser(columnMap: columnMap), file: file.name)
        case .tsv:
            parser = DelimitedRecordParser.Stream(
                parser: DelimitedRecordParser(columnMap: columnMap, delimiter: DelimitedTextReader.tab), file: file.name)
        case .ndjson: parser = WarehouseRowParser.Stream(file: file.name)
        case .perfherder:
            let metadata = perfherderMetadata.overriding(try PerfherderMetadata.loadSidecar(for: url))
            let records = try PerfherderDataParser(metadata: metadata).parse(try file.readAll(), file: file.name)
            var start = 0
            while start < records.count {
                try consume(Array(records[start..<min(start + max(1, batchSize), records.count)]))
                start += max(1, batchSize)
            }
            return chosen
        }
        var batch: [PerfRecord] = []
        try file.forEachChunk { chunk in
            try parser.feed(chunk, into: &batch)
            if batch.count >= batchSize {
                try consume(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try parser.finish(into: &batch)
        if !batch.isEmpty { try consume(batch) }
        return chosen
    }

    /// Parses in-memory content; `file` names it in errors.
    public func parse(_ data: Data, file: String, format chosen: InputFormat,
                      metadata: PerfherderMetadata? = nil) throws(IngestError) -> [PerfRecord] {
        switch chosen {
        case .csv: return try DelimitedRecordParser(columnMap: columnMap).parse(data, file: file)
        case .tsv: return try DelimitedRecordParser(columnMap: columnMap, delimiter: DelimitedTextReader.tab).parse(data, file: file)
        case .ndjson: return try WarehouseRowParser().parse(data, file: file)
        case .perfherder: return try PerfherderDataParser(metadata: metadata ?? perfherderMetadata).parse(data, file: file)
        }
    }

    static func ingestError(_ error: any Error, file: String) -> IngestError {
        if let ingestError = error as? IngestError { return ingestError }
        return IngestError(file: file, line: 1, field: "(file)", problem: "cannot read the file: \(error)")
    }
}
