import Foundation
import Pipeline

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
