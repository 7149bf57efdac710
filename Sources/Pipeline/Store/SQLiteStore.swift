import Foundation
import GRDB

/// The embedded store: one SQLite file (SPEC §9), schema ``StoreSchema``.
///
/// Safe for several processes at once: the file is in WAL mode (readers never
/// block the writer), every write is one `BEGIN IMMEDIATE` transaction, and a
/// writer that finds the file locked waits up to ``busyTimeout`` before failing.
public final class SQLiteStore: PerfStore {
    /// How long a writer waits for another process's transaction; a daily run
    /// writes one series at a time, so waits are short and this is generous.
    public static let busyTimeout: TimeInterval = 30
    /// The first 16 bytes of every SQLite 3 database file.
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    public let location: String
    let database: any DatabaseWriter
    /// Whether the store was opened by a read-only command.
    public let isReadOnly: Bool
    /// How results are kept: compact (schema v3, every store a writer opened)
    /// or one row per draw (an older store read as it is).
    let layout: StoreSchema.Layout

    /// How a command opens the store.
    public enum Access: Sendable {
        /// Commands that write (`ingest`, `run`, `demo`, `fetch`): the file and
        /// its schema are created when missing, older schemas are upgraded.
        case readWrite
        /// Commands that only read (`compare`, `alert`, `report`, `diagnose`):
        /// a missing file is an error, nothing is created or changed, and a
        /// file the user may not write is fine (SPEC §9 v2).
        case readOnly
    }

    /// Opens the store at `path`. With `.readWrite` it is created (with its
    /// schema) when the file does not exist; with `.readOnly` it must exist.
    /// An existing file must be an SQLite database made by slowreg.
    public init(path: String, access: Access = .readWrite) throws(StoreError) {
        location = path
        isReadOnly = access == .readOnly
        if isReadOnly {
            guard FileManager.default.fileExists(atPath: path) else { throw .noStore(path: path) }
        }
        try Self.checkFile(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        if access == .readWrite {
            // WAL with synchronous=NORMAL: a commit is not flushed to disk by
            // itself (the WAL is, at checkpoints), so the claim and the results
            // of each series cost no fsync each. The store stays consistent
            // after any crash; a power loss may undo the last commits, which
            // the next run then redoes (they are claims or whole series).
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        do {
            if isReadOnly {
                // A queue, not a pool: a read-only pool would still try to
                // switch the file to WAL. SQLITE_OPEN_READONLY: no write of any kind.
                configuration.readonly = true
                database = try DatabaseQueue(path: path, configuration: configuration)
            } else {
                database = try DatabasePool(path: path, configuration: configuration)
            }
        } catch {
            throw Self.map(error, path: path)
        }
        if isReadOnly {
            layout = try Self.checkSchemaReadable(database, location: path)
        } else {
            try Self.prepareSchema(database, location: path)
            layout = .compact
        }
    }

    /// A read-only open upgrades nothing: the store must be one of ours and
    /// not newer than this binary (an older one is read as it is, in its layout).
    private static func checkSchemaReadable(_ database: any DatabaseWriter, location: String) throws(StoreError) -> StoreSchema.Layout {
        let known = Set(StoreSchema.migrations.map(\.identifier))
        do {
            let (tables, applied) = try database.read { db -> ([String], Set<String>) in
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    """)
                let applied = tables.contains("grdb_migrations")
                    ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
                return (tables, applied)
            }
            if tables.isEmpty { throw StoreError.noStore(path: location) }
            if applied.isDisjoint(with: known) { throw StoreError.notASlowregStore(path: location) }
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty { throw StoreError.newerSchema(path: location, unknownMigrations: unknown.sorted()) }
            return applied.contains(StoreSchema.compactLayoutIdentifier) ? .compact : .rows
        } catch {
            throw Self.map(error, path: location)
        }
    }

    /// Refuses a path that is a directory, lies in a missing directory, or holds
    /// something other than SQLite — before SQLite opens (and could touch) it.
    private static func checkFile(_ path: String) throws(StoreError) {
        var isDirectory: ObjCBool = false
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw .cannotOpen(path: path, reason: "it is a directory") }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw .cannotOpen(path: path, reason: "the file cannot be read")
            }
            defer { try? handle.close() }
            let header = (try? handle.read(upToCount: sqliteHeader.count)) ?? Data()
            if !header.isEmpty && [UInt8](header) != sqliteHeader { throw .notSQLite(path: path) }
        } else {
            let directory = url.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .cannotOpen(path: path, reason: "the directory \(directory) does not exist")
            }
        }
    }

    private static func prepareSchema(_ database: any DatabaseWriter, location: String) throws(StoreError) {
        let migrator = StoreSchema.migrator
        let known = Set(StoreSchema.migrations.map(\.identifier))
        do {
            let (tables, applied) = try database.read { db -> ([String], Set<String>) in
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    """)
                let applied = tables.contains("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
                return (tables, applied)
            }
            // Tables of its own and none of our schema steps: another program's
            // database. (An empty migration table alone is a store another process
            // is creating right now: GRDB creates it before the first step commits.)
            let ownTables = tables.filter { $0 != "grdb_migrations" }
            if !ownTables.isEmpty && applied.isDisjoint(with: known) {
                throw StoreError.notASlowregStore(path: location)
            }
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty { throw StoreError.newerSchema(path: location, unknownMigrations: unknown.sorted()) }
            do {
                try migrator.migrate(database)
            } catch {
                // Two processes creating one store race on the first step; the loser
                // finds it applied by the winner, which is what it wanted.
                let done = try database.read { db in try migrator.hasCompletedMigrations(db) }
                if !done { throw error }
            }
        } catch {
            throw map(error, path: location)
        }
    }

    static func map(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB: return .notSQLite(path: path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return .cannotOpen(path: path, reason: databaseError.message ?? "\(databaseError.resultCode)")
            default: return .database(path: path, message: databaseError.message ?? "\(databaseError)")
            }
        }
        return .database(path: path, message: "\(error)")
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction.
    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        guard !isReadOnly else { throw .cannotOpen(path: location, reason: "opened read-only; this command does not write") }
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.map(error, path: location)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try database.read(body) } catch { throw Self.map(error, path: location) }
    }

