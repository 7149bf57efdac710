import Foundation

/// The store of SPEC §9 on an SQL database: every rule of the store (what a
/// claim is, what is kept, how results are replaced) written once, with
/// `?` placeholders, over the transactions a backend provides —
/// ``SQLiteStore`` (one embedded file) or ``PostgresStore`` (a server many
/// workers share). Both hold the same tables (``StoreSchema``).
public class SQLStore: PerfStore, @unchecked Sendable {
    /// Where the store lives, for messages (a PostgreSQL URL without its password).
    public let location: String
    /// Whether the store was opened by a read-only command.
    public let isReadOnly: Bool
    /// How results are kept: compact (schema v3, every store a writer opened)
    /// or one row per draw (an older SQLite store read as it is).
    let layout: StoreSchema.Layout
    let transactions: any SQLTransactions

    init(location: String, isReadOnly: Bool, layout: StoreSchema.Layout, transactions: any SQLTransactions) {
        self.location = location
        self.isReadOnly = isReadOnly
        self.layout = layout
        self.transactions = transactions
    }

    /// Which backend this is.
    public var backendName: String { "SQL" }

    func read<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T { try transactions.read(body) }

    func write<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        guard !isReadOnly else { throw .cannotOpen(path: location, reason: "opened read-only; this command does not write") }
        return try transactions.write(body)
    }

    // MARK: - Ingest

    public func ingest(_ rows: [IngestRecord]) throws(StoreError) -> IngestCounts {
        try write { db in try IngestWriter(db).add(rows) }
    }

    /// Stores the batches `produce` hands to its argument, all in one write
    /// transaction: memory holds one batch, the transaction covers them all.
    /// When `produce` throws, the transaction is rolled back and its error
    /// rethrown as it is; a database failure is a ``StoreError``.
    public func ingest(batches produce: (_ store: ([IngestRecord]) throws -> IngestCounts) throws -> Void) throws -> IngestCounts {
        struct RolledBack: Error {}
        var producerError: (any Error)?
        var total = IngestCounts()
        do {
            try write { db in
                let writer = try IngestWriter(db)
                var databaseError: (any Error)?
                do {
                    try produce { rows in
                        do {
                            let counts = try writer.add(rows)
                            total.add(counts)
                            return counts
                        } catch {
                            databaseError = error
                            throw error
                        }
                    }
                } catch {
                    if let databaseError { throw databaseError }
                    producerError = error
                    throw RolledBack()
                }
            }
        } catch {
            if let producerError { throw producerError }
            throw error
        }
        return total
    }

    // MARK: - Series and measurements

    static func seriesRecord(_ row: SQLRow) throws -> SeriesRecord {
        try SeriesRecord(id: row["id"], project: row["project"], suite: row["suite"], test: row["test"],
                         platform: row["platform"], framework: row["framework"], sname: row["sname"], os: row["os"],
                         lowerIsBetter: row["lower_is_better"], unit: row["unit"],
                         // A store older than schema step 5 has no `signature` column and is read as it is.
                         signature: row.hasColumn("signature") ? row["signature"] : "")
    }

    public func listSeries(_ filter: SeriesFilter) throws(StoreError) -> [SeriesRecord] {
        var conditions: [String] = []
        var arguments: [any SQLArgument] = []
        let equalities: [(String, String?)] = [
            ("project", filter.project), ("suite", filter.suite), ("test", filter.test),
            ("platform", filter.platform), ("framework", filter.framework), ("sname", filter.sname), ("os", filter.os),
        ]
        for (column, value) in equalities {
            if let value {
                conditions.append("\(column) = ?")
                arguments.append(value)
            }
        }
        if filter.withDataSince != nil || filter.withDataThrough != nil {
            var window: [String] = []
            if let since = filter.withDataSince {
                guard StoreTime.isDayText(since) else { throw .invalidArgument("withDataSince \"\(since)\" is not a YYYY-MM-DD day") }
                window.append("m.time >= ?")
                arguments.append(since)
            }
            if let through = filter.withDataThrough {
                guard let day = StoreTime.daysSinceEpoch(dayText: through) else {
                    throw .invalidArgument("withDataThrough \"\(through)\" is not a YYYY-MM-DD day")
                }
                window.append("m.time < ?")
                arguments.append(StoreTime.dayText(daysSinceEpoch: day + 1))
            }
            conditions.append("EXISTS (SELECT 1 FROM measurements m WHERE m.series_id = series.id AND \(window.joined(separator: " AND ")))")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM series\(whereClause) ORDER BY project, suite, test, platform"
        return try read { db in try db.rows(sql, arguments).map(Self.seriesRecord) }
    }

    public func series(id: Int64) throws(StoreError) -> SeriesRecord? {
        try read { db in try db.row("SELECT * FROM series WHERE id = ?", [id]).map(Self.seriesRecord) }
    }

    public func measurements(seriesId: Int64, from: String?, through: String?) throws(StoreError) -> [MeasurementRecord] {
        var sql = """
            SELECT id, series_id, time, value, revision, task_id, label, extra_options, version
            FROM measurements WHERE series_id = ?
            """
        var arguments: [any SQLArgument] = [seriesId]
        if let from {
            guard StoreTime.isDayText(from) else { throw .invalidArgument("from \"\(from)\" is not a YYYY-MM-DD day") }
            sql += " AND time >= ?"
            arguments.append(from)
        }
        if let through {
            guard let day = StoreTime.daysSinceEpoch(dayText: through) else {
                throw .invalidArgument("through \"\(through)\" is not a YYYY-MM-DD day")
            }
            sql += " AND time < ?"
            arguments.append(StoreTime.dayText(daysSinceEpoch: day + 1))
        }
        sql += " ORDER BY time, id"
        let location = self.location
        return try read { db in
            try db.rows(sql, arguments).map { row in
                let timeText: String = try row["time"]
                guard let time = StoreTime.instant(timeText) else {
                    throw StoreError.database(path: location, message: "measurement \(try row["id"] as Int64) has time \"\(timeText)\"")
                }
                return try MeasurementRecord(id: row["id"], seriesId: row["series_id"], time: time, value: row["value"],
                                             revision: row["revision"], taskId: row["task_id"], label: row["label"],
                                             extraOptions: row["extra_options"], version: row["version"])
            }
        }
    }

    // MARK: - Results

    public func hasResults(runDate: String, seriesId: Int64) throws(StoreError) -> Bool {
        try read { db in
            try db.value("SELECT COUNT(*) FROM diagnostics WHERE run_date = ? AND series_id = ?", [runDate, seriesId]) ?? 0 > 0
        }
    }

    public func seriesWithResults(runDate: String) throws(StoreError) -> Set<Int64> {
        try read { db in Set(try db.values("SELECT series_id FROM diagnostics WHERE run_date = ?", [runDate])) }
    }

    public func storedFit(runDate: String, seriesId: Int64) throws(StoreError) -> StoredFit? {
        try read { db in try Self.storedFit(db, runDate: runDate, seriesId: seriesId) }
    }

    private static func storedFit(_ db: any SQLSession, runDate: String, seriesId: Int64) throws -> StoredFit? {
        guard let row = try db.row("""
            SELECT model, sampler, noise, status, created_at FROM diagnostics WHERE run_date = ? AND series_id = ?
            """, [runDate, seriesId]) else { return nil }
        let statusText: String = try row["status"]
        let created: String = try row["created_at"]
        return try StoredFit(fit: FitIdentity(model: row["model"], sampler: row["sampler"], noise: row["noise"]),
                             status: StoredFitStatus(rawValue: statusText) ?? .failed,
                             createdAt: StoreTime.instant(created))
    }

    /// The claim is taken first, by one statement that either inserts it,
    /// renews this owner's, takes over an expired one, or changes nothing
    /// (another live owner): with PostgreSQL's row locks two workers never
    /// both succeed, and one that waited on the other's results transaction
    /// sees those results in the check that follows.
    public func claim(_ request: ClaimRequest) throws(StoreError) -> ClaimOutcome {
        try write { db in
            let key: [any SQLArgument] = [request.runDate, request.seriesId]
            let taken = try db.rows("""
                INSERT INTO claims (run_date, series_id, owner, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (run_date, series_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE claims.owner = excluded.owner OR claims.expires_at <= ?
                RETURNING owner
                """, key + [request.owner, StoreTime.instantText(request.expiresAt), StoreTime.instantText(request.now)])
            let stored = try Self.storedFit(db, runDate: request.runDate, seriesId: request.seriesId)
            let done = stored.map(request.countsAsDone) ?? false
            if taken.isEmpty {
                if done { return .alreadyStored }
                let owner: String = try db.value("SELECT owner FROM claims WHERE run_date = ? AND series_id = ?", key) ?? ""
                return .claimedElsewhere(owner: owner)
            }
            if done {
                try db.execute("DELETE FROM claims WHERE run_date = ? AND series_id = ?", key)
                return .alreadyStored
            }
            return .claimed
        }
    }

    public func releaseClaim(runDate: String, seriesId: Int64, owner: String) throws(StoreError) {
        try write { db in
            try db.execute("DELETE FROM claims WHERE run_date = ? AND series_id = ? AND owner = ?", [runDate, seriesId, owner])
        }
    }

    public func runDates() throws(StoreError) -> [String] {
        try read { db in try db.values("SELECT DISTINCT run_date FROM diagnostics ORDER BY run_date") }
    }

    /// Writes as ``StoreRetention`` says: the newest non-failed run date of
    /// the series in full (and the one it supersedes trimmed, in the same
    /// transaction), any other trimmed.
    @discardableResult
    public func writeResults(_ results: SeriesResults, replace: Bool) throws(StoreError) -> ResultWriteOutcome {
        try ResultValidation.check(results)
        return try write { db in
            guard try db.value("SELECT COUNT(*) FROM series WHERE id = ?", [results.seriesId]) ?? 0 > 0 else {
                throw StoreError.unknownSeries(id: results.seriesId)
            }
            let key: [any SQLArgument] = [results.runDate, results.seriesId]
            let exists = try db.value("SELECT COUNT(*) FROM diagnostics WHERE run_date = ? AND series_id = ?", key) ?? 0 > 0
            if exists && !replace { return .skippedExisting }
            if exists { try ResultRowsSQL.delete(runDate: results.runDate, seriesId: results.seriesId, from: db) }
            let newest = try ResultRowsSQL.latestKeptRunDate(seriesId: results.seriesId, in: db)
            let isLatest = results.diagnostics.status != .failed && newest.map { results.runDate > $0 } ?? true
            if isLatest {
                try ResultRowsSQL.insert(results, kept: .full, into: db)
                try ResultRowsSQL.trimOlderRunDates(seriesId: results.seriesId, latest: results.runDate, in: db)
            } else {
                try ResultRowsSQL.insert(StoreRetention.trimmed(results), kept: .window, into: db)
            }
            try db.execute("DELETE FROM claims WHERE run_date = ? AND series_id = ?", key)
            return exists ? .replaced : .written
        }
    }

    public func results(runDate: String, seriesId: Int64) throws(StoreError) -> SeriesResults? {
        let layout = self.layout
        return try read { db in try ResultRowsSQL.fetch(runDate: runDate, seriesId: seriesId, layout: layout, from: db) }
    }

    public func results(runDate: String, seriesId: Int64, drawDates: [String]) throws(StoreError) -> SeriesResults? {
        let layout = self.layout
        return try read { db in
            try ResultRowsSQL.fetch(runDate: runDate, seriesId: seriesId, layout: layout, drawDates: drawDates, from: db)
        }
    }

    public func draws(runDate: String, seriesId: Int64, dates: [String]?) throws(StoreError) -> [DayDraws] {
        let layout = self.layout
        return try read { db in
            try ResultRowsSQL.draws(runDate: runDate, seriesId: seriesId, dates: dates, layout: layout, from: db)
        }
    }

    public func intervals(runDate: String, seriesId: Int64) throws(StoreError) -> [IntervalRow] {
        try read { db in try ResultRowsSQL.intervals(runDate: runDate, seriesId: seriesId, from: db) }
    }

    public func prune(_ request: PruneRequest) throws(StoreError) -> PruneReport {
        let layout = self.layout
        func plan(_ db: any SQLSession) throws -> (removed: [String], kept: Int, counts: [String: Int]) {
            let all: [String] = try db.values("SELECT DISTINCT run_date FROM diagnostics")
            let removed = request.runDatesToRemove(from: all)
            var counts: [String: Int] = [:]
            guard !removed.isEmpty else { return (removed, all.count, counts) }
            let list = sqlPlaceholders(removed.count)
            let claims = try db.tableExists("claims") ? ["claims"] : []
            for table in layout.resultTables.map(\.table) + claims {
                counts[table] = try db.value("SELECT COUNT(*) FROM \(table) WHERE run_date IN (\(list))", removed) ?? 0
            }
            // A dry run on a store not yet upgraded counts its own tables.
            guard layout == .compact else { return (removed, all.count - removed.count, counts) }
            counts["model_input_chunks"] = try db.value("""
                SELECT COUNT(*) FROM model_input_chunks c WHERE NOT EXISTS (
                    SELECT 1 FROM model_input_parts p WHERE p.chunk_id = c.id AND p.run_date NOT IN (\(list)))
                """, removed) ?? 0
            return (removed, all.count - removed.count, counts)
        }
        if request.dryRun {
            return try read { db in
                let p = try plan(db)
                return PruneReport(dryRun: true, removedRunDates: p.removed, keptRunDates: p.kept, removedRows: p.counts)
            }
        }
        return try write { db in
            let p = try plan(db)
            if !p.removed.isEmpty {
                let list = sqlPlaceholders(p.removed.count)
                for table in StoreSchema.Layout.compact.resultTables.map(\.table) + StoreSchema.optionalResultTables + ["claims"] {
                    try db.execute("DELETE FROM \(table) WHERE run_date IN (\(list))", p.removed)
                }
                try ResultRowsSQL.deleteUnusedChunks(seriesId: nil, from: db)
            }
            return PruneReport(dryRun: false, removedRunDates: p.removed, keptRunDates: p.kept, removedRows: p.counts)
        }
    }

    /// Gives the space of deleted rows back (SQLite: `VACUUM`, which needs
    /// free disk space about the store's size; PostgreSQL: `VACUUM`, which
    /// makes the space reusable).
    public func vacuum() throws(StoreError) {
        guard !isReadOnly else { throw .cannotOpen(path: location, reason: "opened read-only; this command does not write") }
        try transactions.vacuum()
    }

    public func comparisons(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: ComparisonRow)] {
        try read { db in
            try db.rows("SELECT * FROM comparisons WHERE run_date = ? ORDER BY series_id, label", [runDate])
                .map { (seriesId: try $0["series_id"], row: try ResultRowsSQL.comparison($0)) }
        }
    }

    public func changeDays(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: ChangeDayRow)] {
        try read { db in
            guard try db.tableExists("change_days") else { return [] }
            return try db.rows("SELECT * FROM change_days WHERE run_date = ? ORDER BY series_id, date", [runDate]).map {
                (seriesId: try $0["series_id"],
                 row: try ChangeDayRow(date: $0["date"], probability: $0["probability"], sizePercent: $0["size_percent"]))
            }
        }
    }

    public func diagnostics(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: DiagnosticsRow)] {
        try read { db in
            try db.rows("SELECT * FROM diagnostics WHERE run_date = ? ORDER BY series_id", [runDate])
                .map { (seriesId: try $0["series_id"], row: try ResultRowsSQL.diagnostics($0)) }
        }
    }

    /// The database's own consistency check: "ok" when sound (SQLite's
    /// `PRAGMA integrity_check`; on PostgreSQL, which checks as it writes,
    /// that every table of the schema is there).
    public func integrityCheck() throws(StoreError) -> String { try transactions.integrityCheck() }

    /// Row counts per table, for `diagnose` and tests. In a schema-v3 store
    /// `draws` counts days with draws (one blob row each) and `model_input`
    /// the chunk references.
    public func rowCounts() throws(StoreError) -> [String: Int] {
        let layout = self.layout
        return try read { db in
            var counts: [String: Int] = [:]
            for (name, table) in [("series", "series"), ("measurements", "measurements")] + layout.resultTables {
                counts[name] = try db.value("SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}
