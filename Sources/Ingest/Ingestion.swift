import Foundation
import Store

/// `slowreg ingest` as a library call: read files, select rows, store them.
///
/// Files are read as streams (``RecordReader/stream(_:batchSize:_:)``), so
/// memory does not grow with their size, in two passes: every file is first
/// read through and checked (``prepare(files:)``), before anything is written,
/// so one bad row in any file leaves the store unchanged; then each file is
/// read again and stored in batches within one transaction per file
/// (``store(_:into:)``, ``PerfStore/ingest(batches:)``). Should a file change
/// between the passes and turn bad, its transaction is rolled back.
public struct Ingestion: Sendable {
    public var reader: RecordReader
    public var selection: Selection

    public init(reader: RecordReader = RecordReader(), selection: Selection = .keepAll) {
        self.reader = reader
        self.selection = selection
    }

    /// One file that was read through and found good, ready to store.
    public struct PreparedFile: Sendable {
        public var url: URL
        public var file: String
        public var format: InputFormat
        public var rowsRead: Int
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

    /// Reads one file through, checking every record; keeps none of them.
    public func prepare(_ url: URL) throws(IngestError) -> PreparedFile {
        var rowsRead = 0
        let format: InputFormat
        do { format = try reader.stream(url) { rowsRead += $0.count } } catch {
            throw RecordReader.ingestError(error, file: url.relativePath)
        }
        return PreparedFile(url: url, file: url.relativePath, format: format, rowsRead: rowsRead)
    }

    /// Reads and checks every file; throws the first ``IngestError``.
    public func prepare(files: [URL]) throws(IngestError) -> [PreparedFile] {
        var prepared: [PreparedFile] = []
        for url in files { prepared.append(try prepare(url)) }
        return prepared
    }

    /// Stores prepared files, reading each again as a stream, each in its own
    /// transaction. Throws ``StoreError``, or ``IngestError`` if a file no longer
    /// reads as it did when prepared (that file's transaction is rolled back).
    public func store(_ prepared: [PreparedFile], into store: any PerfStore) throws -> [FileReport] {
        var reports: [FileReport] = []
        for file in prepared {
            var selecting = SelectionStream(selection: selection)
            var rowsRead = 0
            let counts = try store.ingest(batches: { write in
                let format = try reader.stream(file.url) { records in
                    rowsRead += records.count
                    let kept = selecting.add(records)
                    if !kept.isEmpty { _ = try write(kept) }
                }
                let rest = selecting.finish()
                if !rest.isEmpty { _ = try write(rest) }
                guard format == file.format, rowsRead == file.rowsRead else {
                    throw IngestError(file: file.file, line: 1, field: "(file)",
                                      problem: "the file changed while it was being ingested; nothing of it was stored")
                }
            })
            reports.append(FileReport(file: file.file, format: file.format, rowsRead: rowsRead,
                                      filteredOut: selecting.filteredOut, deduplicated: selecting.deduplicated,
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

/// ``Selection/apply(_:)`` for records that arrive in batches: the filter and
/// the naming apply to each batch as it comes. De-duplication keeps the
/// earliest record of each key in the whole file, so the records it governs
/// (with `--select`, those whose simplified name it lists and that have a task
/// id) are held until ``finish()``; memory grows with those records only, not
/// with the file.
struct SelectionStream {
    let selection: Selection
    private var held: [PerfRecord] = []
    private(set) var filteredOut = 0
    private(set) var deduplicated = 0

    init(selection: Selection) {
        self.selection = selection
    }

    /// The records of `records` to store now.
    mutating func add(_ records: [PerfRecord]) -> [IngestRecord] {
        let config = selection.config
        guard selection.filters else { return records.map(named) }
        var now: [IngestRecord] = []
        for record in records {
            guard config.filter.keeps(record) else {
                filteredOut += 1
                continue
            }
            if isDeduplicated(record) { held.append(record) } else { now.append(named(record)) }
        }
        return now
    }

    /// The held records that survive de-duplication.
    mutating func finish() -> [IngestRecord] {
        let config = selection.config
        let result = config.deduplicate.apply(held, sname: { config.sname(of: $0) })
        deduplicated = result.dropped
        held = []
        return result.kept.map(named)
    }

    private func isDeduplicated(_ record: PerfRecord) -> Bool {
        let rule = selection.config.deduplicate
        return !rule.snames.isEmpty && !record.taskId.isEmpty && rule.snames.contains(selection.config.sname(of: record))
    }

    private func named(_ record: PerfRecord) -> IngestRecord {
        IngestRecord(record: record, sname: selection.config.sname(of: record), os: selection.config.os(of: record))
    }
}
