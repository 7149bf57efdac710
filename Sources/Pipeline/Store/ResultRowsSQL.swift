import Foundation
import GRDB

/// Writing and reading the result tables of one (run date, series), inside a
/// transaction the caller holds. Non-finite optional diagnostics (e.g. an R̂
/// of constant chains) are stored as NULL and read back as `nil`.
enum ResultRowsSQL {
    private static func optional(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }

    static func insert(_ results: SeriesResults, into db: Database) throws {
        let runDate = results.runDate
        let seriesId = results.seriesId

        let modelInput = try db.makeStatement(sql: """
            INSERT INTO model_input (run_date, series_id, seq, time, day, y, z, outlier, major_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (seq, row) in results.modelInput.enumerated() {
            try modelInput.execute(arguments: [runDate, seriesId, seq, StoreTime.instantText(row.time), row.day, row.y,
                                               optional(row.z), row.outlier, row.majorVersion])
        }

        let intervals = try db.makeStatement(sql: """
            INSERT INTO intervals (run_date, series_id, day, date, level_p05, level_p25, level_p50, level_p75, level_p95,
                p05, p15, p16, p25, p50, p75, p84, p85, p95, raw_p05, raw_p50, raw_p95)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in results.intervals {
            try intervals.execute(arguments: [
                runDate, seriesId, row.day, row.date, row.levelP05, row.levelP25, row.levelP50, row.levelP75, row.levelP95,
                row.p05, row.p15, row.p16, row.p25, row.p50, row.p75, row.p84, row.p85, row.p95,
                row.rawP05, row.rawP50, row.rawP95,
            ])
        }

        let draws = try db.makeStatement(sql: """
            INSERT INTO draws (run_date, series_id, day, date, draw, level, predictive) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for row in results.draws {
            try draws.execute(arguments: [runDate, seriesId, row.day, row.date, row.draw, row.level, row.predictive])
        }

        let comparisons = try db.makeStatement(sql: """
            INSERT INTO comparisons (run_date, series_id, label, date, p05, p10, p50, p90, p95, p_worse, regression, alert,
                                     min_change, threshold, p_worse_beyond)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in results.comparisons {
            try comparisons.execute(arguments: [runDate, seriesId, row.label, row.date, row.p05, row.p10, row.p50,
                                                row.p90, row.p95, row.pWorse, row.regression, row.alert,
                                                row.minChange, row.threshold, row.pWorseBeyond])
        }

        let changeDays = try db.makeStatement(sql: """
            INSERT INTO change_days (run_date, series_id, date, probability, size_percent) VALUES (?, ?, ?, ?, ?)
            """)
        for row in results.changeDays {
            try changeDays.execute(arguments: [runDate, seriesId, row.date, row.probability, row.sizePercent])
        }

        let d = results.diagnostics
        let values: [(String, (any DatabaseValueConvertible)?)] = [
            ("run_date", runDate), ("series_id", seriesId), ("model", d.model), ("sampler", d.sampler),
            ("noise", d.noise), ("status", d.status.rawValue), ("reasons", d.reasons), ("error", d.error),
            ("n_points", d.nPoints), ("n_outliers", d.nOutliers), ("first_date", d.firstDate),
            ("last_date", d.lastDate), ("k", d.k), ("n_divergent", d.nDivergent), ("max_rhat", optional(d.maxRhat)),
            ("min_ess_bulk", optional(d.minEssBulk)), ("min_ess_tail", optional(d.minEssTail)),
            ("n_eff_ratio", optional(d.nEffRatio)), ("exceeded_max_treedepth", d.exceededMaxTreedepth),
            ("min_bfmi", optional(d.minBfmi)), ("recalibration_factor", optional(d.recalibrationFactor)),
            ("coverage_before", optional(d.coverageBefore)), ("coverage_after", optional(d.coverageAfter)),
            ("beta_p05", optional(d.betaP05)), ("beta_p95", optional(d.betaP95)), ("modes_count", d.modesCount),
            ("modes_summary", d.modesSummary), ("warmup_ms", optional(d.warmupMs)),
            ("sampling_ms", optional(d.samplingMs)), ("total_ms", optional(d.totalMs)),
            ("seed", d.seed.map { Int64(bitPattern: $0) }),
            ("created_at", StoreTime.instantText(d.createdAt ?? Date())),
        ]
        let columns = values.map(\.0).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO diagnostics (\(columns)) VALUES (\(placeholders))",
                       arguments: StatementArguments(values.map(\.1)))
    }

    static func fetch(runDate: String, seriesId: Int64, from db: Database) throws -> SeriesResults? {
        let key: StatementArguments = [runDate, seriesId]
        guard let diagnosticsRow = try Row.fetchOne(db, sql: "SELECT * FROM diagnostics WHERE run_date = ? AND series_id = ?",
                                                    arguments: key)
        else { return nil }
        let modelInput = try Row.fetchAll(db, sql: "SELECT * FROM model_input WHERE run_date = ? AND series_id = ? ORDER BY seq",
                                          arguments: key).map { row -> ModelInputRow in
            let timeText: String = row["time"]
            guard let time = StoreTime.instant(timeText) else {
                throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId, problem: "model_input time \"\(timeText)\"")
            }
            return ModelInputRow(time: time, day: row["day"], y: row["y"], z: row["z"], outlier: row["outlier"],
                                 majorVersion: row["major_version"])
        }
        let intervals = try Row.fetchAll(db, sql: "SELECT * FROM intervals WHERE run_date = ? AND series_id = ? ORDER BY day",
                                         arguments: key).map { row in
            IntervalRow(day: row["day"], date: row["date"], levelP05: row["level_p05"], levelP25: row["level_p25"],
                        levelP50: row["level_p50"], levelP75: row["level_p75"], levelP95: row["level_p95"],
                        p05: row["p05"], p15: row["p15"], p16: row["p16"], p25: row["p25"], p50: row["p50"],
                        p75: row["p75"], p84: row["p84"], p85: row["p85"], p95: row["p95"],
                        rawP05: row["raw_p05"], rawP50: row["raw_p50"], rawP95: row["raw_p95"])
        }
        let draws = try Row.fetchAll(db, sql: "SELECT * FROM draws WHERE run_date = ? AND series_id = ? ORDER BY day, draw",
                                     arguments: key).map { row in
            DrawRow(day: row["day"], date: row["date"], draw: row["draw"], level: row["level"], predictive: row["predictive"])
        }
        let comparisons = try Row.fetchAll(db, sql: "SELECT * FROM comparisons WHERE run_date = ? AND series_id = ? ORDER BY label",
                                           arguments: key).map(comparison)
        // A store older than schema step 3 is read as it is (read-only commands upgrade nothing).
        let changeDays = try db.tableExists("change_days")
            ? Row.fetchAll(db, sql: "SELECT * FROM change_days WHERE run_date = ? AND series_id = ? ORDER BY date",
                           arguments: key).map { row in
                ChangeDayRow(date: row["date"], probability: row["probability"], sizePercent: row["size_percent"])
            }
            : []
        return SeriesResults(runDate: runDate, seriesId: seriesId, modelInput: modelInput, intervals: intervals,
                             draws: draws, diagnostics: try diagnostics(diagnosticsRow), comparisons: comparisons,
                             changeDays: changeDays)
    }

