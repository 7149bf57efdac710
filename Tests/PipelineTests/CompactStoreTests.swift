import Foundation
import GRDB
import Store
import Ingest
import Reports
import Testing

/// Schema v3: draws as Float32 blobs, shared model input, the retention of
/// older run dates, the views with the old columns, prune, and the v2 → v3
/// upgrade (issue 14, "a store that lasts").
@Suite("Compact store: blobs, shared input, retention, views, prune, upgrade")
struct CompactStoreTests {
    // MARK: Fixtures

    /// A year-long series ending `runDate`: two runs a day, a 14-day chunk
    /// grid, with comparisons of D against D−7 and D−14.
    static func yearResults(runDate: String, seriesId: Int64, days: Int = 365, draws: Int = 50,
                            seed: Float = 0) -> SeriesResults {
        let last = StoreTime.daysSinceEpoch(dayText: runDate) ?? 0
        let first = last - days + 1
        var input: [ModelInputRow] = []
        for d in 0..<days {
            for r in 0..<2 {
                let time = Date(timeIntervalSince1970: Double((first + d) * 86_400 + 3_600 * (r + 1)))
                input.append(ModelInputRow(time: time, day: d, y: 100 + Double((first + d) % 7) + Double(r),
                                           z: (first + d) % 50 == 0 ? nil : (Double(((first + d) * 3 + r) % 11) - 5.3) / 3,
                                           outlier: (first + d) % 97 == 0,
                                           majorVersion: 120 + (first + d) / 28))
            }
        }
        let dates = (0..<days).map { StoreTime.dayText(daysSinceEpoch: first + $0) }
        let comparisonDates = [dates[days - 8], dates[days - 15]]
        let intervals = dates.enumerated().map { d, date in
            IntervalRow(day: d, date: date, levelP05: 1, levelP25: 2, levelP50: 3, levelP75: 4, levelP95: 5, p05: 0.5,
                        p15: 1.5, p16: 1.6, p25: 2.5, p50: 3, p75: 3.5, p84: 3.84, p85: 3.85, p95: 5.5,
                        rawP05: 0.4, rawP50: 3, rawP95: 5.6)
        }
        let kept = Set([runDate] + comparisonDates)
        let dayDraws = dates.enumerated().map { d, date in
            DayDraws(day: d, date: date, level: (0..<draws).map { 100 + seed + Float(d) * 0.01 + Float($0) * 0.1 },
                     predictive: kept.contains(date) ? (0..<draws).map { 100 + Float($0) } : nil)
        }
        let comparisons = [
            ComparisonRow(label: "prev_week", date: comparisonDates[0], p05: 0, p10: 0, p50: 1, p90: 2, p95: 2,
                          pWorse: 0.9, regression: true, alert: false, minChange: 2, threshold: 0.8, pWorseBeyond: 0.1),
            ComparisonRow(label: "prev_week2", date: comparisonDates[1], p05: 0, p10: 0, p50: 1, p90: 2, p95: 2,
                          pWorse: 0.9, regression: true, alert: false, minChange: 2, threshold: 0.8, pWorseBeyond: 0.1),
        ]
        let diagnostics = DiagnosticsRow(model: "spline-gaussian", sampler: "gibbs", noise: "gaussian", status: .good,
                                         createdAt: TestSupport.date("2024-05-07T03:00:00Z"))
        return SeriesResults(runDate: runDate, seriesId: seriesId, modelInput: input, intervals: intervals,
                             draws: dayDraws, diagnostics: diagnostics, comparisons: comparisons)
    }

    static func storeWithSeries(_ label: String = #function) throws -> (SQLiteStore, String, Int64) {
        let (store, directory) = try TestSupport.newStore(label)
        _ = try store.ingest(Selection.keepAll.apply([TestSupport.record("2024-05-01", value: 1)]).kept)
        let id = try #require(try store.listSeries(.all).first).id
        return (store, directory.appendingPathComponent("store.sqlite").path, id)
    }

