import Foundation
import Store
import Testing

/// `slowreg ingest` and `slowreg fetch` through the built executable: exit
/// statuses, one-line errors, and two processes writing one store.
@Suite("slowreg ingest / fetch executables", .serialized, .timeLimit(.minutes(2)))
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `slowreg` executable of the same build as these tests.
    static var executable: URL {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("slowreg")
    }

    static func start(_ arguments: [String], environment: [String: String] = [:], in directory: URL) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: StoreLocation.environmentVariable)
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Run {
        let (process, out, err) = started
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL) throws -> Run {
        finish(try start(arguments, environment: environment, in: directory))
    }

    @Test("the executable was built beside the tests")
    func executableExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path))
    }

    @Test("ingest reports rows read, added and skipped per file")
    func ingestReports() throws {
        let directory = try TestSupport.temporaryDirectory()
        let csv = TestSupport.fixtureURL("mozilla-beta_3891031", "csv").path
        let first = try Self.run(["ingest", csv, "--store", "s.sqlite"], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("730 rows read, 730 added, 0 skipped as duplicates"))
        let second = try Self.run(["ingest", csv, "--store", "s.sqlite"], in: directory)
        #expect(second.stdout.contains("730 rows read, 0 added, 730 skipped as duplicates"))
    }

    @Test("the store defaults to $SLOWREG_STORE, else ./slowreg.sqlite")
    func storeLocation() throws {
        let directory = try TestSupport.temporaryDirectory()
        let csv = TestSupport.fixtureURL("mozilla-beta_3534783", "csv").path
        #expect(try Self.run(["ingest", csv], in: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("slowreg.sqlite").path))
        #expect(try Self.run(["ingest", csv], environment: ["SLOWREG_STORE": "env.sqlite"], in: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("env.sqlite").path))
    }

    @Test("bad input: one line on stderr naming file, line and field; exit 2; store unchanged")
    func badInput() throws {
        let directory = try TestSupport.temporaryDirectory()
        let good = TestSupport.fixtureURL("mozilla-beta_3891031", "csv").path
        #expect(try Self.run(["ingest", good, "--store", "s.sqlite"], in: directory).status == 0)
        let store = try SQLiteStore(path: directory.appendingPathComponent("s.sqlite").path)
        let before = try TestSupport.snapshot(store)
        try TestSupport.write("push_timestamp,value,suite,machine_platform\n2023-05-22 10:00:00,inf,s,p\n", to: "bad.csv", in: directory)
        let run = try Self.run(["ingest", "bad.csv", "--store", "s.sqlite"], in: directory)
        #expect(run.status == 2)
        #expect(run.stderr == "slowreg: bad.csv: line 2, field \"value\": \"inf\" is not a finite number\n")
        #expect(run.stdout.isEmpty)
        #expect(try TestSupport.snapshot(store) == before)
    }

    @Test("a store that is not SQLite: one line, exit 2, file untouched")
    func notSQLiteStore() throws {
        let directory = try TestSupport.temporaryDirectory()
        let notes = try TestSupport.write("my notes\n", to: "notes.txt", in: directory)
        let csv = TestSupport.fixtureURL("mozilla-beta_3891031", "csv").path
        let run = try Self.run(["ingest", csv, "--store", "notes.txt"], in: directory)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("slowreg: notes.txt: not an SQLite database"))
        #expect(run.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\n")
    }

    @Test("a bad --format is a usage error")
    func badFormatOption() throws {
        let directory = try TestSupport.temporaryDirectory()
        let run = try Self.run(["ingest", "x.csv", "--format", "xml"], in: directory)
        #expect(run.status != 0)
        #expect(run.stderr.contains("--format must be one of"))
    }

    @Test("--help describes ingest and fetch", arguments: [("ingest", "--columns"), ("fetch", "--signature")])
    func help(command: String, option: String) throws {
        let run = try Self.run([command, "--help"], in: try TestSupport.temporaryDirectory())
        #expect(run.status == 0)
        #expect(run.stdout.contains(option))
        #expect(run.stdout.contains("--store"))
    }

    @Test("two processes creating and filling one store at once", arguments: 0..<3)
    func twoProcesses(round: Int) throws {
        let directory = try TestSupport.temporaryDirectory()
        let files = [TestSupport.fixtureURL("mozilla-beta_3891031", "csv").path, TestSupport.fixtureURL("mozilla-beta_3534783", "csv").path]
        let a = try Self.start(["ingest", files[0], files[1], "--store", "shared.sqlite"], in: directory)
        let b = try Self.start(["ingest", files[1], files[0], "--store", "shared.sqlite"], in: directory)
        let runs = [Self.finish(a), Self.finish(b)]
        #expect(runs.map(\.status) == [0, 0], "\(runs.map(\.stderr))")
        let store = try SQLiteStore(path: directory.appendingPathComponent("shared.sqlite").path)
        #expect(try store.rowCounts()["measurements"] == 730 + 921)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("fetch from a loopback Treeherder stores the data; a failing server exits 1 with one line")
    func fetch() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let directory = try TestSupport.temporaryDirectory()
        let arguments = ["--project", "mozilla-beta", "--signature", "3891031", "--since", "2023-05-20", "--until", "2023-06-09",
                         "--page-days", "10", "--store", "f.sqlite"]
        let ok = try Self.run(["fetch", "--base-url", try await server.baseURL(path: "/ok").absoluteString] + arguments, in: directory)
        let down = try Self.run(["fetch", "--base-url", try await server.baseURL(path: "/down").absoluteString, "--retries", "1"]
                                + arguments, in: directory)
        await server.stop()
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("1 signatures, 4 rows read in 5 requests, 4 added"))
        #expect(down.status == 1)
        #expect(down.stderr.contains("HTTP 503 after 2 attempts"))
        #expect(down.stderr.filter { $0 == "\n" }.count == 1)
        let store = try SQLiteStore(path: directory.appendingPathComponent("f.sqlite").path)
        #expect(try store.rowCounts()["measurements"] == 4)
    }
}
