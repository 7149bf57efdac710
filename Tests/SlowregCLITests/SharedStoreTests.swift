import Foundation
import Testing

/// The test server of `scripts/postgres-test-server.sh` (`SLOWREG_TEST_POSTGRES`),
/// one new database per test.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["SLOWREG_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let bin = ProcessInfo.processInfo.environment["SLOWREG_TEST_POSTGRES_BIN"] ?? "/usr/bin"
    static var available: Bool { url != nil }

    /// Runs `sql` on `database` (the server's own when `nil`) with psql; returns its unaligned output.
    @discardableResult
    static func psql(_ sql: String, database: String? = nil) throws -> String {
        let server = try #require(url)
        var components = try #require(URLComponents(string: server))
        if let database { components.path = "/" + database }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin + "/psql")
        process.arguments = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", components.string ?? "", "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql: \(problem)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new database; returns its name and URL.
    static func newDatabase(_ label: String = #function) throws -> (name: String, url: String) {
        let name = "cli_" + String(label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)) + "_"
            + String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(12))
        try psql("CREATE DATABASE \(name)")
        let server = try #require(url)
        var components = try #require(URLComponents(string: server))
        components.path = "/" + name
        return (name, components.string ?? "")
    }
}

/// Where a CLI test keeps its store.
enum CLIStore: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgresql
    var testDescription: String { rawValue }
    static var available: [CLIStore] { TestServer.available ? [.sqlite, .postgresql] : [.sqlite] }

    func location(_ dir: ScratchDirectory, _ label: String = #function) throws -> String {
        switch self {
        case .sqlite: return dir.path("s.sqlite")
        case .postgresql: return try TestServer.newDatabase(label).url
        }
    }
}

/// Many `slowreg run` workers on one PostgreSQL store (issue 14, SPEC §9 v2):
/// a worker killed mid-run and two concurrent ones store every series exactly
/// once, and the answers equal one SQLite process's with the same seed.
@Suite("Workers sharing a PostgreSQL store", .serialized)
struct SharedStoreTests {
    static let runDate = "2024-06-30"

    /// Eight 90-day series, some with a step at the end.
    static func csv(_ dir: ScratchDirectory) throws -> String {
        var csv = "push_timestamp,value,machine_platform,suite,lower_is_better\n"
        for k in 0..<8 {
            for line in seriesCSV(seed: UInt64(40 + k), stepPercent: k % 3 == 0 ? 4 : 0, days: 90).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                csv += "\(f[0]),\(f[1]),platform-\(k),tabpaint,True\n"
            }
        }
        let path = dir.path("runs.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func comparisons(_ store: String) throws -> [[String: String]] {
        let compare = try Slowreg.run(["compare", "--date", runDate, "--format", "json", "--store", store])
        #expect(compare.status == 0, "\(compare.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["comparisons"] as? [[String: Any]])
        return rows.map { row in row.mapValues { "\($0)" } }
    }

    static func fitted(_ result: CommandResult) throws -> Int {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
        return try #require(object["fitted"] as? Int, "\(object)")
    }

    @Test("a worker killed mid-run, then two at once: every series stored once, answers equal to one SQLite process",
          .enabled(if: TestServer.available), .timeLimit(.minutes(10)))
    func killedAndConcurrentWorkers() throws {
        let dir = try ScratchDirectory()
        let runs = try Self.csv(dir)
        let run = ["run", "--date", Self.runDate, "--history-days", "90", "--seed", "7", "--format", "json"]

        // One SQLite process: the answer the workers must reproduce.
        let sqlite = dir.path("one.sqlite")
        #expect(try Slowreg.run(["ingest", runs, "--store", sqlite]).status == 0)
        let single = try Slowreg.run(run + ["--store", sqlite])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try Self.fitted(single) == 8)

        let (database, url) = try TestServer.newDatabase()
        #expect(try Slowreg.run(["ingest", runs, "--store", url]).status == 0)

        // A worker killed as soon as it has stored its first series; its other
        // claims are left behind and expire after its 2-second lease.
        let killed = try Slowreg.start(run + ["--lease", "2", "--store", url])
        var storedByKilled = 0
        let deadline = Date().addingTimeInterval(300)
        while storedByKilled == 0 && killed.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            storedByKilled = Int(try TestServer.psql("SELECT COUNT(*) FROM diagnostics", database: database)) ?? 0
        }
        kill(killed.process.processIdentifier, SIGKILL)
        _ = try? Slowreg.wait(killed)
        storedByKilled = Int(try TestServer.psql("SELECT COUNT(*) FROM diagnostics", database: database)) ?? 0
        #expect((1..<8).contains(storedByKilled), "killed after \(storedByKilled) of 8 series")
        Thread.sleep(forTimeInterval: 2.5)

        let workers = try (0..<2).map { _ in try Slowreg.start(run + ["--lease", "60", "--threads", "1", "--store", url]) }
        let results = try workers.map { try Slowreg.wait($0) }
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let fittedByWorkers = try results.map(Self.fitted)
        #expect(storedByKilled + fittedByWorkers.reduce(0, +) == 8,
                "each series fitted once: \(storedByKilled) before the kill, then \(fittedByWorkers)")
        #expect(fittedByWorkers.allSatisfy { $0 > 0 }, "both workers took series: \(fittedByWorkers)")
        #expect(try TestServer.psql("SELECT COUNT(*) FROM diagnostics", database: database) == "8")
        #expect(try TestServer.psql("SELECT COUNT(*) FROM claims", database: database) == "0", "no claim left behind")

        #expect(try Self.comparisons(url) == Self.comparisons(sqlite), "same seed, same answers on both backends")

        let diagnose = try Slowreg.run(["diagnose", "--store", url])
        #expect(diagnose.status == 0, "\(diagnose.stderr)")
        #expect(diagnose.stdout.contains("slowreg:***@") && !diagnose.stdout.contains(":slowreg@"), "no password shown")
    }
}

extension SharedStoreTests {
    @Test("a PostgreSQL store that cannot be used is one line and exit 2 for every command, nothing written",
          .enabled(if: TestServer.available))
    func badServers() throws {
        let dir = try ScratchDirectory()
        let csv = try Self.csv(dir)
        let (database, url) = try TestServer.newDatabase()
        let wrongPassword = url.replacingOccurrences(of: "slowreg:slowreg@", with: "slowreg:nope@")
        let unreachable = "postgresql://slowreg:nope@127.0.0.1:1/\(database)"
        for store in [wrongPassword, unreachable] {
            for command in [["ingest", csv], ["run", "--date", "2024-06-30"], ["compare", "--date", "2024-06-30"],
                            ["diagnose"], ["prune", "--keep-run-dates", "1"]] {
                let result = try Slowreg.run(command + ["--store", store])
                #expect(result.status == 2, "\(command) on \(store): \(result.status) \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("nope"), "\(result.stderr)")
            }
        }
        #expect(try TestServer.psql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                                    database: database) == "0")
        // An empty database: read-only commands say there is no store and create nothing.
        let compare = try Slowreg.run(["compare", "--date", "2024-06-30", "--store", url])
        #expect(compare.status == 2 && compare.stderr.contains("no store there"), "\(compare.stderr)")
        let prune = try Slowreg.run(["prune", "--keep-run-dates", "1", "--store", url])
        #expect(prune.status == 2, "\(prune.stderr)")
        #expect(try TestServer.psql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                                    database: database) == "0")
    }
}