    static func count(_ path: String, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1 }
    }

    // MARK: Blob layout

    @Test("score blobs are little-endian Float32, NaN for an absent score; an older store's Float64 blobs still read")
    func scoreBlobLayout() {
        #expect([UInt8](ScoreBlob.encode([1, nil])) == [0, 0, 0x80, 0x3F, 0, 0, 0xC0, 0x7F])
        let scores: [Double?] = [nil, -0.0, Double(Float.leastNonzeroMagnitude), -7.25, Double(Float(3e38)), nil]
        #expect(ScoreBlob.decode(ScoreBlob.encode(scores), count: 6)?.map { $0?.bitPattern } == scores.map { $0?.bitPattern })
        #expect(ScoreBlob.decode(ScoreBlob.encode([0.3]), count: 1) == [Double(Float(0.3))], "rounded to the nearest Float32")
        #expect(ScoreBlob.decode(ScoreBlob.encode([1e300, -1e300]), count: 2) == [Double(Float.greatestFiniteMagnitude),
                                                                                  -Double(Float.greatestFiniteMagnitude)])
        let legacy = Data([0, 0, 0, 0, 0, 0, 0xF0, 0x3F] + [0, 0, 0, 0, 0, 0, 0xF8, 0x7F])   // Float64 1 and NaN
        #expect(ScoreBlob.decode(legacy, count: 2) == [1, nil])
        #expect(ScoreBlob.decode(Data(count: 12), count: 2) == nil, "neither 4 nor 8 bytes a row is damaged")
        #expect(ScoreBlob.decode(Data(count: 8), count: 1)?.count == 1 && ScoreBlob.decode(Data(count: 8), count: 2)?.count == 2)
    }

    @Test("a model input row keeps its score in single precision, clamped to Float32's range")
    func modelInputScorePrecision() {
        var row = ModelInputRow(time: Date(timeIntervalSince1970: 0), day: 0, y: 1, z: 0.3, outlier: false, majorVersion: nil)
        #expect(row.z == Double(Float(0.3)))
        row.z = -1e300
        #expect(row.z == -Double(Float.greatestFiniteMagnitude), "beyond Float32's range: at least this far")
        row.z = .nan
        #expect(row.z == nil)
        row.z = 5.000000001
        #expect(row.z == 5 && !row.outlier, "the decision is the flag's, kept exactly; the score is a diagnostic")
    }

    @Test("draw blobs are little-endian Float32 and decode to the same values")
    func drawBlobLayout() {
        #expect([UInt8](DrawBlob.encode([1, -2])) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        let values: [Float] = [0, -0.0, 1e-40, -3.5e-39, 103.25, -1e30, .greatestFiniteMagnitude, .leastNormalMagnitude]
        #expect(DrawBlob.decode(DrawBlob.encode(values))?.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(DrawBlob.decode(Data([1, 2, 3])) == nil, "a length that is not a multiple of 4 is damaged")
    }

    @Test("the draws view decodes every blob to the stored Float32, zero, subnormal and negative included")
    func drawsViewDecodes() throws {
        let (store, path, id) = try Self.storeWithSeries()
        var results = SeriesResultsTests.results(runDate: "2020-05-10", seriesId: id)
        let odd: [Float] = [0, -0.0, 1e-40, -3.5e-39]
        results.draws[0].level = odd
        results.draws[1].level = [103.25, -1e30, .greatestFiniteMagnitude, 6.1e-5]
        results.draws[1].predictive = nil
        try store.writeResults(results, replace: false)
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT day, draw, level, predictive FROM draws ORDER BY day, draw")
        }
        #expect(rows.count == 8)
        for row in rows {
            let day: Int = row["day"], draw: Int = row["draw"], level: Double = row["level"]
            let stored = try #require(results.draws.first { $0.day == day })
            #expect(level == Double(stored.level[draw]), "day \(day) draw \(draw)")
            let predictive: Double? = row["predictive"]
            #expect(predictive == stored.predictive.map { Double($0[draw]) })
        }
    }

    // MARK: Shared model input

    @Test("model input is cut into chunks on a fixed 14-day grid; a moved window shares all but its ends")
    func chunksShareUnchangedRows() {
        let a = Self.yearResults(runDate: "2024-05-06", seriesId: 1).modelInput
        let b = Self.yearResults(runDate: "2024-05-07", seriesId: 1).modelInput
        let (originA, chunksA) = ModelInputChunks.split(a)
        let (originB, chunksB) = ModelInputChunks.split(b)
        #expect(originB == originA + 1, "the window starts a day later")
        #expect(chunksA.allSatisfy { chunk in chunk.rows.map(\.epochDay).allSatisfy { $0 / 14 == chunk.rows[0].epochDay / 14 } })
        let shared = Set(chunksA.map(\.contentHash)).intersection(chunksB.map(\.contentHash))
        #expect(shared.count >= chunksB.count - 2, "only the first and last chunks differ (\(shared.count) of \(chunksB.count) shared)")
        var changed = a
        changed[300].y += 1
        #expect(ModelInputChunks.split(changed).chunks.map(\.contentHash) != chunksA.map(\.contentHash))
    }

    @Test("a second run date adds only the changed chunks; both read back exactly, also through the model_input view")
    func secondRunDateSharesInput() throws {
        let (store, path, id) = try Self.storeWithSeries()
        let first = Self.yearResults(runDate: "2024-05-06", seriesId: id)
        try store.writeResults(first, replace: false)
        let rowsAfterFirst = try Self.count(path, "SELECT COUNT(*) FROM model_input_rows")
        #expect(rowsAfterFirst == 730)
        let second = Self.yearResults(runDate: "2024-05-07", seriesId: id)
        try store.writeResults(second, replace: false)
        let added = try Self.count(path, "SELECT COUNT(*) FROM model_input_rows") - rowsAfterFirst
        #expect(added <= 2 * 2 * ModelInputChunks.chunkDays, "one more run date copies at most two chunks (\(added) rows)")
        #expect(try store.results(runDate: "2024-05-06", seriesId: id)?.modelInput == first.modelInput)
        #expect(try store.results(runDate: "2024-05-07", seriesId: id)?.modelInput == second.modelInput)
        let viewRows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT seq, day, y, z, outlier FROM model_input WHERE run_date = '2024-05-07' ORDER BY seq")
        }
        #expect(viewRows.map { $0["z"] as Double? } == second.modelInput.map(\.z), "the view decodes the Float32 scores, NULL included")
        #expect(viewRows.map { $0["day"] as Int } == second.modelInput.map(\.day))
        #expect(viewRows.map { $0["y"] as Double } == second.modelInput.map(\.y))
        #expect(viewRows.map { $0["seq"] as Int } == Array(0..<second.modelInput.count))
    }

    // MARK: Retention

    @Test("a newer run date trims the older one to D, its comparison days and the 56-day interval window")
    func newerRunDateTrimsOlder() throws {
        let (store, path, id) = try Self.storeWithSeries()
        let first = Self.yearResults(runDate: "2024-05-06", seriesId: id)
        try store.writeResults(first, replace: false)
        #expect(try store.draws(runDate: "2024-05-06", seriesId: id, dates: nil).count == 365, "the latest keeps every day")
        try store.writeResults(Self.yearResults(runDate: "2024-05-07", seriesId: id), replace: false)

        let older = try #require(try store.results(runDate: "2024-05-06", seriesId: id))
        #expect(older.draws.map(\.date) == ["2024-04-22", "2024-04-29", "2024-05-06"])
        #expect(older.draws.map(\.level) == first.draws.filter { ["2024-04-22", "2024-04-29", "2024-05-06"].contains($0.date) }.map(\.level))
        #expect(older.draws.allSatisfy { $0.predictive == nil }, "older run dates keep no predictive draws")
        #expect(older.intervals.count == StoreRetention.intervalWindowDays)
        #expect(older.intervals.first?.date == "2024-03-12" && older.intervals.last?.date == "2024-05-06")
        #expect(older.modelInput == first.modelInput && older.comparisons == first.comparisons)
        let latest = try #require(try store.results(runDate: "2024-05-07", seriesId: id))
        #expect(latest.draws.count == 365 && latest.intervals.count == 365)
        #expect(try Self.count(path, "SELECT COUNT(*) FROM diagnostics WHERE kept = 'full'") == 1)
    }

    @Test("a run date written after a newer one is stored trimmed; a failed newer fit trims nothing")
    func outOfOrderAndFailedWrites() throws {
        let (store, _, id) = try Self.storeWithSeries()
        try store.writeResults(Self.yearResults(runDate: "2024-05-07", seriesId: id), replace: false)
        try store.writeResults(Self.yearResults(runDate: "2024-05-01", seriesId: id), replace: false)
        #expect(try store.draws(runDate: "2024-05-01", seriesId: id, dates: nil).count == 3)
        #expect(try store.draws(runDate: "2024-05-07", seriesId: id, dates: nil).count == 365)

        let failed = SeriesResults(runDate: "2024-05-08", seriesId: id,
                                   diagnostics: DiagnosticsRow(model: "m", sampler: "gibbs", noise: "gaussian",
                                                               status: .failed, error: "too few points"))
        try store.writeResults(failed, replace: false)
        #expect(try store.draws(runDate: "2024-05-07", seriesId: id, dates: nil).count == 365,
                "the newest good fit keeps every day while a newer one failed")
    }

    @Test("trimming an in-memory result follows the same policy as the store")
    func trimmedInMemory() {
        let results = Self.yearResults(runDate: "2024-05-06", seriesId: 1)
        let trimmed = StoreRetention.trimmed(results)
        #expect(trimmed.draws.map(\.date) == ["2024-04-22", "2024-04-29", "2024-05-06"])
        #expect(trimmed.intervals.count == 56)
    }

    /// Bytes of the pages in use (free pages left by trimming excluded).
    static func liveBytes(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        _ = try queue.writeWithoutTransaction { db in try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return try queue.read { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return (pages - free) * (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
        }
    }

    @Test("one more run date of a year-long series with 1,000 draws a day adds under 50 KB (5 MB per 100 series)")
    func growthPerRunDate() throws {
        let (store, path, _) = try Self.storeWithSeries()
        _ = try store.ingest(Selection.keepAll.apply((1...4).map {
            TestSupport.record("2024-05-01", suite: "suite\($0)", value: 1)
        }).kept)
        let ids = try store.listSeries(.all).map(\.id)
        var live: [Int] = []
        for day in ["2024-05-06", "2024-05-07", "2024-05-08", "2024-05-09"] {
            for id in ids {
                try store.writeResults(Self.yearResults(runDate: day, seriesId: id, draws: 1000), replace: false)
            }
            live.append(try Self.liveBytes(path))
        }
        let perSeries = (live[3] - live[1]) / 2 / ids.count
        #expect(perSeries < 50_000, "\(perSeries) bytes a series and run date")
        #expect(live[0] / ids.count > 365 * 4_000, "the latest run date holds the level draws of every day")
    }

    // MARK: The README's analyst query

    /// The first ```sql block after `marker` in the README.
    static func readmeSQL(after marker: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(text.range(of: marker), "README has \"\(marker)\"")
        let open = try #require(text.range(of: "```sql\n", range: start.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: open.upperBound..<text.endIndex))
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Two series with a year of results for 2024-05-06 in `store`, and
    /// what the README's query must give for tabpaint's D against D−14,
    /// taken draw by draw from the store.
    static func readmeQueryFixture(_ store: SQLStore) throws -> (pWorse: Double, change: Double) {
        _ = try store.ingest(Selection.keepAll.apply([
            TestSupport.record("2024-05-01", suite: "tabpaint", platform: "linux64-shippable", value: 1),
            TestSupport.record("2024-05-01", suite: "other", platform: "linux64-shippable", value: 1),
        ]).kept)
        for s in try store.listSeries(.all) {
            try store.writeResults(Self.yearResults(runDate: "2024-05-06", seriesId: s.id, seed: s.suite == "other" ? 50 : 0),
                                   replace: false)
        }
        let tabpaint = try #require(try store.listSeries(SeriesFilter(suite: "tabpaint")).first)
        let days = try store.draws(runDate: "2024-05-06", seriesId: tabpaint.id, dates: ["2024-05-06", "2024-04-22"])
        let now = days[1].level.map(Double.init), then = days[0].level.map(Double.init)
        return (Double(zip(now, then).filter { $0 > $1 }.count) / Double(now.count),
                zip(now, then).map { ($0 - $1) / $1 * 100 }.reduce(0, +) / Double(now.count))
    }

    @Test("the README's query comparing two days from paired draws gives the draw-by-draw answer")
    func readmeQueryOnBlobs() throws {
        let (store, directory) = try TestSupport.newStore()
        let expected = try Self.readmeQueryFixture(store)
        let sql = try Self.readmeSQL(after: "Compare two stored days of one series in SQL")
        let path = directory.appendingPathComponent("store.sqlite").path
        let row = try #require(try DatabaseQueue(path: path).read { db in try Row.fetchOne(db, sql: sql) })
        let pWorse: Double = row["p_worse"], change: Double = row["mean_change_percent"]
        #expect(pWorse == expected.pWorse)
        #expect(abs(change - expected.change) < 1e-9)
        #expect(change > 0.1, "the fixture's D is above D−14")
    }

    // MARK: Prune

    @Test("prune removes whole old run dates in one step, a dry run changes nothing")
    func pruneRunDates() throws {
        let (store, path, id) = try Self.storeWithSeries()
        for day in ["2024-05-05", "2024-05-06", "2024-05-07"] {
            try store.writeResults(Self.yearResults(runDate: day, seriesId: id), replace: false)
        }
        let before = try store.rowCounts()
        let dry = try store.prune(PruneRequest(keepRunDates: 1, dryRun: true))
        #expect(dry.removedRunDates == ["2024-05-05", "2024-05-06"] && dry.keptRunDates == 1 && dry.dryRun)
        #expect(dry.removedRows["diagnostics"] == 2 && dry.removedRows["day_draws"] == 6)
        #expect(try store.rowCounts() == before)

        let done = try store.prune(PruneRequest(keepRunDates: 1))
        #expect(done.removedRows == dry.removedRows)
        #expect(try store.runDates() == ["2024-05-07"])
        #expect(try store.results(runDate: "2024-05-07", seriesId: id) == Self.yearResults(runDate: "2024-05-07", seriesId: id))
        #expect(try Self.count(path, """
            SELECT COUNT(*) FROM model_input_chunks c
            WHERE NOT EXISTS (SELECT 1 FROM model_input_parts p WHERE p.chunk_id = c.id)
            """) == 0, "no chunk is left that no run date uses")
        #expect(try Self.count(path, "SELECT COUNT(*) FROM model_input_rows") == 730)
        try store.vacuum()
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("keep-days keeps the run dates within N days of the latest; rules combine by keeping only what all keep")
    func pruneRules() {
        let dates = ["2024-05-01", "2024-05-03", "2024-05-06", "2024-05-07"]
        #expect(PruneRequest(keepDays: 5).runDatesToRemove(from: dates) == ["2024-05-01"])
        #expect(PruneRequest(keepRunDates: 3).runDatesToRemove(from: dates) == ["2024-05-01"])
        #expect(PruneRequest(keepRunDates: 3, keepDays: 2).runDatesToRemove(from: dates) == ["2024-05-01", "2024-05-03"])
        #expect(PruneRequest(keepRunDates: 10).runDatesToRemove(from: dates) == [])
        #expect(PruneRequest(keepRunDates: 1).runDatesToRemove(from: []) == [])
    }

    // MARK: Upgrade from schema v2

    /// A v2 store made with the schema steps' own SQL: one series, two run
    /// dates with one row per draw and a copy of the model input each.
    static func makeVersion2Store(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for step in StoreSchema.migrations.prefix(2) {
                try db.execute(sql: step.sql)
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [step.identifier])
            }
            try db.execute(sql: """
                INSERT INTO series (id, project, suite, test, platform, framework, sname, os, lower_is_better, unit)
                VALUES (1, 'mozilla-beta', 'tabpaint', '', 'linux64-shippable', 'talos', 'tabpaint', 'linux', 1, 'ms')
                """)
            for (runDate, offset) in [("2024-05-05", 0), ("2024-05-06", 1)] {
                try db.execute(sql: """
                    INSERT INTO diagnostics (run_date, series_id, model, sampler, noise, status, created_at)
                    VALUES (?, 1, 'spline-gaussian', 'gibbs', 'gaussian', 'good', '2024-05-07T03:00:00.000Z')
                    """, arguments: [runDate])
                try db.execute(sql: """
                    INSERT INTO comparisons VALUES (?, 1, 'prev_week', '2024-04-29', 2.5, 2.7, 3.0, 3.3, 3.5, 1.0, 1, 1, 2, 0.8, 0.9)
                    """, arguments: [runDate])
                for day in 0..<3 {
                    let date = ["2024-04-29", "2024-05-01", runDate][day]
                    try db.execute(sql: """
                        INSERT INTO intervals VALUES (?, 1, ?, ?, 1, 2, 3, 4, 5, 0.5, 1.5, 1.6, 2.5, 3, 3.5, 3.84, 3.85, 5.5, 0.4, 3, 5.6)
                        """, arguments: [runDate, day + offset, date])
                    for draw in 0..<4 {
                        try db.execute(sql: "INSERT INTO draws VALUES (?, 1, ?, ?, ?, ?, ?)",
                                       arguments: [runDate, day + offset, date, draw, 100.5 + Double(day * 4 + draw), 99.25])
                    }
                }
                for seq in 0..<5 {
                    try db.execute(sql: "INSERT INTO model_input VALUES (?, 1, ?, ?, ?, ?, ?, 0, 124)",
                                   arguments: [runDate, seq, "2024-04-2\(seq + 2)T10:00:00.000Z", seq + offset, 10.0 + Double(seq),
                                               seq == 2 ? nil : 0.5])
                }
            }
        }
    }

    @Test("a v2 store is read as it is by a read-only open, and upgraded (draws converted, older run date trimmed) by a writer")
    func upgradeFromVersion2() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("v2.sqlite").path
        try Self.makeVersion2Store(at: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let reader = try SQLiteStore(path: path, access: .readOnly)
        let old = try #require(try reader.results(runDate: "2024-05-06", seriesId: 1))
        #expect(old.draws.map(\.date) == ["2024-04-29", "2024-05-01", "2024-05-06"])
        #expect(old.draws[2].level == [108.5, 109.5, 110.5, 111.5] && old.draws[2].predictive == [99.25, 99.25, 99.25, 99.25])
        #expect(old.modelInput.count == 5 && old.modelInput[2].z == nil && old.modelInput[4].day == 5)
        let compared = try StoredComparisons.fromDraws(store: reader, runDate: "2024-05-06", days: ["2024-05-01"], filter: .all)
        #expect(compared.count == 1 && compared[0].p_worse == 1)
        #expect(try reader.prune(PruneRequest(keepRunDates: 1, dryRun: true)).removedRows["draws"] == 12)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "a read-only open changes nothing")

        let writer = try SQLiteStore(path: path)
        #expect(try writer.coverage().store_schema_version == StoreSchema.currentVersion)
        let upgraded = try #require(try writer.results(runDate: "2024-05-06", seriesId: 1))
        #expect(upgraded == old, "the latest run date converts exactly (its values are Float32)")
        let trimmed = try #require(try writer.results(runDate: "2024-05-05", seriesId: 1))
        #expect(trimmed.draws.map(\.date) == ["2024-04-29", "2024-05-05"], "the older run date keeps D and its comparison day")
        #expect(trimmed.modelInput.map(\.day) == [0, 1, 2, 3, 4])
        #expect(try Self.count(path, "SELECT COUNT(*) FROM model_input_rows") == 5, "both run dates share one chunk of input")
        #expect(try Self.count(path, "SELECT COUNT(*) FROM draws WHERE run_date = '2024-05-06'") == 12, "the draws view")
        #expect(try Self.count(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view'") == 2)
    }

    // MARK: Upgrade from schema v6 (Float64 scores)

    @Test("a v6 store's Float64 scores read as they are read-only, and become Float32 blobs, view included, on upgrade")
    func upgradeScoresFromVersion6() throws {
        let (store, path, id) = try Self.storeWithSeries()
        let results = Self.yearResults(runDate: "2024-05-06", seriesId: id)
        try store.writeResults(results, replace: false)
        // Made back into a v6 store: the scores 8 bytes a row, as steps 3–6 wrote them.
        let v7 = try #require(StoreSchema.migrations.last?.identifier)
        let parts = try DatabaseQueue(path: path).write { db -> Int in
            let rows = try Row.fetchAll(db, sql: "SELECT p.first_seq, p.z, (SELECT COUNT(*) FROM model_input_rows r WHERE r.chunk_id = p.chunk_id) AS n FROM model_input_parts p")
            for row in rows {
                let data: Data = row["z"], n: Int = row["n"], firstSeq: Int = row["first_seq"]
                let scores = try #require(ScoreBlob.decode(data, count: n))
                try db.execute(sql: "UPDATE model_input_parts SET z = ? WHERE first_seq = ?",
                               arguments: [Data(TestSupport.legacyScoreBytes(scores)), firstSeq])
            }
            try db.execute(sql: "CREATE TABLE float64_scales (exponent INTEGER PRIMARY KEY, scale REAL NOT NULL)")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [v7])
            return rows.count
        }
        #expect(parts > 20)
        #expect(try Self.count(path, "SELECT SUM(length(z)) FROM model_input_parts") == 8 * results.modelInput.count)

        let reader = try SQLiteStore(path: path, access: .readOnly)
        #expect(try reader.results(runDate: "2024-05-06", seriesId: id)?.modelInput == results.modelInput)
        #expect(try Self.count(path, "SELECT SUM(length(z)) FROM model_input_parts") == 8 * results.modelInput.count,
                "a read-only open converts nothing")

        let writer = try SQLiteStore(path: path)
        #expect(try writer.coverage().store_schema_version == StoreSchema.currentVersion)
        #expect(try Self.count(path, "SELECT SUM(length(z)) FROM model_input_parts") == 4 * results.modelInput.count)
        #expect(try writer.results(runDate: "2024-05-06", seriesId: id)?.modelInput == results.modelInput)
        let viewScores = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT z FROM model_input WHERE run_date = '2024-05-06' ORDER BY seq").map { $0["z"] as Double? }
        }
        #expect(viewScores == results.modelInput.map(\.z))
        #expect(try Self.count(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'float64_scales'") == 0)
    }
}
