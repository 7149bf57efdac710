import Foundation

/// Reads one input file of any SPEC §3 file source into records: the format
/// given or detected (``InputFormat/detect(data:fileName:)``), then the parser
/// for it. The file is parsed completely; any bad row throws an ``IngestError``
/// naming the file, line and field, and nothing is returned.
public struct RecordReader: Sendable {
    /// `nil` detects the format of each file.
    public var format: InputFormat?
    /// Column names for delimited files.
    public var columnMap: ColumnMap
    /// Run facts for PERFHERDER_DATA documents; a sidecar adds what is not set here.
    public var perfherderMetadata: PerfherderMetadata

    public init(format: InputFormat? = nil, columnMap: ColumnMap = .treeherderExport,
                perfherderMetadata: PerfherderMetadata = PerfherderMetadata()) {
        self.format = format
        self.columnMap = columnMap
        self.perfherderMetadata = perfherderMetadata
    }

    /// Reads the file at `url`; returns the format used and the records.
    public func read(url: URL) throws(IngestError) -> (format: InputFormat, records: [PerfRecord]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IngestError(file: url.relativePath, line: 1, field: "(file)",
                              problem: "cannot read the file: \(error.localizedDescription)")
        }
        var metadata = perfherderMetadata
        let chosen = format ?? InputFormat.detect(data: data, fileName: url.lastPathComponent)
        if chosen == .perfherder { metadata = metadata.overriding(try PerfherderMetadata.loadSidecar(for: url)) }
        return (chosen, try parse(data, file: url.relativePath, format: chosen, metadata: metadata))
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
}
