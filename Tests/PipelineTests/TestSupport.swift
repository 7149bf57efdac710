import Foundation
import Store
import Testing

/// Shared helpers of the Pipeline tests: fixtures, temporary directories,
/// small stores.
enum TestSupport {
    static func fixtureURL(_ name: String, _ ext: String, subdirectory: String = "Fixtures") -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: subdirectory) else {
            preconditionFailure("missing test fixture \(subdirectory)/\(name).\(ext)")
        }
        return url
    }

    static func fixtureData(_ name: String, _ ext: String, subdirectory: String = "Fixtures") throws -> Data {
        try Data(contentsOf: fixtureURL(name, ext, subdirectory: subdirectory))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String = #function) throws -> URL {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("slowreg-pipeline-tests-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` (or raw bytes) to `name` in `directory`.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        try write(Data(text.utf8), to: name, in: directory)
    }

    @discardableResult
    static func write(_ data: Data, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// A new store in a new temporary directory.
    static func newStore(_ label: String = #function) throws -> (SQLiteStore, URL) {
        let directory = try temporaryDirectory(label)
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        return (store, directory)
    }

    /// Outlier scores as schema steps 3–6 stored them (little-endian Float64,
    /// NaN for none), to make a store back into an older one.
    static func legacyScoreBytes(_ scores: [Double?]) -> [UInt8] {
        scores.flatMap { score in (0..<8).map { UInt8(truncatingIfNeeded: (score ?? .nan).bitPattern >> (8 * UInt64($0))) } }
    }

    static func date(_ text: String) -> Date {
        guard let date = TimestampParser.parse(text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    /// Everything observable in a store, to check that a failed call changed nothing.
    static func snapshot(_ store: SQLiteStore) throws -> [String] {
        var lines = try store.rowCounts().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for series in try store.listSeries(.all) {
            lines.append("\(series)")
            lines += try store.measurements(seriesId: series.id, from: nil, through: nil).map { "\($0)" }
        }
        return lines
    }

    static func record(_ time: String, suite: String = "tabpaint", test: String = "", platform: String = "linux64-shippable",
                       value: Double, project: String = "mozilla-beta", framework: String = "talos",
                       taskId: String = "", label: String = "", extraOptions: String = "") -> PerfRecord {
        PerfRecord(time: date(time), project: project, framework: framework, suite: suite, test: test,
                   platform: platform, value: value, taskId: taskId, label: label, extraOptions: extraOptions)
    }
}

/// The store backends a store test runs on: SQLite always, PostgreSQL when
/// the test scripts started a throwaway server (`scripts/postgres-test-server.sh`
/// sets `SLOWREG_TEST_POSTGRES`; `scripts/test.sh` always does).
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgresql

    var testDescription: String { rawValue }

    static let serverURL = ProcessInfo.processInfo.environment["SLOWREG_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let serverBin = ProcessInfo.processInfo.environment["SLOWREG_TEST_POSTGRES_BIN"] ?? "/usr/bin"

    /// Every backend this run can test.
    static var available: [StoreBackend] { serverURL == nil ? [.sqlite] : [.sqlite, .postgresql] }

    /// A new, empty store: a file in a new directory, or a new database on the server.
    func newStore(_ label: String = #function) throws -> SQLStore {
        switch self {
        case .sqlite: return try TestSupport.newStore(label).0
        case .postgresql: return try PostgresStore(url: try Self.newDatabase(label))
        }
    }

    /// The location of a new store (a path in a new directory, or the URL of a new database).
    func newLocation(_ label: String = #function) throws -> String {
        switch self {
        case .sqlite: return try TestSupport.temporaryDirectory(label).appendingPathComponent("store.sqlite").path
        case .postgresql: return try Self.newDatabase(label)
        }
    }

    /// Creates a database of its own for one test on the test server and returns its URL.
    static func newDatabase(_ label: String) throws -> String {
        guard let server = serverURL, let base = URLComponents(string: server) else {
            throw StoreError.invalidArgument("no PostgreSQL test server (SLOWREG_TEST_POSTGRES)")
        }
        let name = "t_" + String(label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)) + "_"
            + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try psql(base, "CREATE DATABASE \(name)")
        var url = base
        url.path = "/" + name
        return url.string ?? server
    }

    /// Runs one SQL command on the test server's database `slowreg_test` with `psql`.
    @discardableResult
    static func psql(_ server: URLComponents, _ sql: String, database: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: serverBin + "/psql")
        var url = server
        if let database { url.path = "/" + database }
        process.arguments = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url.string ?? "", "-c", sql]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StoreError.database(path: "psql", message: problem) }
        return text
    }
}
