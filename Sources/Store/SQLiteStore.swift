import Foundation
import GRDB

/// The embedded store: one SQLite file (SPEC §9), schema ``StoreSchema``.
///
/// Safe for several processes at once: the file is in WAL mode (readers never
/// block the writer), every write is one `BEGIN IMMEDIATE` transaction, and a
/// writer that finds the file locked waits up to ``busyTimeout`` before failing.
public final class SQLiteStore: SQLStore, @unchecked Sendable {
    /// How long a writer waits for another process's transaction; a daily run
    /// writes one series at a time, so waits are short and this is generous.
    public static let busyTimeout: TimeInterval = 30
    /// The first 16 bytes of every SQLite 3 database file.
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    let database: any DatabaseWriter

    public override var backendName: String { "SQLite" }

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
        let isReadOnly = access == .readOnly
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
        let database: any DatabaseWriter
        do {
            if isReadOnly {
                // A queue, not a pool: a read-only pool would still try to
                // switch the file to WAL. SQLITE_OPEN_READONLY: no write of any kind.
                configuration.readonly = true
                database = try DatabaseQueue(path: path, configuration: configuration)
            } else {
                database = try Self.retryingWhileBusy { try DatabasePool(path: path, configuration: configuration) }
            }
        } catch {
            throw Self.map(error, path: path)
        }
        let layout: StoreSchema.Layout
        if isReadOnly {
            layout = try Self.checkSchemaReadable(database, location: path)
        } else {
            do {
                let prepare: () throws -> Void = { try Self.prepareSchema(database, location: path) }
                try Self.retryingWhileBusy(prepare)
            } catch {
                throw Self.map(error, path: path)
            }
            layout = .compact
        }
        self.database = database
        super.init(location: path, isReadOnly: isReadOnly, layout: layout,
                   transactions: SQLiteTransactions(database: database, location: path))
    }

    /// `body`, again after a short pause while it fails because another
    /// connection holds the file (SQLITE_BUSY): switching a new file to WAL
    /// does not wait for the busy timeout, so processes creating one store at
    /// the same moment would otherwise fail. Gives up after ``busyTimeout``.
    private static func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(busyTimeout)
        var pause = 0.005
        while true {
            do {
                return try body()
            } catch {
                let busy = (error as? DatabaseError)?.resultCode == .SQLITE_BUSY
                    || (error as? StoreError).map { "\($0)".contains("database is locked") } == true
                guard busy, Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: pause)
                pause = Swift.min(pause * 2, 0.2)
            }
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
            // Two processes creating (or upgrading) one store race step by step
            // (each step is its own transaction): the loser of a step finds it
            // applied by the winner and goes on from there; an error while no
            // other process made progress is a real one.
            var appliedCount = applied.count
            while true {
                do {
                    try migrator.migrate(database)
                    break
                } catch {
                    let now = try database.read { db in try migrator.appliedIdentifiers(db) }
                    if now.isSuperset(of: known) { break }
                    guard now.count > appliedCount else { throw error }
                    appliedCount = now.count
                }
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

}

/// The transactions of an SQLite file: reads from a snapshot, writes in one
/// `BEGIN IMMEDIATE` transaction each (so a writer waits for another
/// process's, up to ``SQLiteStore/busyTimeout``, instead of failing midway).
struct SQLiteTransactions: SQLTransactions {
    let database: any DatabaseWriter
    let location: String

    func read<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        do { return try database.read { db in try body(GRDBSession(db: db)) } } catch {
            throw SQLiteStore.map(error, path: location)
        }
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(GRDBSession(db: db))
                    return .commit
                }
                guard let result else { throw StoreError.database(path: location, message: "transaction ended without a result") }
                return result
            }
        } catch {
            throw SQLiteStore.map(error, path: location)
        }
    }

    func integrityCheck() throws(StoreError) -> String {
        try read { db in try db.values("PRAGMA integrity_check").joined(separator: "; ") as String }
    }

    /// `VACUUM`, outside any transaction; needs free disk space about the store's size.
    func vacuum() throws(StoreError) {
        do { try database.vacuum() } catch { throw SQLiteStore.map(error, path: location) }
    }
}
