import Foundation

/// Writing and reading the result tables of one (run date, series), inside a
/// transaction the caller holds. Non-finite optional diagnostics (e.g. an R̂
/// of constant chains) are stored as NULL and read back as `nil`.
enum ResultRowsSQL {
    private static func optional(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// Inserts `results` (schema v3) with `diagnostics.kept = kept`.
    static func insert(_ results: SeriesResults, kept: StoreRetention.Kept, into db: any SQLSession) throws {
        let runDate = results.runDate
        let seriesId = results.seriesId

        try insertModelInput(results.modelInput, runDate: runDate, seriesId: seriesId, into: db)

        try db.insert(into: "intervals", columns: [
            "run_date", "series_id", "day", "date", "level_p05", "level_p25", "level_p50", "level_p75", "level_p95",
            "p05", "p15", "p16", "p25", "p50", "p75", "p84", "p85", "p95", "raw_p05", "raw_p50", "raw_p95",
        ], rows: results.intervals.map { row in [
            runDate, seriesId, row.day, row.date, row.levelP05, row.levelP25, row.levelP50, row.levelP75, row.levelP95,
            row.p05, row.p15, row.p16, row.p25, row.p50, row.p75, row.p84, row.p85, row.p95,
            row.rawP05, row.rawP50, row.rawP95,
        ] }, ignoringConflicts: false)

        try insertDraws(results.draws, runDate: runDate, seriesId: seriesId, into: db)

        try db.insert(into: "comparisons", columns: [
            "run_date", "series_id", "label", "date", "p05", "p10", "p50", "p90", "p95", "p_worse", "regression", "alert",
            "min_change", "threshold", "p_worse_beyond",
        ], rows: results.comparisons.map { row in [
            runDate, seriesId, row.label, row.date, row.p05, row.p10, row.p50, row.p90, row.p95, row.pWorse,
            row.regression, row.alert, row.minChange, row.threshold, row.pWorseBeyond,
        ] }, ignoringConflicts: false)
        try db.insert(into: "change_days", columns: ["run_date", "series_id", "date", "probability", "size_percent"],
                      rows: results.changeDays.map { [runDate, seriesId, $0.date, $0.probability, $0.sizePercent] },
                      ignoringConflicts: false)
        try db.insert(into: "noise_choice", columns: [
            "run_date", "series_id", "candidate", "chosen", "reason", "elpd_loo", "se", "p_loo", "elpd_diff", "dse",
            "max_pareto_k", "n_pareto_k_above_0_7",
        ], rows: results.noiseChoice.map { row in [
            runDate, seriesId, row.candidate, row.chosen, row.reason, row.elpd, row.se, row.pLoo, row.elpdDiff, row.dse,
            row.maxParetoK, row.paretoKAbove07,
        ] }, ignoringConflicts: false)

        let d = results.diagnostics
        let values: [(String, any SQLArgument)] = [
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
            ("created_at", StoreTime.instantText(d.createdAt ?? Date())), ("kept", kept.rawValue),
        ]
        try db.insert(into: "diagnostics", columns: values.map(\.0), rows: [values.map(\.1)], ignoringConflicts: false)
    }

    static func fetch(runDate: String, seriesId: Int64, layout: StoreSchema.Layout, drawDates: [String]? = nil,
                      from db: any SQLSession) throws -> SeriesResults? {
        let key: [any SQLArgument] = [runDate, seriesId]
        guard let diagnosticsRow = try db.row("SELECT * FROM diagnostics WHERE run_date = ? AND series_id = ?", key)
        else { return nil }
        // The `model_input` view of v3 has the columns of the v1/v2 table; the
        // direct query of the chunks is the same rows without the view's join order.
        let modelInput = layout == .compact
            ? try compactModelInput(runDate: runDate, seriesId: seriesId, from: db)
            : try db.rows("SELECT * FROM model_input WHERE run_date = ? AND series_id = ? ORDER BY seq", key)
                .map { row -> ModelInputRow in
                let timeText: String = try row["time"]
                guard let time = StoreTime.instant(timeText) else {
                    throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId, problem: "model_input time \"\(timeText)\"")
                }
                return try ModelInputRow(time: time, day: row["day"], y: row["y"], z: row["z"], outlier: row["outlier"],
                                         majorVersion: row["major_version"])
            }
        let comparisons = try db.rows("SELECT * FROM comparisons WHERE run_date = ? AND series_id = ? ORDER BY label", key)
            .map(comparison)
        // A store without the change-days step is read as it is (read-only commands upgrade nothing).
        let changeDays = try db.tableExists("change_days")
            ? db.rows("SELECT * FROM change_days WHERE run_date = ? AND series_id = ? ORDER BY date", key).map { row in
                try ChangeDayRow(date: row["date"], probability: row["probability"], sizePercent: row["size_percent"])
            }
            : []
        let noiseChoice = try db.tableExists("noise_choice")
            ? db.rows("SELECT * FROM noise_choice WHERE run_date = ? AND series_id = ? ORDER BY candidate", key).map { row in
                try NoiseChoiceRow(candidate: row["candidate"], chosen: row["chosen"], reason: row["reason"], elpd: row["elpd_loo"],
                               se: row["se"], pLoo: row["p_loo"], elpdDiff: row["elpd_diff"], dse: row["dse"],
                               maxParetoK: row["max_pareto_k"], paretoKAbove07: row["n_pareto_k_above_0_7"])
            }
            : []
        return SeriesResults(runDate: runDate, seriesId: seriesId, modelInput: modelInput,
                             intervals: try intervals(runDate: runDate, seriesId: seriesId, from: db),
                             draws: try draws(runDate: runDate, seriesId: seriesId, dates: drawDates, layout: layout, from: db),
                             diagnostics: try diagnostics(diagnosticsRow), comparisons: comparisons,
                             changeDays: changeDays, noiseChoice: noiseChoice)
    }

