import Foundation

/// What the store holds, for `slowreg diagnose`: which run dates have results
/// in which tables for how many series, and each series' data and fits.
public struct StoreCoverage: Sendable, Equatable, Encodable {
    public struct RunDate: Sendable, Equatable, Encodable {
        public var run_date: String
        /// Series with rows in each result table on this run date.
        public var series_per_table: [String: Int]
        public var good: Int
        public var flagged: Int
        public var failed: Int
    }

    public struct Series: Sendable, Equatable, Encodable {
        public var series_id: Int64
        public var project: String
        public var suite: String
        public var test: String
        public var platform: String
        public var measurements: Int
        public var first_time: String?
        public var last_time: String?
        /// Run dates with stored results, and the status of each.
        public var runs: [String: String]
    }

    /// How many schema steps the store has (``StoreSchema``).
    public var store_schema_version: Int
    public var integrity: String
    public var row_counts: [String: Int]
    public var run_dates: [RunDate]
    public var series: [Series]
}

extension SQLStore {
    /// Coverage of every result table per run date, and per series.
    public func coverage() throws(StoreError) -> StoreCoverage {
        let integrity = try integrityCheck()
        let counts = try rowCounts()
        let resultTables = layout.resultTables
        let tables = resultTables.map(\.name)
        return try read { db in
            var perTable: [String: [String: Int]] = [:]
            for (name, table) in resultTables {
                let rows = try db.rows("SELECT run_date, COUNT(DISTINCT series_id) AS n FROM \(table) GROUP BY run_date")
                for row in rows {
                    let date: String = try row["run_date"]
                    perTable[date, default: [:]][name] = try row["n"] as Int
                }
            }
            var statusCounts: [String: [String: Int]] = [:]
            var runs: [Int64: [String: String]] = [:]
            for row in try db.rows("SELECT run_date, series_id, status FROM diagnostics") {
                let date: String = try row["run_date"], status: String = try row["status"], id: Int64 = try row["series_id"]
                statusCounts[date, default: [:]][status, default: 0] += 1
                runs[id, default: [:]][date] = status
            }
            let runDates = perTable.keys.sorted().map { date in
                StoreCoverage.RunDate(run_date: date,
                                      series_per_table: Dictionary(uniqueKeysWithValues: tables.map { ($0, perTable[date]?[$0] ?? 0) }),
                                      good: statusCounts[date]?["good"] ?? 0, flagged: statusCounts[date]?["flagged"] ?? 0,
                                      failed: statusCounts[date]?["failed"] ?? 0)
            }
            let seriesRows = try db.rows("""
                SELECT s.id, s.project, s.suite, s.test, s.platform,
                       COUNT(m.id) AS n, MIN(m.time) AS first_time, MAX(m.time) AS last_time
                FROM series s LEFT JOIN measurements m ON m.series_id = s.id
                GROUP BY s.id, s.project, s.suite, s.test, s.platform ORDER BY s.project, s.suite, s.test, s.platform
                """)
            let series = try seriesRows.map { row -> StoreCoverage.Series in
                let id: Int64 = try row["id"]
                return try StoreCoverage.Series(series_id: id, project: row["project"], suite: row["suite"], test: row["test"],
                                            platform: row["platform"], measurements: row["n"],
                                            first_time: row["first_time"], last_time: row["last_time"], runs: runs[id] ?? [:])
            }
            let applied: Int = try db.value("SELECT COUNT(*) FROM grdb_migrations") ?? 0
            return StoreCoverage(store_schema_version: applied, integrity: integrity, row_counts: counts,
                                 run_dates: runDates, series: series)
        }
    }
}
