import Foundation
import GRDB

/// The data step of schema v3 (``StoreSchema/version3``): converts a v1/v2
/// store's one-row-per-draw `draws` into `day_draws` blobs and its per-run-date
/// copies of `model_input` into shared chunks, trims the older run dates of
/// each series as ``StoreRetention`` says, and puts views with the old
/// columns in place of the two old tables. It runs inside the migration's
/// transaction: a store is upgraded completely or not at all.
enum CompactLayoutMigration {
    @Sendable static func convert(_ session: any SQLSession) throws {
        try fillFloat32Scales(session)
        // Only an SQLite store can hold v1/v2 rows: a PostgreSQL store is
        // created at the current version, its old tables empty.
        if let db = (session as? GRDBSession)?.db {
            try convertDraws(db)
            try convertModelInput(db)
        }
        try session.execute("DROP TABLE draws")
        try session.execute("DROP TABLE model_input")
        for view in StoreSchema.compatibilityViews(session.dialect) { try session.execute(view) }
        for seriesId: Int64 in try session.values("SELECT DISTINCT series_id FROM diagnostics") {
            let latest = try ResultRowsSQL.latestKeptRunDate(seriesId: seriesId, in: session)
            try ResultRowsSQL.trimOlderRunDates(seriesId: seriesId, latest: latest, in: session)
        }
    }

    /// 2^(max(e, 1) − 150) for every Float32 exponent field e (0…255): the
    /// factor of the integer significand (subnormals at e = 0). Every one is
    /// a double. (`float64_scales`, created empty here, served the Float64
    /// scores of steps 3–6 and goes in step 7.)
    static func fillFloat32Scales(_ db: any SQLSession) throws {
        try db.insert(into: "float32_scales", columns: ["exponent", "scale"], rows: (0..<256).map { e in
            [e, Double(sign: .plus, exponent: Swift.max(e, 1) - 150, significand: 1)]
        }, ignoringConflicts: false)
    }

    /// Rows of one draw each, grouped into one blob per (run date, series, day)
    /// in draw order (draw numbers were 0…n−1, so pairing by index is kept).
    private static func convertDraws(_ db: Database) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT run_date, series_id, day, date, level, predictive FROM draws ORDER BY run_date, series_id, day, draw
            """)
        var key: (String, Int64)?
        var days: [DayDraws] = []
        func flush() throws {
            if let (runDate, seriesId) = key {
                try ResultRowsSQL.insertDraws(days, runDate: runDate, seriesId: seriesId, into: GRDBSession(db: db))
            }
            days = []
        }
        while let row = try cursor.next() {
            let runDate: String = row["run_date"], seriesId: Int64 = row["series_id"], day: Int = row["day"]
            if key.map({ $0 != (runDate, seriesId) }) ?? true {
                try flush()
                key = (runDate, seriesId)
            }
            let level: Double = row["level"], predictive: Double = row["predictive"]
            if days.last?.day != day { days.append(DayDraws(day: day, date: row["date"], level: [], predictive: [])) }
            days[days.count - 1].level.append(Float(level))
            days[days.count - 1].predictive?.append(Float(predictive))
        }
        try flush()
    }

    private static func convertModelInput(_ db: Database) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM model_input ORDER BY run_date, series_id, seq")
        var key: (String, Int64)?
        var rows: [ModelInputRow] = []
        func flush() throws {
            if let (runDate, seriesId) = key {
                try ResultRowsSQL.insertModelInput(rows, runDate: runDate, seriesId: seriesId, into: GRDBSession(db: db))
            }
            rows = []
        }
        while let row = try cursor.next() {
            let runDate: String = row["run_date"], seriesId: Int64 = row["series_id"]
            if key.map({ $0 != (runDate, seriesId) }) ?? true {
                try flush()
                key = (runDate, seriesId)
            }
            let timeText: String = row["time"]
            guard let time = StoreTime.instant(timeText) else {
                throw StoreError.invalidResults(runDate: runDate, seriesId: seriesId, problem: "model_input time \"\(timeText)\"")
            }
            rows.append(ModelInputRow(time: time, day: row["day"], y: row["y"], z: row["z"], outlier: row["outlier"],
                                      majorVersion: row["major_version"]))
        }
        try flush()
    }
}

/// The data step of schema v7 (``StoreSchema/version7SinglePrecisionScores``):
/// every `model_input_parts.z` blob of 8 bytes a row becomes one of 4 (a blob
/// already single — written by this binary's v3 data step — is left alone),
/// one run date at a time so memory stays that of one run date; then the
/// `model_input` view is created again over the new blobs. Inside the
/// migration's transaction, like every step.
enum SinglePrecisionScoresMigration {
    @Sendable static func convert(_ session: any SQLSession) throws {
        let runDates: [String] = try session.values("SELECT DISTINCT run_date FROM model_input_parts ORDER BY run_date")
        for runDate in runDates {
            let parts = try session.rows("""
                SELECT p.series_id, p.first_seq, p.z,
                       (SELECT COUNT(*) FROM model_input_rows r WHERE r.chunk_id = p.chunk_id) AS n
                FROM model_input_parts p WHERE p.run_date = ?
                """, [runDate])
            for part in parts {
                let seriesId: Int64 = try part["series_id"], firstSeq: Int64 = try part["first_seq"], count: Int = try part["n"]
                let data: Data = try part["z"]
                // Already single precision (or empty): nothing to convert.
                guard count > 0, data.count == ScoreBlob.legacyBytesPerScore * count,
                      let scores = ScoreBlob.decode(data, count: count) else { continue }
                try session.execute("""
                    UPDATE model_input_parts SET z = ? WHERE run_date = ? AND series_id = ? AND first_seq = ?
                    """, [ScoreBlob.encode(scores), runDate, seriesId, firstSeq])
            }
        }
        try session.execute(StoreSchema.modelInputView(session.dialect))
    }
}
