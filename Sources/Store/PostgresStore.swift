import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The shared store (SPEC §9 v2): a PostgreSQL database that any number of
/// `slowreg run` processes on any number of machines use at once, with the
/// same tables as the SQLite store (``StoreSchema``, translated by
/// ``StoreSchema/postgresSQL(_:)``) and the same store logic (``SQLStore``).
///
/// `--store postgresql://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`;
/// the password may also come from `$PGPASSWORD`. A pool of connections,
/// one per concurrent transaction up to one per core; reads are `REPEATABLE READ`
/// snapshots, writes `READ COMMITTED` with the row locks the claim statement
/// takes (``SQLStore/claim(_:)``).
public final class PostgresStore: SQLStore, @unchecked Sendable {
    /// How long connecting may take before it is an error.
    public static let connectTimeout: TimeAmount = .seconds(10)
    /// The lock every schema step holds (`pg_advisory_xact_lock`), so that
    /// two processes creating one store do it one after the other.
    static let schemaLockKey: Int64 = 0x736C_6F77_7265_67   // "slowreg"

    let pool: PostgresSession.Pool

    public override var backendName: String { "PostgreSQL" }

    /// Whether `location` names a PostgreSQL store rather than an SQLite file.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Connects to the database `url` names; with `.readWrite` the schema is
    /// created or upgraded, with `.readOnly` it must be there and nothing is
    /// changed. The database itself must exist (`createdb`).
    public init(url: String, access: SQLiteStore.Access = .readWrite,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let target = try PostgresTarget(url: url, environment: environment)
        let location = target.redacted
        let pool = PostgresSession.Pool(first: try PostgresSession.Connection.open(target, location: location),
                                        target: target, location: location)
        let isReadOnly = access == .readOnly
        let transactions = PostgresTransactions(pool: pool, location: location)
        if isReadOnly {
            try Self.checkSchemaReadable(transactions, location: location)
        } else {
            try Self.prepareSchema(transactions, location: location)
        }
        self.pool = pool
        super.init(location: location, isReadOnly: isReadOnly, layout: .compact, transactions: transactions)
    }

    deinit { pool.close() }

    private static func appliedSteps(_ db: any SQLSession) throws -> (ownTables: [String], applied: Set<String>) {
        let tables: [String] = try db.values("""
            SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()
            """)
        let applied: Set<String> = tables.contains("grdb_migrations")
            ? Set(try db.values("SELECT identifier FROM grdb_migrations")) : []
        return (tables.filter { $0 != "grdb_migrations" }, applied)
    }

    private static func checkSchemaReadable(_ transactions: PostgresTransactions, location: String) throws(StoreError) {
        let known = Set(StoreSchema.migrations.map(\.identifier))
        let (tables, applied) = try transactions.read { db in try appliedSteps(db) }
        if tables.isEmpty && applied.isEmpty { throw .noStore(path: location) }
        if applied.isDisjoint(with: known) { throw .notASlowregStore(path: location) }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty { throw .newerSchema(path: location, unknownMigrations: unknown.sorted()) }
        // An older schema is read as it is, as SQLite's is (a read-only command
        // never upgrades; the reads check for the tables and columns of later
        // steps). Every PostgreSQL store has the compact layout of step 3.
        if !applied.contains(StoreSchema.compactLayoutIdentifier) {
            throw .cannotOpen(path: location, reason: "the store's schema is not complete; run a command that writes (e.g. `slowreg ingest`) to upgrade it")
        }
    }

