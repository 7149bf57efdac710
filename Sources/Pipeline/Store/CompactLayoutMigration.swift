import Foundation
import GRDB

/// The data step of schema v3 (``StoreSchema/version3``): converts a v1/v2
/// store's one-row-per-draw `draws` into `day_draws` blobs and its per-run-date
/// copies of `model_input` into shared chunks, trims the older run dates of
/// each series as ``StoreRetention`` says, and puts views with the old
/// columns in place of the two old tables. It runs inside the migration's
/// transaction: a store is upgraded completely or not at all.
enum CompactLayoutMigration {
    @Sendable static func convert(_ db: Database) throws {
        try fillFloat32Scales(db)
        try convertDraws(db)
        try convertModelInput(db)
        try db.execute(sql: "DROP TABLE draws; DROP TABLE model_input;")
        try db.execute(sql: StoreSchema.compatibilityViews)
        for seriesId in try Int64.fetchAll(db, sql: "SELECT DISTINCT series_id FROM diagnostics") {
            let latest = try ResultRowsSQL.latestKeptRunDate(seriesId: seriesId, in: db)
            try ResultRowsSQL.trimOlderRunDates(seriesId: seriesId, latest: latest, in: db)
        }
    }

    /// 2^(max(e, 1) − 150) for every Float32 exponent field e (0…255) and
    /// 2^(max(e, 1) − 1075) for every Float64 one (0…2047): the factor of the
    /// integer significand (subnormals at e = 0). Every one is a double.
    static func fillFloat32Scales(_ db: Database) throws {
        let float32 = try db.makeStatement(sql: "INSERT INTO float32_scales (exponent, scale) VALUES (?, ?)")
        for e in 0..<256 {
            try float32.execute(arguments: [e, Double(sign: .plus, exponent: Swift.max(e, 1) - 150, significand: 1)])
        }
        let float64 = try db.makeStatement(sql: "INSERT INTO float64_scales (exponent, scale) VALUES (?, ?)")
        for e in 0..<2047 {
            try float64.execute(arguments: [e, Double(sign: .plus, exponent: Swift.max(e, 1) - 1075, significand: 1)])
        }
        try float64.execute(arguments: [2047, 0.0])   // NaN and infinities: the view gives NULL
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
                try ResultRowsSQL.insertDraws(days, runDate: runDate, seriesId: seriesId, into: db)
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
                try ResultRowsSQL.insertModelInput(rows, runDate: runDate, seriesId: seriesId, into: db)
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
