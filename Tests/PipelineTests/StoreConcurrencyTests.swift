import Dispatch
import Foundation
import Store
import Ingest
import Testing

/// Two writers on one store file — separate connections, as two processes
/// would have — must neither lose rows nor corrupt the file (WAL + busy timeout +
/// immediate transactions).
@Suite("SQLiteStore under concurrent writers")
struct StoreConcurrencyTests {
    /// Collects errors from concurrent workers.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var errors: [String] = []
        func add(_ error: any Error) { lock.withLock { errors.append("\(error)") } }
        var all: [String] { lock.withLock { errors } }
    }

    static let batches = 20
    static let rowsPerBatch = 30

    /// Batch `b` of writer `w`: the even rows are the same for both writers.
    static func batch(writer: Int, batch b: Int) -> [IngestRecord] {
        let start = TestSupport.date("2020-05-01T00:00:00Z")
        let records = (0..<rowsPerBatch).map { i -> PerfRecord in
            let shared = i % 2 == 0
            let second = b * rowsPerBatch + i
            return PerfRecord(time: start.addingTimeInterval(Double(second)), suite: shared ? "common" : "suite-\(writer)",
                              platform: "linux64-shippable", value: Double(second),
                              taskId: shared ? "shared-\(second)" : "w\(writer)-\(second)")
        }
        return Selection.keepAll.apply(records).kept
    }

    @Test("two writers ingesting overlapping rows: every row stored once, file sound")
    func concurrentIngest() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("shared.sqlite").path
        let stores = [try SQLiteStore(path: path), try SQLiteStore(path: path)]
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for b in 0..<Self.batches {
                do { _ = try stores[writer].ingest(Self.batch(writer: writer, batch: b)) } catch { failures.add(error) }
            }
        }
        #expect(failures.all.isEmpty)
        let counts = try stores[0].rowCounts()
        let sharedRows = Self.batches * Self.rowsPerBatch / 2
        let ownRows = Self.batches * Self.rowsPerBatch / 2
        #expect(counts["measurements"] == sharedRows + 2 * ownRows)
        #expect(counts["series"] == 3)
        #expect(try stores[1].integrityCheck() == "ok")
    }

    @Test("two writers storing results of different series at once")
    func concurrentResults() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("results.sqlite").path
        let setup = try SQLiteStore(path: path)
        _ = try setup.ingest(Selection.keepAll.apply((0..<10).map {
            TestSupport.record("2020-05-01", suite: "s\($0)", value: 1)
        }).kept)
        let ids = try setup.listSeries(.all).map(\.id)
        let stores = [try SQLiteStore(path: path), try SQLiteStore(path: path)]
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for (index, id) in ids.enumerated() where index % 2 == writer {
                for day in 10...14 {
                    let results = SeriesResultsTests.results(runDate: "2020-05-\(day)", seriesId: id)
                    do { try stores[writer].writeResults(results, replace: false) } catch { failures.add(error) }
                }
            }
        }
        #expect(failures.all.isEmpty)
        #expect(try setup.rowCounts()["diagnostics"] == ids.count * 5)
        #expect(try setup.integrityCheck() == "ok")
    }

    @Test("openers creating one new store at once all succeed")
    func concurrentCreation() throws {
        let directory = try TestSupport.temporaryDirectory()
        for attempt in 0..<10 {
            let path = directory.appendingPathComponent("new-\(attempt).sqlite").path
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { _ = try SQLiteStore(path: path) } catch { failures.add(error) }
            }
            #expect(failures.all.isEmpty)
            #expect(try SQLiteStore(path: path).integrityCheck() == "ok")
        }
    }
}