    /// The schema steps this store lacks, in order, in one transaction under
    /// the schema lock, each recorded in `grdb_migrations` as in SQLite.
    private static func prepareSchema(_ transactions: PostgresTransactions, location: String) throws(StoreError) {
        let known = Set(StoreSchema.migrations.map(\.identifier))
        try transactions.write { db in
            try db.execute("SELECT pg_advisory_xact_lock(?)", [schemaLockKey])
            let (tables, applied) = try appliedSteps(db)
            if !tables.isEmpty && applied.isDisjoint(with: known) { throw StoreError.notASlowregStore(path: location) }
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty { throw StoreError.newerSchema(path: location, unknownMigrations: unknown.sorted()) }
            try db.execute("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for step in StoreSchema.migrations where !applied.contains(step.identifier) {
                for statement in StoreSchema.statements(StoreSchema.postgresSQL(step.sql)) { try db.execute(statement) }
                try step.dataStep?(db)
                try db.execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", [step.identifier])
            }
        }
    }
}

/// What a `postgresql://` URL says.
struct PostgresTarget: Sendable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var sslMode: String
    /// The URL without its password, for messages.
    var redacted: String

    init(url: String, environment: [String: String]) throws(StoreError) {
        let problem = { (reason: String) in StoreError.cannotOpen(path: url.replacingOccurrences(of: #"(://[^:/@]*):[^@]*@"#, with: "$1:***@", options: .regularExpression), reason: reason) }
        guard PostgresStore.isURL(url), let components = URLComponents(string: url) else {
            throw problem("not a URL of the form postgresql://user@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else { throw problem("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw problem("the URL names no user (postgresql://user@host/database)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw problem("the URL names no database (postgresql://user@host/database)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw problem("port \(port) is not a TCP port") }
        var sslMode = "prefer"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, ["disable", "prefer", "require"].contains(value) else {
                    throw problem("sslmode must be disable, prefer or require")
                }
                sslMode = value
            default:
                throw problem("unknown URL parameter \"\(item.name)\" (only sslmode is understood)")
            }
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password ?? environment["PGPASSWORD"]
        self.database = database
        self.sslMode = sslMode
        self.redacted = "postgresql://\(user)\(components.password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }
}

/// The transactions of a PostgreSQL store over its one connection.
struct PostgresTransactions: SQLTransactions {
    let pool: PostgresSession.Pool
    let location: String

    func read<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        try pool.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        try pool.transaction("BEGIN", body)
    }

    /// PostgreSQL checks its pages as it reads and writes them; what is
    /// checked here is that every table of the schema is there.
    func integrityCheck() throws(StoreError) -> String {
        try read { db in
            let tables = Set<String>(try db.values("""
                SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()
                """))
            let wanted = ["series", "measurements", "diagnostics", "comparisons", "intervals", "day_draws", "draws",
                          "model_input", "model_input_parts", "model_input_rows", "model_input_chunks", "claims",
                          "change_days", "noise_choice"]
            let missing = wanted.filter { !tables.contains($0) }
            return missing.isEmpty ? "ok" : "missing tables: " + missing.joined(separator: ", ")
        }
    }

    func vacuum() throws(StoreError) {
        try pool.withConnection { connection throws(StoreError) in try connection.outsideTransaction("VACUUM", location: location) }
    }
}

/// A transaction on a PostgreSQL connection as an ``SQLSession``: `?`
/// placeholders become `$1, $2, …`, values are sent in binary.
struct PostgresSession: SQLSession {
    /// Most parameters one statement may carry (the protocol's limit is 65,535).
    static let maxParameters = 30_000

    let connection: PostgresConnection

    var dialect: SQLDialect { .postgresql }

    /// The connections of one store: a transaction takes a free one, and a
    /// new one is opened when all are busy, up to one per core — so the
    /// concurrent jobs of a daily run write at the same time, as separate
    /// processes do, instead of taking turns on one connection.
    final class Pool: Sendable {
        let target: PostgresTarget
        let location: String
        let limit: Int
        private let state: NIOLockedValueBox<(idle: [Connection], all: [Connection])>
        private let available: DispatchSemaphore

        init(first: Connection, target: PostgresTarget, location: String,
             limit: Int = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)) {
            self.target = target
            self.location = location
            self.limit = limit
            state = NIOLockedValueBox((idle: [first], all: [first]))
            available = DispatchSemaphore(value: limit)
        }

        /// Runs `body` on a connection no other transaction is using.
        func withConnection<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
            available.wait()
            defer { available.signal() }
            let idle = state.withLockedValue { $0.idle.popLast() }
            let connection: Connection
            if let idle {
                connection = idle
            } else {
                // Fewer than `limit` are busy (the semaphore), so one more may open.
                connection = try Connection.open(target, location: location)
                state.withLockedValue { $0.all.append(connection) }
            }
            defer { state.withLockedValue { $0.idle.append(connection) } }
            return try body(connection)
        }

        func transaction<T>(_ begin: String, _ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
            try withConnection { connection throws(StoreError) in try connection.transaction(begin, location: location, body) }
        }

        func close() {
            for connection in state.withLockedValue({ $0.all }) { connection.close() }
        }
    }

    /// One connection, one transaction at a time.
    final class Connection: Sendable {
        let connection: PostgresConnection
        let lock = NIOLock()

        private init(_ connection: PostgresConnection) { self.connection = connection }

        static func open(_ target: PostgresTarget, location: String) throws(StoreError) -> Connection {
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch target.sslMode {
                case "disable": tls = .disable
                case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            } catch {
                throw .cannotOpen(path: location, reason: "TLS: \(error)")
            }
            var configuration = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                                 password: target.password, database: target.database, tls: tls)
            configuration.options.connectTimeout = PostgresStore.connectTimeout
            var logger = Logger(label: "slowreg.postgres")
            logger.logLevel = .critical
            do {
                let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                                configuration: configuration, id: 1, logger: logger).wait()
                return Connection(connection)
            } catch {
                throw .cannotOpen(path: location, reason: connectionFailure(error, target: target))
            }
        }

        /// Why connecting failed, on one short line: the server's message
        /// (a wrong password, a missing database) or the network's
        /// (`cannot connect to host:port: Connection refused`).
        static func connectionFailure(_ error: any Error, target: PostgresTarget) -> String {
            guard let psql = error as? PSQLError, psql.serverInfo == nil else { return PostgresSession.message(error) }
            var cause: any Error = psql.underlying ?? error
            if let attempts = cause as? NIOConnectionError {
                cause = attempts.connectionErrors.first?.error ?? attempts.dnsAError ?? attempts.dnsAAAAError ?? cause
            }
            let reason: String
            if let io = cause as? IOError {
                reason = String(cString: strerror(io.errnoCode))
            } else if let channel = cause as? ChannelError, case .connectTimeout = channel {
                reason = "no answer within \(PostgresStore.connectTimeout.nanoseconds / 1_000_000_000) s"
            } else if cause is SocketAddressError || (error as? NIOConnectionError)?.dnsAError != nil {
                reason = "host not found"
            } else {
                reason = PostgresSession.message(error)
            }
            return "cannot connect to \(target.host):\(target.port): \(reason)"
        }

        func close() { try? connection.close().wait() }

        /// `body` between `begin` and `COMMIT`, or `ROLLBACK` when it throws.
        func transaction<T>(_ begin: String, location: String, _ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
            lock.lock()
            defer { lock.unlock() }
            let session = PostgresSession(connection: connection)
            do {
                _ = try connection.simpleQuery(begin).wait()
            } catch {
                throw PostgresSession.map(error, location: location)
            }
            do {
                let result = try body(session)
                _ = try connection.simpleQuery("COMMIT").wait()
                return result
            } catch {
                _ = try? connection.simpleQuery("ROLLBACK").wait()
                throw PostgresSession.map(error, location: location)
            }
        }

        func outsideTransaction(_ sql: String, location: String) throws(StoreError) {
            lock.lock()
            defer { lock.unlock() }
            do { _ = try connection.simpleQuery(sql).wait() } catch { throw PostgresSession.map(error, location: location) }
        }
    }

    /// The server's message (with its SQLSTATE) or the connection's failure, on one line.
    static func message(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo, let text = info[.message] {
                let detail = info[.detail].map { " (\($0))" } ?? ""
                return text + detail + (info[.sqlState].map { " [SQLSTATE \($0)]" } ?? "")
            }
            if let underlying = psql.underlying { return "\(underlying)" }
            return "\(psql.code)"
        }
        return "\(error)"
    }

    static func map(_ error: any Error, location: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        return .database(path: location, message: message(error))
    }

    /// `sql` with its `?` placeholders numbered (`$1`, `$2`, …); a `?`
    /// inside a quoted literal or identifier is left alone.
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: return .null
        case .integer(let v): return PostgresData(int64: v)
        case .real(let v): return PostgresData(double: v)
        case .text(let v): return PostgresData(string: v)
        case .blob(let v): return PostgresData(bytes: [UInt8](v))
        }
    }

    private func run(_ sql: String, _ arguments: [any SQLArgument]) throws -> PostgresQueryResult {
        try connection.query(Self.numbered(sql), arguments.map { Self.data($0.sqlValue) }).wait()
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func rows(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow] {
        try Self.rows(of: try run(sql, arguments))
    }

    static func rows(of result: PostgresQueryResult) throws -> [SQLRow] {
        guard let first = result.rows.first else { return [] }
        let columns = SQLColumns(first.map(\.columnName))
        return try result.rows.map { row in SQLRow(columns: columns, values: try row.map(Self.value)) }
    }

    /// A cell of a result as one of the five kinds.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            guard let bytes = cell.bytes else { return .null }
            return .blob(Data(bytes.readableBytesView))
        case .numeric:
            let text = try cell.decode(String.self)
            guard let v = Double(text) else { throw SQLColumnError(column: cell.columnName, wanted: "a number", found: .text(text)) }
            return .real(v)
        default:
            return .text(try cell.decode(String.self))
        }
    }

    /// Many rows per statement (up to ``maxParameters`` values): one round
    /// trip for a day's worth of draws or a batch of measurements.
    @discardableResult
    func insert(into table: String, columns: [String], rows: [[any SQLArgument]], ignoringConflicts: Bool) throws -> Int {
        var inserted = 0
        try insertBatches(into: table, columns: columns, rows: rows, suffix: ignoringConflicts ? " ON CONFLICT DO NOTHING" : "") {
            inserted += $0.metadata.rows ?? 0
        }
        return inserted
    }

    func insertReturning(into table: String, columns: [String], rows: [[any SQLArgument]], returning: String) throws -> [SQLRow] {
        var out: [SQLRow] = []
        try insertBatches(into: table, columns: columns, rows: rows, suffix: " RETURNING \(returning)") {
            out += try Self.rows(of: $0)
        }
        return out
    }

    private func insertBatches(into table: String, columns: [String], rows: [[any SQLArgument]], suffix: String,
                               _ each: (PostgresQueryResult) throws -> Void) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let perStatement = Swift.max(1, Self.maxParameters / columns.count)
        var start = 0
        while start < rows.count {
            let batch = rows[start..<Swift.min(rows.count, start + perStatement)]
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            var parameter = 0
            var values: [PostgresData] = []
            values.reserveCapacity(batch.count * columns.count)
            for (i, row) in batch.enumerated() {
                sql += i == 0 ? "(" : ", ("
                for (j, value) in row.enumerated() {
                    parameter += 1
                    sql += j == 0 ? "$\(parameter)" : ", $\(parameter)"
                    values.append(Self.data(value.sqlValue))
                }
                sql += ")"
            }
            try each(try connection.query(sql + suffix, values).wait())
            start += batch.count
        }
    }

    func tableExists(_ name: String) throws -> Bool {
        try value("""
            SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?
            """, [name]) ?? 0 > 0
    }
}
