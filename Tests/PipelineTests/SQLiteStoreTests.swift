import Foundation
import Store
import Ingest
import Testing

@Suite("SQLiteStore: series, measurements, schema and safety")
struct SQLiteStoreTests {
    func rows(_ records: [PerfRecord]) -> [IngestRecord] { Selection.keepAll.apply(records).kept }

    @Test("a new store has every table of the schema, at the current version")
    func schema() throws {
        let (store, _) = try TestSupport.newStore()
        let counts = try store.rowCounts()
        #expect(Set(counts.keys) == ["series", "measurements", "model_input", "intervals", "draws", "diagnostics", "comparisons"])
        #expect(counts.values.allSatisfy { $0 == 0 })
        #expect(StoreSchema.currentVersion == 7)
        #expect(try store.coverage().store_schema_version == 7)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("reopening a store keeps its data")
    func reopen() throws {
        let (store, directory) = try TestSupport.newStore()
        _ = try store.ingest(rows([TestSupport.record("2020-05-01", value: 1)]))
        let again = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        #expect(try again.rowCounts()["measurements"] == 1)
    }

    @Test("ingesting the same rows twice adds nothing; repeats within a call count as duplicates")
    func idempotentIngest() throws {
        let (store, _) = try TestSupport.newStore()
        let records = [
            TestSupport.record("2020-05-01T10:00:00Z", value: 1, taskId: "A"),
            TestSupport.record("2020-05-01T10:00:00Z", value: 1, taskId: "A"),
            TestSupport.record("2020-05-01T10:00:00Z", value: 1, taskId: "B"),
            TestSupport.record("2020-05-02T10:00:00Z", value: 2),
        ]
        let first = try store.ingest(rows(records))
        #expect(first == IngestCounts(offered: 4, added: 3, duplicates: 1, newSeries: 1))
        let second = try store.ingest(rows(records))
        #expect(second == IngestCounts(offered: 4, added: 0, duplicates: 4, newSeries: 0))
        #expect(try store.rowCounts()["measurements"] == 3)
    }

    @Test("a series is one (project, suite, test, platform); absent project and test are ''")
    func seriesIdentity() throws {
        let (store, _) = try TestSupport.newStore()
        _ = try store.ingest(rows([
            TestSupport.record("2020-05-01", suite: "s", test: "", value: 1, project: ""),
            TestSupport.record("2020-05-02", suite: "s", test: "", value: 2, project: ""),
            TestSupport.record("2020-05-01", suite: "s", test: "t", value: 1, project: ""),
            TestSupport.record("2020-05-01", suite: "s", test: "", platform: "other", value: 1, project: ""),
            TestSupport.record("2020-05-01", suite: "s", test: "", value: 1, project: "fenix"),
        ]))
        let series = try store.listSeries(.all)
        #expect(series.count == 4)
        let plain = try #require(series.first { $0.project == "" && $0.test == "" && $0.platform == "linux64-shippable" })
        #expect(try store.measurements(seriesId: plain.id, from: nil, through: nil).count == 2)
    }

    @Test("unknown series facts are filled in later, known ones kept")
    func seriesFacts() throws {
        let (store, _) = try TestSupport.newStore()
        var first = TestSupport.record("2020-05-01", value: 1, framework: "")
        first.unit = ""
        var second = TestSupport.record("2020-05-02", value: 2, framework: "talos")
        second.unit = "ms"
        second.lowerIsBetter = false
        var third = TestSupport.record("2020-05-03", value: 3, framework: "raptor")
        third.unit = "s"
        third.lowerIsBetter = true
        _ = try store.ingest(rows([first]))
        _ = try store.ingest(rows([second]))
        _ = try store.ingest(rows([third]))
        let series = try #require(try store.listSeries(.all).first)
        #expect(series.framework == "talos")
        #expect(series.unit == "ms")
        #expect(series.lowerIsBetter == false)
        #expect(series.sname == "tabpaint")
        #expect(series.os == "linux")
    }

    @Test("listSeries filters")
    func listFilters() throws {
        let (store, _) = try TestSupport.newStore()
        _ = try store.ingest(rows([
            TestSupport.record("2020-05-01", suite: "tabswitch", platform: "windows10-64-shippable", value: 1),
            TestSupport.record("2020-06-01", suite: "raptor-tp6-a-cold", platform: "linux64-shippable", value: 1, project: "fenix"),
            TestSupport.record("2020-04-01", suite: "raptor-tp6-b-cold", platform: "linux64-shippable", value: 1, project: "fenix"),
        ]))
        #expect(try store.listSeries(SeriesFilter(project: "fenix")).count == 2)
        #expect(try store.listSeries(SeriesFilter(sname: "tp6-cold", os: "linux")).map(\.suite) == ["raptor-tp6-a-cold", "raptor-tp6-b-cold"])
        #expect(try store.listSeries(SeriesFilter(os: "windows10")).map(\.suite) == ["tabswitch"])
        #expect(try store.listSeries(SeriesFilter(withDataSince: "2020-05-01")).map(\.suite).sorted() == ["raptor-tp6-a-cold", "tabswitch"])
        #expect(throws: StoreError.self) { try store.listSeries(SeriesFilter(withDataSince: "May 1")) }
    }

    @Test("measurements come in time order within an inclusive day window")
    func measurementWindow() throws {
        let (store, _) = try TestSupport.newStore()
        _ = try store.ingest(rows([
            TestSupport.record("2020-05-03T00:00:00Z", value: 3),
            TestSupport.record("2020-05-01T23:59:59Z", value: 1),
            TestSupport.record("2020-05-02T12:00:00Z", value: 2),
            TestSupport.record("2020-05-04T00:00:00.001Z", value: 4),
            TestSupport.record("2020-04-30T23:59:59.999Z", value: 0),
        ]))
        let id = try #require(try store.listSeries(.all).first).id
        #expect(try store.measurements(seriesId: id, from: nil, through: nil).map(\.value) == [0, 1, 2, 3, 4])
        #expect(try store.measurements(seriesId: id, from: "2020-05-01", through: "2020-05-03").map(\.value) == [1, 2, 3])
        #expect(try store.measurements(seriesId: id, from: "2020-05-04", through: nil).map(\.value) == [4])
        #expect(try store.measurements(seriesId: id, from: nil, through: "2020-04-30").map(\.value) == [0])
        #expect(throws: StoreError.self) { try store.measurements(seriesId: id, from: "2020-5-1", through: nil) }
    }

    @Test("measurement fields round-trip")
    func measurementFields() throws {
        let (store, _) = try TestSupport.newStore()
        var record = TestSupport.record("2020-05-01T10:00:00.25Z", value: 12.5, taskId: "T", label: "L", extraOptions: "e10s fission")
        record.revision = "abc"
        record.version = "77.0b3"
        _ = try store.ingest(rows([record]))
        let id = try #require(try store.listSeries(.all).first).id
        let stored = try #require(try store.measurements(seriesId: id, from: nil, through: nil).first)
        #expect(stored.time == record.time)
        #expect(stored.value == 12.5)
        #expect([stored.revision, stored.taskId, stored.label, stored.extraOptions, stored.version]
                == ["abc", "T", "L", "e10s fission", "77.0b3"])
    }