    static func comparison(_ row: Row) -> ComparisonRow {
        ComparisonRow(label: row["label"], date: row["date"], p05: row["p05"], p10: row["p10"], p50: row["p50"],
                      p90: row["p90"], p95: row["p95"], pWorse: row["p_worse"], regression: row["regression"],
                      alert: row["alert"], minChange: row["min_change"], threshold: row["threshold"],
                      pWorseBeyond: row["p_worse_beyond"])
    }

    static func diagnostics(_ row: Row) throws -> DiagnosticsRow {
        let statusText: String = row["status"]
        guard let status = StoredFitStatus(rawValue: statusText) else {
            throw StoreError.database(path: "", message: "diagnostics status \"\(statusText)\"")
        }
        let createdText: String = row["created_at"]
        let seed: Int64? = row["seed"]
        return DiagnosticsRow(
            model: row["model"], sampler: row["sampler"], noise: row["noise"], status: status,
            reasons: row["reasons"], error: row["error"], nPoints: row["n_points"], nOutliers: row["n_outliers"],
            firstDate: row["first_date"], lastDate: row["last_date"], k: row["k"], nDivergent: row["n_divergent"],
            maxRhat: row["max_rhat"], minEssBulk: row["min_ess_bulk"], minEssTail: row["min_ess_tail"],
            nEffRatio: row["n_eff_ratio"], exceededMaxTreedepth: row["exceeded_max_treedepth"],
            minBfmi: row["min_bfmi"], recalibrationFactor: row["recalibration_factor"],
            coverageBefore: row["coverage_before"], coverageAfter: row["coverage_after"],
            betaP05: row["beta_p05"], betaP95: row["beta_p95"], modesCount: row["modes_count"],
            modesSummary: row["modes_summary"], warmupMs: row["warmup_ms"], samplingMs: row["sampling_ms"],
            totalMs: row["total_ms"], seed: seed.map { UInt64(bitPattern: $0) },
            createdAt: StoreTime.instant(createdText))
    }
}
