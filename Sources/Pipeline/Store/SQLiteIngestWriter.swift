import Foundation
import GRDB

/// The inserts of ingest inside one open transaction: series found or created
/// once per key, measurements added unless already stored. One writer serves
/// any number of batches, so a file streamed in batches is stored in one
/// transaction (``SQLiteStore/ingest(batches:)``).
final class SQLiteIngestWriter {
    private struct SeriesKey: Hashable {
        var project, suite, test, platform: String
    }

    private let db: Database
    private let find: Statement
    private let insertSeries: Statement
    private let updateSeries: Statement
    private let insertMeasurement: Statement
    /// Series seen in this transaction; bounded by the number of series, not rows.
    private var seriesIds: [SeriesKey: Int64] = [:]

    init(_ db: Database) throws {
        self.db = db
        find = try db.makeStatement(sql: """
            SELECT id FROM series WHERE project = ? AND suite = ? AND test = ? AND platform = ?
            """)
        insertSeries = try db.makeStatement(sql: """
            INSERT INTO series (project, suite, test, platform, framework, sname, os, lower_is_better, unit, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Known facts are kept; empty ones are filled in; the naming follows the latest rules.
        updateSeries = try db.makeStatement(sql: """
            UPDATE series SET
                framework = CASE WHEN framework = '' THEN ? ELSE framework END,
                unit = CASE WHEN unit = '' THEN ? ELSE unit END,
                signature = CASE WHEN signature = '' THEN ? ELSE signature END,
                lower_is_better = COALESCE(lower_is_better, ?),
                sname = ?, os = ?
            WHERE id = ?
            """)
        insertMeasurement = try db.makeStatement(sql: """
            INSERT INTO measurements (series_id, time, value, revision, task_id, label, extra_options, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """)
    }

    /// Stores `rows`; the counts are those of these rows alone.
    func add(_ rows: [IngestRecord]) throws -> IngestCounts {
        var counts = IngestCounts(offered: rows.count)
        for row in rows {
            let r = row.record
            let key = SeriesKey(project: r.project, suite: r.suite, test: r.test, platform: r.platform)
            let seriesId: Int64
            if let known = seriesIds[key] {
                seriesId = known
            } else if let existing = try Int64.fetchOne(find, arguments: [r.project, r.suite, r.test, r.platform]) {
                try updateSeries.execute(arguments: [r.framework, r.unit, r.signature, r.lowerIsBetter, row.sname, row.os, existing])
                seriesId = existing
            } else {
                try insertSeries.execute(arguments: [r.project, r.suite, r.test, r.platform, r.framework,
                                                     row.sname, row.os, r.lowerIsBetter, r.unit, r.signature])
                seriesId = db.lastInsertedRowID
                counts.newSeries += 1
            }
            seriesIds[key] = seriesId
            try insertMeasurement.execute(arguments: [seriesId, StoreTime.instantText(r.time), r.value, r.revision,
                                                      r.taskId, r.label, r.extraOptions, r.version])
            if db.changesCount > 0 { counts.added += 1 } else { counts.duplicates += 1 }
        }
        return counts
    }
}

extension IngestCounts {
    /// Adds the counts of another batch.
    public mutating func add(_ other: IngestCounts) {
        offered += other.offered
        added += other.added
        duplicates += other.duplicates
        newSeries += other.newSeries
    }
}

extension SQLiteStore {
    /// Stores the batches `produce` hands to its argument, all in one
    /// `BEGIN IMMEDIATE` transaction: memory holds one batch, the transaction
    /// covers them all. When `produce` throws, the transaction is rolled back
    /// and its error rethrown as it is; a database failure is a ``StoreError``.
    public func ingest(batches produce: (_ store: ([IngestRecord]) throws -> IngestCounts) throws -> Void) throws -> IngestCounts {
        guard !isReadOnly else { throw StoreError.cannotOpen(path: location, reason: "opened read-only; this command does not write") }
        var producerError: (any Error)?
        var total = IngestCounts()
        do {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let writer = try SQLiteIngestWriter(db)
                    do {
                        try produce { rows in
                            let counts = try writer.add(rows)
                            total.add(counts)
                            return counts
                        }
                    } catch let error as DatabaseError {
                        throw error
                    } catch {
                        producerError = error
                        return .rollback
                    }
                    return .commit
                }
            }
        } catch {
            throw Self.map(error, path: location)
        }
        if let producerError { throw producerError }
        return total
    }
}