    @Test("a suite name with quotes and SQL is stored verbatim and the store stays intact")
    func hostileNames() throws {
        let (store, _) = try TestSupport.newStore()
        let suite = "x'); DROP TABLE measurements; --\"\u{1F600}"
        _ = try store.ingest(rows([TestSupport.record("2020-05-01", suite: suite, test: "'; DELETE FROM series; --", value: 1)]))
        let series = try store.listSeries(SeriesFilter(suite: suite))
        #expect(series.count == 1)
        #expect(series.first?.test == "'; DELETE FROM series; --")
        #expect(try store.rowCounts()["measurements"] == 1)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("a failure in the middle of an ingest rolls back the whole call")
    func ingestRollsBack() throws {
        let (store, _) = try TestSupport.newStore()
        _ = try store.ingest(rows([TestSupport.record("2020-05-01", value: 1)]))
        let before = try TestSupport.snapshot(store)
        // NaN is stored by SQLite as NULL, which the NOT NULL value column refuses:
        // the failure comes after a new series and a measurement were inserted.
        let batch = [
            TestSupport.record("2020-05-02", suite: "new-suite", value: 2),
            TestSupport.record("2020-05-03", value: 3),
            TestSupport.record("2020-05-04", value: .nan),
        ]
        #expect(throws: StoreError.self) { try store.ingest(rows(batch)) }
        #expect(try TestSupport.snapshot(store) == before)
    }

    @Test("a file that is not SQLite is refused and left untouched")
    func notSQLite() throws {
        let directory = try TestSupport.temporaryDirectory()
        let file = try TestSupport.write("push_timestamp,value\n1,2\n", to: "data.sqlite", in: directory)
        let before = try Data(contentsOf: file)
        #expect(throws: StoreError.notSQLite(path: file.path)) { try SQLiteStore(path: file.path) }
        #expect(try Data(contentsOf: file) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["data.sqlite"])
        #expect(StoreError.notSQLite(path: file.path).description.contains("not an SQLite database"))
    }

    @Test("an SQLite database of another program is refused")
    func foreignDatabase() throws {
        let directory = try TestSupport.temporaryDirectory()
        let copy = directory.appendingPathComponent("other.db")
        try FileManager.default.copyItem(at: TestSupport.fixtureURL("foreign-database", "db"), to: copy)
        #expect(throws: StoreError.notASlowregStore(path: copy.path)) { try SQLiteStore(path: copy.path) }
    }

    @Test("a store from a newer slowreg is refused")
    func newerSchema() throws {
        let directory = try TestSupport.temporaryDirectory()
        let copy = directory.appendingPathComponent("future.db")
        try FileManager.default.copyItem(at: TestSupport.fixtureURL("future-store", "db"), to: copy)
        #expect(throws: StoreError.newerSchema(path: copy.path, unknownMigrations: ["v99-from-the-future"])) {
            try SQLiteStore(path: copy.path)
        }
    }

    @Test("a directory, or a path in a missing directory, cannot be a store")
    func badPaths() throws {
        let directory = try TestSupport.temporaryDirectory()
        #expect(throws: StoreError.self) { try SQLiteStore(path: directory.path) }
        #expect(throws: StoreError.self) { try SQLiteStore(path: directory.appendingPathComponent("no/such/dir/s.sqlite").path) }
    }

    @Test("the store location: --store, else $SLOWREG_STORE, else ./slowreg.sqlite")
    func location() {
        #expect(StoreLocation.resolve(explicit: "a.sqlite", environment: ["SLOWREG_STORE": "b.sqlite"]) == "a.sqlite")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["SLOWREG_STORE": "b.sqlite"]) == "b.sqlite")
        #expect(StoreLocation.resolve(explicit: nil, environment: [:]) == "./slowreg.sqlite")
    }
}
