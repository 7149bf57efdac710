import Foundation

/// The inserts of ingest inside one open transaction: series found or created
/// once per key, measurements added unless already stored. One writer serves
/// any number of batches, so a file streamed in batches is stored in one
/// transaction (``SQLStore/ingest(batches:)``).
final class IngestWriter {
    private struct SeriesKey: Hashable {
        var project, suite, test, platform: String
    }

    private let db: any SQLSession
    /// Series seen in this transaction; bounded by the number of series, not rows.
    private var seriesIds: [SeriesKey: Int64] = [:]

    init(_ db: any SQLSession) throws {
        self.db = db
    }

    /// Stores `rows`; the counts are those of these rows alone.
    func add(_ rows: [IngestRecord]) throws -> IngestCounts {
        var counts = IngestCounts(offered: rows.count)
        var measurements: [[any SQLArgument]] = []
        measurements.reserveCapacity(rows.count)
        for row in rows {
            let r = row.record
            let key = SeriesKey(project: r.project, suite: r.suite, test: r.test, platform: r.platform)
            let seriesId: Int64
            if let known = seriesIds[key] {
                seriesId = known
            } else {
                let (id, isNew) = try findOrCreate(row)
                seriesId = id
                if isNew { counts.newSeries += 1 }
            }
            seriesIds[key] = seriesId
            measurements.append([seriesId, StoreTime.instantText(r.time), r.value, r.revision,
                                 r.taskId, r.label, r.extraOptions, r.version])
        }
        counts.added = try db.insert(into: "measurements",
                                     columns: ["series_id", "time", "value", "revision", "task_id", "label", "extra_options", "version"],
                                     rows: measurements, ignoringConflicts: true)
        counts.duplicates = rows.count - counts.added
        return counts
    }

    /// The series of `row`: created when new (a concurrent creator's row is
    /// found instead), else updated: known facts are kept, empty ones filled
    /// in, the naming follows the latest rules.
    private func findOrCreate(_ row: IngestRecord) throws -> (id: Int64, isNew: Bool) {
        let r = row.record
        let inserted: Int64? = try db.value("""
            INSERT INTO series (project, suite, test, platform, framework, sname, os, lower_is_better, unit, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (project, suite, test, platform) DO NOTHING
            RETURNING id
            """, [r.project, r.suite, r.test, r.platform, r.framework, row.sname, row.os, r.lowerIsBetter, r.unit, r.signature])
        if let inserted { return (inserted, true) }
        guard let existing: Int64 = try db.value("""
            SELECT id FROM series WHERE project = ? AND suite = ? AND test = ? AND platform = ?
            """, [r.project, r.suite, r.test, r.platform]) else {
            throw StoreError.invalidArgument("series \(r.suite) \(r.test) \(r.platform): neither stored nor new")
        }
        try db.execute("""
            UPDATE series SET
                framework = CASE WHEN framework = '' THEN ? ELSE framework END,
                unit = CASE WHEN unit = '' THEN ? ELSE unit END,
                signature = CASE WHEN signature = '' THEN ? ELSE signature END,
                lower_is_better = COALESCE(lower_is_better, ?),
                sname = ?, os = ?
            WHERE id = ?
            """, [r.framework, r.unit, r.signature, r.lowerIsBetter, row.sname, row.os, existing])
        return (existing, false)
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