    // MARK: - Ingest

    public func ingest(_ rows: [IngestRecord]) throws(StoreError) -> IngestCounts {
        try write { db in try SQLiteIngestWriter(db).add(rows) }
    }

    // MARK: - Series and measurements

    /// `*`: a store older than schema step 5 has no `signature` column and is read as it is.
    private static let seriesColumns = "*"

    private static func seriesRecord(_ row: Row) -> SeriesRecord {
        SeriesRecord(id: row["id"], project: row["project"], suite: row["suite"], test: row["test"],
                     platform: row["platform"], framework: row["framework"], sname: row["sname"], os: row["os"],
                     lowerIsBetter: row["lower_is_better"], unit: row["unit"],
                     signature: row.hasColumn("signature") ? row["signature"] : "")
    }

    public func listSeries(_ filter: SeriesFilter) throws(StoreError) -> [SeriesRecord] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
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
        let sql = "SELECT \(Self.seriesColumns) FROM series\(whereClause) ORDER BY project, suite, test, platform"
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.seriesRecord)
        }
    }

    public func series(id: Int64) throws(StoreError) -> SeriesRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.seriesColumns) FROM series WHERE id = ?", arguments: [id])
                .map(Self.seriesRecord)
        }
    }

    public func measurements(seriesId: Int64, from: String?, through: String?) throws(StoreError) -> [MeasurementRecord] {
        var sql = """
            SELECT id, series_id, time, value, revision, task_id, label, extra_options, version
            FROM measurements WHERE series_id = ?
            """
        var arguments: [(any DatabaseValueConvertible)?] = [seriesId]
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
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                let timeText: String = row["time"]
                guard let time = StoreTime.instant(timeText) else {
                    throw StoreError.database(path: location, message: "measurement \(row["id"] as Int64) has time \"\(timeText)\"")
                }
                return MeasurementRecord(id: row["id"], seriesId: row["series_id"], time: time, value: row["value"],
                                         revision: row["revision"], taskId: row["task_id"], label: row["label"],
                                         extraOptions: row["extra_options"], version: row["version"])
            }
        }
    }

    // MARK: - Results

    public func hasResults(runDate: String, seriesId: Int64) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM diagnostics WHERE run_date = ? AND series_id = ?)",
                              arguments: [runDate, seriesId]) ?? false
        }
    }

    public func seriesWithResults(runDate: String) throws(StoreError) -> Set<Int64> {
        try read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT series_id FROM diagnostics WHERE run_date = ?", arguments: [runDate]))
        }
    }

    public func storedFit(runDate: String, seriesId: Int64) throws(StoreError) -> StoredFit? {
        try read { db in try Self.storedFit(db, runDate: runDate, seriesId: seriesId) }
    }

    private static func storedFit(_ db: Database, runDate: String, seriesId: Int64) throws -> StoredFit? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT model, sampler, noise, status, created_at FROM diagnostics WHERE run_date = ? AND series_id = ?
            """, arguments: [runDate, seriesId]) else { return nil }
        let statusText: String = row["status"]
        let created: String = row["created_at"]
        return StoredFit(fit: FitIdentity(model: row["model"], sampler: row["sampler"], noise: row["noise"]),
                         status: StoredFitStatus(rawValue: statusText) ?? .failed,
                         createdAt: StoreTime.instant(created))
    }

    public func claim(_ request: ClaimRequest) throws(StoreError) -> ClaimOutcome {
        try write { db in
            if let stored = try Self.storedFit(db, runDate: request.runDate, seriesId: request.seriesId),
               request.countsAsDone(stored) {
                return .alreadyStored
            }
            let now = StoreTime.instantText(request.now)
            if let holder = try Row.fetchOne(db, sql: """
                SELECT owner, expires_at FROM claims WHERE run_date = ? AND series_id = ?
                """, arguments: [request.runDate, request.seriesId]) {
                let owner: String = holder["owner"]
                let expires: String = holder["expires_at"]
                if owner != request.owner && expires > now { return .claimedElsewhere(owner: owner) }
            }
            try db.execute(sql: """
                INSERT INTO claims (run_date, series_id, owner, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (run_date, series_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                """, arguments: [request.runDate, request.seriesId, request.owner, StoreTime.instantText(request.expiresAt)])
            return .claimed
        }
    }

    public func releaseClaim(runDate: String, seriesId: Int64, owner: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM claims WHERE run_date = ? AND series_id = ? AND owner = ?",
                           arguments: [runDate, seriesId, owner])
        }
    }

    public func runDates() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT run_date FROM diagnostics ORDER BY run_date") }
    }

    /// Writes as ``StoreRetention`` says: the newest non-failed run date of
    /// the series in full (and the one it supersedes trimmed, in the same
    /// transaction), any other trimmed.
    @discardableResult
    public func writeResults(_ results: SeriesResults, replace: Bool) throws(StoreError) -> ResultWriteOutcome {
        try ResultValidation.check(results)
        return try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM series WHERE id = ?)",
                                    arguments: [results.seriesId]) == true else {
                throw StoreError.unknownSeries(id: results.seriesId)
            }
            let key: StatementArguments = [results.runDate, results.seriesId]
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM diagnostics WHERE run_date = ? AND series_id = ?)",
                                           arguments: key) ?? false
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
            try db.execute(sql: "DELETE FROM claims WHERE run_date = ? AND series_id = ?", arguments: key)
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
        func plan(_ db: Database) throws -> (removed: [String], kept: Int, counts: [String: Int]) {
            let all = try String.fetchAll(db, sql: "SELECT DISTINCT run_date FROM diagnostics")
            let removed = request.runDatesToRemove(from: all)
            var counts: [String: Int] = [:]
            guard !removed.isEmpty else { return (removed, all.count, counts) }
            let list = Array(repeating: "?", count: removed.count).joined(separator: ", ")
            let arguments = StatementArguments(removed)
            let claims = try db.tableExists("claims") ? ["claims"] : []
            for table in layout.resultTables.map(\.table) + claims {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE run_date IN (\(list))",
                                                 arguments: arguments) ?? 0
            }
            // A dry run on a store not yet upgraded counts its own tables.
            guard layout == .compact else { return (removed, all.count - removed.count, counts) }
            counts["model_input_chunks"] = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM model_input_chunks c WHERE NOT EXISTS (
                    SELECT 1 FROM model_input_parts p WHERE p.chunk_id = c.id AND p.run_date NOT IN (\(list)))
                """, arguments: arguments) ?? 0
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
                let list = Array(repeating: "?", count: p.removed.count).joined(separator: ", ")
                for table in StoreSchema.Layout.compact.resultTables.map(\.table) + ["claims"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE run_date IN (\(list))", arguments: StatementArguments(p.removed))
                }
                try ResultRowsSQL.deleteUnusedChunks(seriesId: nil, from: db)
            }
            return PruneReport(dryRun: false, removedRunDates: p.removed, keptRunDates: p.kept, removedRows: p.counts)
        }
    }

    /// Gives the space of deleted rows back to the file system (`VACUUM`,
    /// outside any transaction; needs free disk space about the store's size).
    public func vacuum() throws(StoreError) {
        guard !isReadOnly else { throw .cannotOpen(path: location, reason: "opened read-only; this command does not write") }
        do { try database.vacuum() } catch { throw Self.map(error, path: location) }
    }

    public func comparisons(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: ComparisonRow)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM comparisons WHERE run_date = ? ORDER BY series_id, label",
                             arguments: [runDate]).map { (seriesId: $0["series_id"], row: ResultRowsSQL.comparison($0)) }
        }
    }

    public func changeDays(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: ChangeDayRow)] {
        try read { db in
            guard try db.tableExists("change_days") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM change_days WHERE run_date = ? ORDER BY series_id, date",
                                    arguments: [runDate]).map {
                (seriesId: $0["series_id"],
                 row: ChangeDayRow(date: $0["date"], probability: $0["probability"], sizePercent: $0["size_percent"]))
            }
        }
    }

    public func diagnostics(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: DiagnosticsRow)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM diagnostics WHERE run_date = ? ORDER BY series_id",
                             arguments: [runDate]).map { (seriesId: $0["series_id"], row: try ResultRowsSQL.diagnostics($0)) }
        }
    }

    /// SQLite's own consistency check (`PRAGMA integrity_check`): "ok" when sound.
    public func integrityCheck() throws(StoreError) -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// Row counts per table, for `diagnose` and tests. In a schema-v3 store
    /// `draws` counts days with draws (one blob row each) and `model_input`
    /// the chunk references.
    public func rowCounts() throws(StoreError) -> [String: Int] {
        let layout = self.layout
        return try read { db in
            var counts: [String: Int] = [:]
            for (name, table) in [("series", "series"), ("measurements", "measurements")] + layout.resultTables {
                counts[name] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}
