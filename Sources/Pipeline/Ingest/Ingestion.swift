import Foundation

/// `slowreg ingest` as a library call: read files, select rows, store them.
///
/// Every file is parsed completely before anything is written, so one bad row
/// in any file leaves the store unchanged; then each file is written in one
/// transaction (``PerfStore/ingest(_:)``).
public struct Ingestion: Sendable {
    public var reader: RecordReader
    public var selection: Selection

    public init(reader: RecordReader = RecordReader(), selection: Selection = .keepAll) {
        self.reader = reader
        self.selection = selection
    }

    /// One parsed and selected file, ready to store.
    public struct PreparedFile: Sendable {
        public var file: String
        public var format: InputFormat
        public var rowsRead: Int
        public var selection: Selection.Outcome
    }

    /// What ingesting one file did.
    public struct FileReport: Sendable, Equatable {
        public var file: String
        public var format: InputFormat
        /// Rows (records) read from the file.
        public var rowsRead: Int
        /// Rows the selection filter dropped.
        public var filteredOut: Int
        /// Rows the selection's de-duplication dropped.
        public var deduplicated: Int
        /// Rows stored.
        public var added: Int
        /// Rows already stored (or repeated in the file), skipped.
        public var duplicates: Int
        public var newSeries: Int
    }

    public func prepare(_ url: URL) throws(IngestError) -> PreparedFile {
        let (format, records) = try reader.read(url: url)
        return PreparedFile(file: url.relativePath, format: format, rowsRead: records.count, selection: selection.apply(records))
    }

    /// Reads and checks every file; throws the first ``IngestError``.
    public func prepare(files: [URL]) throws(IngestError) -> [PreparedFile] {
        var prepared: [PreparedFile] = []
        for url in files { prepared.append(try prepare(url)) }
        return prepared
    }

    /// Stores prepared files, each in its own transaction.
    public func store(_ prepared: [PreparedFile], into store: any PerfStore) throws(StoreError) -> [FileReport] {
        var reports: [FileReport] = []
        for file in prepared {
            let counts = try store.ingest(file.selection.kept)
            reports.append(FileReport(file: file.file, format: file.format, rowsRead: file.rowsRead,
                                      filteredOut: file.selection.filteredOut, deduplicated: file.selection.deduplicated,
                                      added: counts.added, duplicates: counts.duplicates, newSeries: counts.newSeries))
        }
        return reports
    }

    /// Reads and checks every file, then stores each in its own transaction.
    /// Throws ``IngestError`` before any write, or ``StoreError`` from the store.
    public func ingest(files: [URL], into store: any PerfStore) throws -> [FileReport] {
        try self.store(try prepare(files: files), into: store)
    }
}
