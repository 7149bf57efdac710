import Foundation
import GRDB
import Store
import Ingest
import Testing

/// The PostgreSQL store (issue 14) against the throwaway server of
/// `scripts/postgres-test-server.sh`: the same schema and answers as SQLite,
/// claims that hold between connections, and one clear error for bad input.
@Suite("PostgresStore: schema, views, claims, bad input")
struct PostgresStoreTests {
    static var server: Bool { StoreBackend.serverURL != nil }

    @Test("the test scripts started a PostgreSQL server when they promised one")
    func serverPresentWhenRequired() {
        let required = ProcessInfo.processInfo.environment["SLOWREG_TEST_POSTGRES_REQUIRED"] == "1"
        #expect(!required || Self.server, "scripts/test.sh sets SLOWREG_TEST_POSTGRES; the PostgreSQL tests did not run")
    }

    // MARK: URLs and unreachable servers (no server needed)

    @Test("a malformed URL is one clear error that never shows the password", arguments: [
        ("postgresql://", "names no host"),
        ("postgresql://127.0.0.1/db", "names no user"),
        ("postgresql://me:secret@127.0.0.1:5432", "names no database"),
        ("postgresql://me:secret@127.0.0.1:5432/db?sslmode=maybe", "sslmode must be"),
        ("postgresql://me:secret@127.0.0.1:5432/db?user=x", "unknown URL parameter"),
    ])
    func malformedURL(url: String, message: String) {
        do {
            _ = try PostgresStore(url: url)
            Issue.record("opened \(url)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("secret"), "\(error)")
        }
    }

    @Test("an unreachable server is a cannot-open error naming the URL without its password")
    func unreachableServer() {
        let started = Date()
        do {
            _ = try PostgresStore(url: "postgresql://me:secret@127.0.0.1:1/db")
            Issue.record("connected to port 1")
        } catch {
            guard case .cannotOpen(let path, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == "postgresql://me:***@127.0.0.1:1/db")
            #expect(reason == "cannot connect to 127.0.0.1:1: Connection refused", "\(reason)")
            #expect(!error.description.contains("\n"))
        }
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test("StoreLocation.open picks the backend from the location")
    func backendFromLocation() throws {
        #expect(PostgresStore.isURL("postgresql://u@h/d") && PostgresStore.isURL("postgres://u@h/d"))
        #expect(!PostgresStore.isURL("./postgresql.sqlite"))
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("s.sqlite").path
        #expect(try StoreLocation.open(path).backendName == "SQLite")
    }

    // MARK: Against the server

    @Test("wrong credentials: one line saying so, nothing created", .enabled(if: server))
    func wrongCredentials() throws {
        let url = try StoreBackend.newDatabase("wrongCredentials")
        let wrong = url.replacingOccurrences(of: "slowreg:slowreg@", with: "slowreg:wrong@")
        do {
            _ = try PostgresStore(url: wrong)
            Issue.record("opened with a wrong password")
        } catch {
            #expect(error.description.contains("password authentication failed"), "\(error)")
            #expect(!error.description.contains("wrong@"), "\(error)")
        }
        let tables = try StoreBackend.psql(try #require(URLComponents(string: url)),
                                           "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                                           database: String(url.split(separator: "/").last ?? ""))
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test("a missing database is a cannot-open error", .enabled(if: server))
    func missingDatabase() throws {
        let url = try #require(StoreBackend.serverURL).replacingOccurrences(of: "/slowreg_test", with: "/no_such_database")
        #expect(throws: StoreError.self) { try PostgresStore(url: url) }
    }

    @Test("read-only: an empty database is no store; a store is read without any write", .enabled(if: server))
    func readOnly() throws {
        let url = try StoreBackend.newDatabase("readOnly")
        #expect(throws: StoreError.noStore(path: url.replacingOccurrences(of: ":slowreg@", with: ":***@"))) {
            try PostgresStore(url: url, access: .readOnly)
        }
        let writer = try PostgresStore(url: url)
        let id = try SeriesResultsTests.seriesId(in: writer)
        try writer.writeResults(SeriesResultsTests.results(seriesId: id), replace: false)
        let reader = try PostgresStore(url: url, access: .readOnly)
        #expect(try reader.runDates() == ["2020-05-10"])
        #expect(throws: StoreError.self) { try reader.ingest([]) }
        #expect(try reader.integrityCheck() == "ok")
    }

    @Test("a store of a newer slowreg, or another program's database, is refused; nothing is written", .enabled(if: server))
    func newerAndForeign() throws {
        let url = try StoreBackend.newDatabase("newerSchema")
        let components = try #require(URLComponents(string: url))
        let name = String(url.split(separator: "/").last ?? "")
        _ = try PostgresStore(url: url)
        try StoreBackend.psql(components, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')", database: name)
        for access in [SQLiteStore.Access.readWrite, .readOnly] {
            do {
                _ = try PostgresStore(url: url, access: access)
                Issue.record("opened a newer store")
            } catch {
                guard case .newerSchema(_, let unknown) = error else { Issue.record("\(error)"); continue }
                #expect(unknown == ["v99-from-the-future"])
            }
        }
        let foreign = try StoreBackend.newDatabase("foreign")
        let foreignName = String(foreign.split(separator: "/").last ?? "")
        try StoreBackend.psql(components, "CREATE TABLE customers (id int)", database: foreignName)
        #expect(throws: StoreError.notASlowregStore(path: foreign.replacingOccurrences(of: ":slowreg@", with: ":***@"))) {
            try PostgresStore(url: foreign)
        }
        let tables = try StoreBackend.psql(components, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                                           database: foreignName)
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "only the program's own table")
    }

    @Test("a v6 store's Float64 scores read as they are, and become Float32 blobs, view included, on upgrade", .enabled(if: server))
    func upgradeScoresFromVersion6() throws {
        let url = try StoreBackend.newDatabase("scoresV6")
        let components = try #require(URLComponents(string: url))
        let name = String(url.split(separator: "/").last ?? "")
        func psql(_ sql: String) throws -> String {
            try StoreBackend.psql(components, sql, database: name).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let store = try PostgresStore(url: url)
        let id = try SeriesResultsTests.seriesId(in: store)
        let results = SeriesResultsTests.results(seriesId: id)
        try store.writeResults(results, replace: false)
        // Made back into a v6 store: the scores 8 bytes a row, as steps 3–6 wrote them.
        func hex(_ bytes: [UInt8]) -> String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        var downgrade = ""
        for line in try psql("SELECT first_seq || '|' || encode(z, 'hex') FROM model_input_parts").split(separator: "\n") {
            let fields = line.split(separator: "|").map(String.init)
            let text = Array(fields[1].utf8)
            let bytes = stride(from: 0, to: text.count, by: 2).map { UInt8(String(decoding: text[$0..<($0 + 2)], as: UTF8.self), radix: 16) ?? 0 }
            let scores = try #require(ScoreBlob.decode(Data(bytes), count: bytes.count / 4))
            let legacy = hex(TestSupport.legacyScoreBytes(scores))
            downgrade += "UPDATE model_input_parts SET z = decode('\(legacy)', 'hex') WHERE first_seq = \(fields[0]); "
        }
        let v7 = try #require(StoreSchema.migrations.last?.identifier)
        _ = try psql(downgrade + """
            CREATE TABLE float64_scales (exponent BIGINT PRIMARY KEY, scale DOUBLE PRECISION NOT NULL);
            DELETE FROM grdb_migrations WHERE identifier = '\(v7)'
            """)
        let width = "SELECT SUM(length(z)) FROM model_input_parts"
        #expect(try psql(width) == "\(8 * results.modelInput.count)")
        #expect(try PostgresStore(url: url, access: .readOnly).results(runDate: "2020-05-10", seriesId: id) == results)
        #expect(try psql(width) == "\(8 * results.modelInput.count)", "a read-only open converts nothing")

        let upgraded = try PostgresStore(url: url)
        #expect(try psql(width) == "\(4 * results.modelInput.count)")
        #expect(try upgraded.results(runDate: "2020-05-10", seriesId: id) == results)
        let viewScores = try psql("SET extra_float_digits = 3; SELECT coalesce(z::text, 'NULL') FROM model_input WHERE run_date = '2020-05-10' ORDER BY seq")
        #expect(viewScores.split(separator: "\n").map { Double($0) } == results.modelInput.map(\.z), "\(viewScores)")
        #expect(try psql("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'float64_scales'") == "0")
    }

    @Test("two processes creating one store at once both succeed, with one schema", .enabled(if: server))
    func concurrentCreation() async throws {
        let url = try StoreBackend.newDatabase("concurrentCreation")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try PostgresStore(url: url) } }
            try await group.waitForAll()
        }
        let store = try PostgresStore(url: url)
        #expect(try store.coverage().store_schema_version == StoreSchema.currentVersion)
    }