    /// The model input of (run date, series) from its chunks, the scores of
    /// this run date decoded from the references.
    static func compactModelInput(runDate: String, seriesId: Int64, from db: any SQLSession) throws -> [ModelInputRow] {
        let parts = try db.rows("""
            SELECT first_seq, chunk_id, origin, z FROM model_input_parts WHERE run_date = ? AND series_id = ? ORDER BY first_seq
            """, [runDate, seriesId])
        var out: [ModelInputRow] = []
        for part in parts {
            let origin: Int = try part["origin"], chunkId: Int64 = try part["chunk_id"]
            let rows = try db.rows("""
                SELECT seq, time, epoch_day, y, outlier, major_version FROM model_input_rows WHERE chunk_id = ? ORDER BY seq
                """, [chunkId])
            guard let scoreData: Data = try part["z"], let scores = ScoreBlob.decode(scoreData, count: rows.count) else {
                throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId,
                                                problem: "model_input scores of chunk \(chunkId) do not match its \(rows.count) rows")
            }
            for (row, z) in zip(rows, scores) {
                let timeText: String = try row["time"]
                guard let time = StoreTime.instant(timeText) else {
                    throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId, problem: "model_input time \"\(timeText)\"")
                }
                let epochDay: Int = try row["epoch_day"]
                out.append(try ModelInputRow(time: time, day: epochDay - origin, y: row["y"], z: z, outlier: row["outlier"],
                                         majorVersion: row["major_version"]))
            }
        }
        return out
    }

    static func intervals(runDate: String, seriesId: Int64, from db: any SQLSession) throws -> [IntervalRow] {
        try db.rows("SELECT * FROM intervals WHERE run_date = ? AND series_id = ? ORDER BY day", [runDate, seriesId]).map { row in
            try IntervalRow(day: row["day"], date: row["date"], levelP05: row["level_p05"], levelP25: row["level_p25"],
                        levelP50: row["level_p50"], levelP75: row["level_p75"], levelP95: row["level_p95"],
                        p05: row["p05"], p15: row["p15"], p16: row["p16"], p25: row["p25"], p50: row["p50"],
                        p75: row["p75"], p84: row["p84"], p85: row["p85"], p95: row["p95"],
                        rawP05: row["raw_p05"], rawP50: row["raw_p50"], rawP95: row["raw_p95"])
        }
    }

    /// The stored draws of (run date, series), in day order: of the days in
    /// `dates` (every stored day when `nil`).
    static func draws(runDate: String, seriesId: Int64, dates: [String]?, layout: StoreSchema.Layout,
                      from db: any SQLSession) throws -> [DayDraws] {
        var sql: String
        var arguments: [any SQLArgument] = [runDate, seriesId]
        switch layout {
        case .compact: sql = "SELECT day, date, level, predictive FROM day_draws WHERE run_date = ? AND series_id = ?"
        case .rows: sql = "SELECT day, date, draw, level, predictive FROM draws WHERE run_date = ? AND series_id = ?"
        }
        if let dates {
            if dates.isEmpty { return [] }
            sql += " AND date IN (" + sqlPlaceholders(dates.count) + ")"
            arguments += dates.map { $0 as any SQLArgument }
        }
        sql += layout == .compact ? " ORDER BY day" : " ORDER BY day, draw"
        let rows = try db.rows(sql, arguments)
        func damaged(_ day: Int) -> StoreError {
            .invalidResults(runDate: runDate, seriesId: seriesId, problem: "draws of day \(day): a blob whose length is not a multiple of 4")
        }
        switch layout {
        case .compact:
            return try rows.map { row in
                let day: Int = try row["day"]
                guard let levelData: Data = try row["level"], let level = DrawBlob.decode(levelData) else { throw damaged(day) }
                var predictive: [Float]?
                if let predictiveData: Data = try row["predictive"] {
                    guard let decoded = DrawBlob.decode(predictiveData) else { throw damaged(day) }
                    predictive = decoded
                }
                return try DayDraws(day: day, date: row["date"], level: level, predictive: predictive)
            }
        case .rows:
            // One row per draw (schema v1/v2): grouped by day in draw order.
            var out: [DayDraws] = []
            for row in rows {
                let day: Int = try row["day"]
                let level: Double = try row["level"], predictive: Double = try row["predictive"]
                if out.last?.day != day { out.append(try DayDraws(day: day, date: row["date"], level: [], predictive: [])) }
                out[out.count - 1].level.append(Float(level))
                out[out.count - 1].predictive?.append(Float(predictive))
            }
            return out
        }
    }

    // MARK: Compact layout (schema v3)

    /// The model input as shared chunks (``ModelInputChunks``): a chunk this
    /// series already has is referenced, not copied.
    static func insertModelInput(_ rows: [ModelInputRow], runDate: String, seriesId: Int64, into db: any SQLSession) throws {
        let (origin, chunks) = ModelInputChunks.split(rows)
        guard !chunks.isEmpty else { return }
        // A handful of statements whatever the number of chunks (a year is ~27):
        // the series' chunks by hash, the new ones added with their rows at once.
        var ids: [String: Int64] = [:]
        for row in try db.rows("SELECT content_hash, id FROM model_input_chunks WHERE series_id = ?", [seriesId]) {
            ids[try row["content_hash"]] = try row["id"]
        }
        var newChunks: [ModelInputChunks.Chunk] = []
        for chunk in chunks where ids[chunk.contentHash] == nil && !newChunks.contains(where: { $0.contentHash == chunk.contentHash }) {
            newChunks.append(chunk)
        }
        if !newChunks.isEmpty {
            let created = try db.insertReturning(into: "model_input_chunks", columns: ["series_id", "content_hash"],
                                                 rows: newChunks.map { [seriesId, $0.contentHash] }, returning: "content_hash, id")
            for row in created { ids[try row["content_hash"]] = try row["id"] }
            var newRows: [[any SQLArgument]] = []
            for chunk in newChunks {
                guard let id = ids[chunk.contentHash] else {
                    throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId, problem: "no id for a new model input chunk")
                }
                newRows += chunk.rows.map { [id, $0.seq, $0.time, $0.epochDay, $0.y, $0.outlier, $0.majorVersion] }
            }
            try db.insert(into: "model_input_rows", columns: ["chunk_id", "seq", "time", "epoch_day", "y", "outlier", "major_version"],
                          rows: newRows, ignoringConflicts: false)
        }
        var parts: [[any SQLArgument]] = []
        for chunk in chunks {
            guard let id = ids[chunk.contentHash] else {
                throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId, problem: "no id for model input chunk")
            }
            parts.append([runDate, seriesId, chunk.firstSeq, id, origin, ScoreBlob.encode(chunk.z)])
        }
        try db.insert(into: "model_input_parts", columns: ["run_date", "series_id", "first_seq", "chunk_id", "origin", "z"],
                      rows: parts, ignoringConflicts: false)
    }

    /// One `day_draws` row per day, the draws as ``DrawBlob``s.
    static func insertDraws(_ days: [DayDraws], runDate: String, seriesId: Int64, into db: any SQLSession) throws {
        guard let most = days.map(\.level.count).max() else { return }
        try ensureDrawNumbers(most, in: db)
        try db.insert(into: "day_draws", columns: ["run_date", "series_id", "day", "date", "draw_count", "level", "predictive"],
                      rows: days.map { day in
                          [runDate, seriesId, day.day, day.date, day.level.count, DrawBlob.encode(day.level),
                           day.predictive.map(DrawBlob.encode)]
                      }, ignoringConflicts: false)
    }

    /// `draw_numbers` holds 0…count−1 (the `draws` view joins on it).
    static func ensureDrawNumbers(_ count: Int, in db: any SQLSession) throws {
        let have: Int = try db.value("SELECT COALESCE(MAX(n), -1) + 1 FROM draw_numbers") ?? 0
        guard count > have else { return }
        // Two writers may add the same numbers at once: the second's are skipped.
        try db.insert(into: "draw_numbers", columns: ["n"], rows: (have..<count).map { [$0] }, ignoringConflicts: true)
    }

    /// Deletes every result row of (run date, series) (schema v3), and the
    /// model input chunks of the series no run date uses any more.
    static func delete(runDate: String, seriesId: Int64, from db: any SQLSession) throws {
        for table in StoreSchema.Layout.compact.resultTables.map(\.table) + StoreSchema.optionalResultTables {
            try db.execute("DELETE FROM \(table) WHERE run_date = ? AND series_id = ?", [runDate, seriesId])
        }
        try deleteUnusedChunks(seriesId: seriesId, from: db)
    }

    /// Removes the chunks of `seriesId` (every series when `nil`) that no
    /// `model_input_parts` row references.
    static func deleteUnusedChunks(seriesId: Int64?, from db: any SQLSession) throws {
        let unused = "SELECT c.id FROM model_input_chunks c WHERE \(seriesId == nil ? "1 = 1" : "c.series_id = ?") AND NOT EXISTS (SELECT 1 FROM model_input_parts p WHERE p.chunk_id = c.id)"
        let arguments: [any SQLArgument] = seriesId.map { [$0] } ?? []
        try db.execute("DELETE FROM model_input_rows WHERE chunk_id IN (\(unused))", arguments)
        try db.execute("DELETE FROM model_input_chunks WHERE id IN (\(unused))", arguments)
    }

    /// The newest run date of `seriesId` whose fit did not fail (the one
    /// that keeps everything, ``StoreRetention``), or `nil`.
    static func latestKeptRunDate(seriesId: Int64, in db: any SQLSession) throws -> String? {
        try db.value("SELECT MAX(run_date) FROM diagnostics WHERE series_id = ? AND status <> 'failed'", [seriesId])
    }

    /// Trims every run date of `seriesId` other than `latest` that still
    /// keeps everything: level draws of D and its comparison days only, no
    /// predictive draws, intervals of the window and the comparison days
    /// (``StoreRetention``).
    static func trimOlderRunDates(seriesId: Int64, latest: String?, in db: any SQLSession) throws {
        let full: [String] = try db.values(
            "SELECT run_date FROM diagnostics WHERE series_id = ? AND kept = ?" + (latest == nil ? "" : " AND run_date <> ?"),
            [seriesId, StoreRetention.Kept.full.rawValue] + (latest.map { [$0] } ?? []))
        for runDate in full {
            let comparisonDates: [String] = try db.values("SELECT date FROM comparisons WHERE run_date = ? AND series_id = ?",
                                                          [runDate, seriesId])
            let keptDraws = StoreRetention.keptDrawDates(runDate: runDate, comparisonDates: comparisonDates).sorted()
            try db.execute("""
                DELETE FROM day_draws WHERE run_date = ? AND series_id = ?
                  AND date NOT IN (\(sqlPlaceholders(keptDraws.count)))
                """, [runDate, seriesId] + keptDraws.map { $0 as any SQLArgument })
            try db.execute("UPDATE day_draws SET predictive = NULL WHERE run_date = ? AND series_id = ? AND predictive IS NOT NULL",
                           [runDate, seriesId])
            if let start = StoreRetention.intervalWindowStart(runDate: runDate) {
                let keptDays = comparisonDates.isEmpty ? [""] : comparisonDates
                try db.execute("""
                    DELETE FROM intervals WHERE run_date = ? AND series_id = ? AND date < ?
                      AND date NOT IN (\(sqlPlaceholders(keptDays.count)))
                    """, [runDate, seriesId, start] + keptDays.map { $0 as any SQLArgument })
            }
            try db.execute("UPDATE diagnostics SET kept = ? WHERE run_date = ? AND series_id = ?",
                           [StoreRetention.Kept.window.rawValue, runDate, seriesId])
        }
    }

    static func comparison(_ row: SQLRow) throws -> ComparisonRow {
        try ComparisonRow(label: row["label"], date: row["date"], p05: row["p05"], p10: row["p10"], p50: row["p50"],
                          p90: row["p90"], p95: row["p95"], pWorse: row["p_worse"], regression: row["regression"],
                          alert: row["alert"], minChange: row["min_change"], threshold: row["threshold"],
                          pWorseBeyond: row["p_worse_beyond"])
    }

    static func diagnostics(_ row: SQLRow) throws -> DiagnosticsRow {
        let statusText: String = try row["status"]
        guard let status = StoredFitStatus(rawValue: statusText) else {
            throw StoreError.database(path: "", message: "diagnostics status \"\(statusText)\"")
        }
        let createdText: String = try row["created_at"]
        let seed: Int64? = try row["seed"]
        return try DiagnosticsRow(
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