    @Test("claims between connections: of many concurrent claimers of a series exactly one wins", .enabled(if: server))
    func concurrentClaims() async throws {
        let url = try StoreBackend.newDatabase("concurrentClaims")
        let setup = try PostgresStore(url: url)
        for suite in ["a", "b", "c"] {
            _ = try setup.ingest(Selection.keepAll.apply([TestSupport.record("2020-05-01", suite: suite, value: 1)]).kept)
        }
        let ids = try setup.listSeries(.all).map(\.id)
        let outcomes = try await withThrowingTaskGroup(of: [ClaimOutcome].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    let store = try PostgresStore(url: url)
                    return try ids.map { id in
                        try store.claim(StoreContractTests.request(id: id, owner: "worker-\(worker)"))
                    }
                }
            }
            var all: [[ClaimOutcome]] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        for (index, _) in ids.enumerated() {
            let claimed = outcomes.filter { $0[index] == .claimed }.count
            #expect(claimed == 1, "series \(index): \(claimed) workers claimed it")
        }
    }

    @Test("the same results read back from both backends, and the analyst views decode the same draws and input",
          .enabled(if: server))
    func viewsAgree() throws {
        let (sqlite, directory) = try TestSupport.newStore()
        let url = try StoreBackend.newDatabase("viewsAgree")
        let postgres = try PostgresStore(url: url)
        var written: [SeriesResults] = []
        for store in [sqlite as SQLStore, postgres] {
            let id = try SeriesResultsTests.seriesId(in: store)
            var results = SeriesResultsTests.results(seriesId: id, scale: 1.37)
            results.draws[0].level = [-0.0, 1e-40, -3.25e7, Float.leastNormalMagnitude]   // signs, subnormals, large
            results.modelInput[0].z = -1.5e-40                                           // a Float32 subnormal
            try store.writeResults(results, replace: false)
            #expect(try store.results(runDate: "2020-05-10", seriesId: id) == results)
            written.append(results)
        }
        let query = """
            SELECT date, draw, level, predictive FROM draws WHERE run_date = '2020-05-10' ORDER BY date, draw
            """
        let inputQuery = "SELECT seq, day, y, z, outlier FROM model_input WHERE run_date = '2020-05-10' ORDER BY seq"
        let sqliteRows = try DatabaseQueue(path: directory.appendingPathComponent("store.sqlite").path).read { db in
            (try Row.fetchAll(db, sql: query).map { row -> String in
                let level: Double = row["level"], predictive: Double? = row["predictive"]
                return "\(row["date"] as String)|\(row["draw"] as Int)|\(level)|\(predictive.map { "\($0)" } ?? "")"
            },
             try Row.fetchAll(db, sql: inputQuery).map { row -> String in
                let z: Double? = row["z"], y: Double = row["y"]
                return "\(row["seq"] as Int)|\(row["day"] as Int)|\(y)|\(z.map { "\($0)" } ?? "")|\(row["outlier"] as Int)"
            })
        }
        let components = try #require(URLComponents(string: url))
        let name = String(url.split(separator: "/").last ?? "")
        func postgresRows(_ sql: String) throws -> [[String]] {
            try StoreBackend.psql(components, "SET extra_float_digits = 3; " + sql, database: name)
                .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        }
        let pgDraws = try postgresRows(query)
        #expect(pgDraws.count == sqliteRows.0.count && pgDraws.count == 8)
        for (pg, lite) in zip(pgDraws, sqliteRows.0) {
            let l = lite.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(pg[0] == l[0] && pg[1] == l[1], "\(pg) vs \(l)")
            #expect(Double(pg[2]) == Double(l[2]), "level \(pg) vs \(l)")
            #expect(pg[3].isEmpty ? l[3].isEmpty : Double(pg[3]) == Double(l[3]), "predictive \(pg) vs \(l)")
        }
        let pgInput = try postgresRows(inputQuery)
        #expect(pgInput.count == 3 && sqliteRows.1.count == 3)
        for (pg, lite) in zip(pgInput, sqliteRows.1) {
            let l = lite.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(pg[0] == l[0] && pg[1] == l[1] && Double(pg[2]) == Double(l[2]) && pg[4] == l[4], "\(pg) vs \(l)")
            #expect(pg[3].isEmpty ? l[3].isEmpty : Double(pg[3]) == Double(l[3]), "z \(pg) vs \(l)")
        }
        // The decoded view equals what the store API returns.
        let first = try #require(written.last?.draws.first)
        #expect(pgDraws.prefix(4).map { Double($0[2]) } == first.level.map { Double($0) })
    }
}

extension PostgresStoreTests {
    @Test("the README's query comparing two days from paired draws gives the draw-by-draw answer on PostgreSQL",
          .enabled(if: server))
    func readmeQueryOnPostgres() throws {
        let url = try StoreBackend.newDatabase("readmeQuery")
        let expected = try CompactStoreTests.readmeQueryFixture(try PostgresStore(url: url))
        let sql = try CompactStoreTests.readmeSQL(after: "Compare two stored days of one series in SQL")
        let output = try StoreBackend.psql(try #require(URLComponents(string: url)), sql,
                                           database: String(url.split(separator: "/").last ?? ""))
        let fields = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map { Double($0) }
        #expect(fields.count == 2, "\(output)")
        let pWorse = try #require(fields.first ?? nil), change = try #require(fields.last ?? nil)
        #expect(abs(pWorse - expected.pWorse) < 1e-12)
        #expect(abs(change - expected.change) < 1e-9)
    }
}
