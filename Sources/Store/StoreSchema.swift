import Foundation
import GRDB

/// The store's tables (SPEC §9), versioned: each schema step is a GRDB
/// migration, recorded in the `grdb_migrations` table, applied in order when a
/// store is opened. A store that records a step this binary does not know is
/// refused (``StoreError/newerSchema(path:unknownMigrations:)``).
///
/// The SQL is kept to what SQLite and PostgreSQL share (TEXT, INTEGER, REAL,
/// plain keys): the PostgreSQL backend (``PostgresStore``) runs the same
/// steps, recorded in a `grdb_migrations` table of its own, with the types
/// translated by ``postgresSQL(_:)``. Only the two compatibility views of v3
/// (``compatibilityViews(_:)``) are written per dialect (SQLite's `hex` and
/// `instr`, PostgreSQL's `get_byte`).
/// Conventions: instants are `YYYY-MM-DDTHH:MM:SS.mmmZ` text (UTC), days
/// `YYYY-MM-DD` text, booleans 0/1, absent text ''.
public enum StoreSchema {
    /// One schema step: its SQL, then (for steps that convert stored data
    /// to a new layout) a data step run in the same transaction.
    public struct Migration: Sendable {
        public let identifier: String
        public let sql: String
        let dataStep: (@Sendable (any SQLSession) throws -> Void)?
    }

    /// Schema steps in order; the version of a store is how many it has.
    public static let migrations: [Migration] = [
        Migration(identifier: "v1-initial", sql: version1, dataStep: nil),
        Migration(identifier: "v2-alert-rule-and-claims", sql: version2, dataStep: nil),
        Migration(identifier: compactLayoutIdentifier, sql: version3, dataStep: CompactLayoutMigration.convert),
        Migration(identifier: "v4-change-days", sql: version4ChangeDays, dataStep: nil),
        Migration(identifier: "v5-series-signature", sql: version5SeriesSignature, dataStep: nil),
        Migration(identifier: "v6-noise-choice", sql: version6NoiseChoice, dataStep: nil),
        Migration(identifier: "v7-single-precision-scores", sql: version7SinglePrecisionScores,
                  dataStep: SinglePrecisionScoresMigration.convert),
    ]

    /// The step from which draws are blobs and model input is shared (v3).
    public static let compactLayoutIdentifier = "v3-compact-draws-shared-input"

    public static var currentVersion: Int { migrations.count }

    /// Schema step 1: every table.
    public static let version1 = """
        CREATE TABLE series (
            id              INTEGER PRIMARY KEY,
            project         TEXT NOT NULL DEFAULT '',
            suite           TEXT NOT NULL,
            test            TEXT NOT NULL DEFAULT '',
            platform        TEXT NOT NULL,
            framework       TEXT NOT NULL DEFAULT '',
            sname           TEXT NOT NULL,
            os              TEXT NOT NULL DEFAULT '',
            lower_is_better INTEGER CHECK (lower_is_better IN (0, 1)),
            unit            TEXT NOT NULL DEFAULT '',
            UNIQUE (project, suite, test, platform)
        );
        CREATE TABLE measurements (
            id            INTEGER PRIMARY KEY,
            series_id     INTEGER NOT NULL REFERENCES series(id),
            time          TEXT NOT NULL,
            value         REAL NOT NULL,
            revision      TEXT NOT NULL DEFAULT '',
            task_id       TEXT NOT NULL DEFAULT '',
            label         TEXT NOT NULL DEFAULT '',
            extra_options TEXT NOT NULL DEFAULT '',
            version       TEXT NOT NULL DEFAULT '',
            UNIQUE (series_id, time, value, revision, task_id, label, extra_options)
        );
        CREATE TABLE model_input (
            run_date      TEXT NOT NULL,
            series_id     INTEGER NOT NULL REFERENCES series(id),
            seq           INTEGER NOT NULL,
            time          TEXT NOT NULL,
            day           INTEGER NOT NULL,
            y             REAL NOT NULL,
            z             REAL,
            outlier       INTEGER NOT NULL CHECK (outlier IN (0, 1)),
            major_version INTEGER,
            PRIMARY KEY (run_date, series_id, seq)
        );
        CREATE TABLE intervals (
            run_date  TEXT NOT NULL,
            series_id INTEGER NOT NULL REFERENCES series(id),
            day       INTEGER NOT NULL,
            date      TEXT NOT NULL,
            level_p05 REAL NOT NULL, level_p25 REAL NOT NULL, level_p50 REAL NOT NULL,
            level_p75 REAL NOT NULL, level_p95 REAL NOT NULL,
            p05 REAL NOT NULL, p15 REAL NOT NULL, p16 REAL NOT NULL, p25 REAL NOT NULL, p50 REAL NOT NULL,
            p75 REAL NOT NULL, p84 REAL NOT NULL, p85 REAL NOT NULL, p95 REAL NOT NULL,
            raw_p05 REAL NOT NULL, raw_p50 REAL NOT NULL, raw_p95 REAL NOT NULL,
            PRIMARY KEY (run_date, series_id, day)
        );
        CREATE TABLE draws (
            run_date   TEXT NOT NULL,
            series_id  INTEGER NOT NULL REFERENCES series(id),
            day        INTEGER NOT NULL,
            date       TEXT NOT NULL,
            draw       INTEGER NOT NULL,
            level      REAL NOT NULL,
            predictive REAL NOT NULL,
            PRIMARY KEY (run_date, series_id, day, draw)
        );
        CREATE TABLE diagnostics (
            run_date               TEXT NOT NULL,
            series_id              INTEGER NOT NULL REFERENCES series(id),
            model                  TEXT NOT NULL,
            sampler                TEXT NOT NULL,
            noise                  TEXT NOT NULL,
            status                 TEXT NOT NULL CHECK (status IN ('good', 'flagged', 'failed')),
            reasons                TEXT NOT NULL DEFAULT '',
            error                  TEXT NOT NULL DEFAULT '',
            n_points               INTEGER,
            n_outliers             INTEGER,
            first_date             TEXT,
            last_date              TEXT,
            k                      INTEGER,
            n_divergent            INTEGER,
            max_rhat               REAL,
            min_ess_bulk           REAL,
            min_ess_tail           REAL,
            n_eff_ratio            REAL,
            exceeded_max_treedepth INTEGER,
            min_bfmi               REAL,
            recalibration_factor   REAL,
            coverage_before        REAL,
            coverage_after         REAL,
            beta_p05               REAL,
            beta_p95               REAL,
            modes_count            INTEGER,
            modes_summary          TEXT NOT NULL DEFAULT '',
            warmup_ms              REAL,
            sampling_ms            REAL,
            total_ms               REAL,
            seed                   INTEGER,
            created_at             TEXT NOT NULL,
            PRIMARY KEY (run_date, series_id)
        );
        CREATE TABLE comparisons (
            run_date   TEXT NOT NULL,
            series_id  INTEGER NOT NULL REFERENCES series(id),
            label      TEXT NOT NULL,
            date       TEXT NOT NULL,
            p05 REAL NOT NULL, p10 REAL NOT NULL, p50 REAL NOT NULL, p90 REAL NOT NULL, p95 REAL NOT NULL,
            p_worse    REAL NOT NULL,
            regression INTEGER NOT NULL CHECK (regression IN (0, 1)),
            alert      INTEGER NOT NULL CHECK (alert IN (0, 1)),
            PRIMARY KEY (run_date, series_id, label)
        );
        CREATE INDEX series_by_sname ON series (sname, os);
        """

    /// Schema step 2 (issue "A contract that alerting scripts and schedulers
    /// can trust"):
    /// - `comparisons.min_change`, `comparisons.threshold`,
    ///   `comparisons.p_worse_beyond`: the alert rule `run` applied (minimum
    ///   change in percent, probability threshold) and the posterior
    ///   probability of a change worse than the minimum (SPEC §8 v2); NULL in
    ///   rows of older runs;
    /// - `claims`: which `run` process is fitting a series for a run date, until
    ///   when (SPEC §9 v2: many processes share one store, each series is fitted
    ///   once; a claim of a killed process expires).
    public static let version2 = """
        ALTER TABLE comparisons ADD COLUMN min_change REAL;
        ALTER TABLE comparisons ADD COLUMN threshold REAL;
        ALTER TABLE comparisons ADD COLUMN p_worse_beyond REAL;
        CREATE TABLE claims (
            run_date   TEXT NOT NULL,
            series_id  INTEGER NOT NULL REFERENCES series(id),
            owner      TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (run_date, series_id)
        );
        """

    /// Schema step 3 (issue 14, "a store that lasts"; SPEC §9 "draws kept
    /// compactly"):
    /// - `day_draws`: one row per (run date, series, day) with the day's draws
    ///   as little-endian Float32 blobs (``DrawBlob``): `level` always,
    ///   `predictive` for D and its comparison days; draw `i` of every day of a
    ///   (run date, series) is posterior draw `i`. Replaces the one-row-per-draw
    ///   `draws` table, which becomes a view with its old columns (decoding the
    ///   blobs in SQL, for analysts' queries and notebooks);
    /// - `model_input_chunks`, `model_input_rows`, `model_input_parts`: model
    ///   input cut into 14-day chunks stored once per series and referenced by
    ///   every run date that used them, each reference with its day origin and
    ///   the run date's outlier scores of the chunk (``ModelInputChunks``,
    ///   ``ScoreBlob``); `model_input` becomes a view with its old columns;
    /// - `diagnostics.kept`: `full` for the latest run date of a series,
    ///   `window` once trimmed (``StoreRetention``);
    /// - `draw_numbers` (0, 1, … up to the most draws a day holds),
    ///   `float32_scales` (2^(e−150) per Float32 exponent e) and
    ///   `float64_scales` (for the Float64 scores of steps 3–6, dropped by
    ///   step 7): the small tables the views decode with;
    /// - an index of `diagnostics` by series, for the latest run date of each.
    ///
    /// The data step (``CompactLayoutMigration``) converts the rows of an older
    /// store, trims its older run dates, then replaces the tables by the views.
    public static let version3 = """
        CREATE TABLE day_draws (
            run_date   TEXT NOT NULL,
            series_id  INTEGER NOT NULL REFERENCES series(id),
            day        INTEGER NOT NULL,
            date       TEXT NOT NULL,
            draw_count INTEGER NOT NULL,
            level      BLOB NOT NULL,
            predictive BLOB,
            PRIMARY KEY (run_date, series_id, day)
        );
        CREATE INDEX day_draws_by_date ON day_draws (run_date, date, series_id);
        CREATE TABLE draw_numbers (n INTEGER PRIMARY KEY);
        CREATE TABLE float32_scales (exponent INTEGER PRIMARY KEY, scale REAL NOT NULL);
        CREATE TABLE float64_scales (exponent INTEGER PRIMARY KEY, scale REAL NOT NULL);
        CREATE TABLE model_input_chunks (
            id           INTEGER PRIMARY KEY,
            series_id    INTEGER NOT NULL REFERENCES series(id),
            content_hash TEXT NOT NULL,
            UNIQUE (series_id, content_hash)
        );
        CREATE TABLE model_input_rows (
            chunk_id      INTEGER NOT NULL REFERENCES model_input_chunks(id),
            seq           INTEGER NOT NULL,
            time          TEXT NOT NULL,
            epoch_day     INTEGER NOT NULL,
            y             REAL NOT NULL,
            outlier       INTEGER NOT NULL CHECK (outlier IN (0, 1)),
            major_version INTEGER,
            PRIMARY KEY (chunk_id, seq)
        );
        CREATE TABLE model_input_parts (
            run_date  TEXT NOT NULL,
            series_id INTEGER NOT NULL REFERENCES series(id),
            first_seq INTEGER NOT NULL,
            chunk_id  INTEGER NOT NULL REFERENCES model_input_chunks(id),
            origin    INTEGER NOT NULL,
            z         BLOB NOT NULL,
            PRIMARY KEY (run_date, series_id, first_seq)
        );
        CREATE INDEX model_input_parts_by_chunk ON model_input_parts (chunk_id);
        ALTER TABLE diagnostics ADD COLUMN kept TEXT NOT NULL DEFAULT 'full';
        CREATE INDEX diagnostics_by_series ON diagnostics (series_id, run_date);
        """

    /// The views that give `draws` and `model_input` their schema-v2 columns
    /// over the compact tables (created by the v3 data step, after the old
    /// tables of those names are dropped).
    static func compatibilityViews(_ dialect: SQLDialect) -> [String] {
        switch dialect {
        case .sqlite:
            return [drawsView { blob, offset in uint32(fromHex: "hex(substr(\(blob), \(offset) + 1, 4))") },
                    modelInputView(dialect)]
        case .postgresql:
            // The same bytes read with `get_byte` (offsets are `int4`).
            return [drawsView(postgresUInt32), modelInputView(dialect)]
        }
    }

    /// `draws`: one row per draw, each Float32 decoded from the unsigned
    /// integer of its 4 bytes (`uint32(blob, offset)` in the dialect's SQL)
    /// with the scales of `float32_scales`; draw numbers from `draw_numbers`.
    private static func drawsView(_ uint32: (_ blob: String, _ offset: String) -> String) -> String {
        """
        CREATE VIEW draws AS
        SELECT b.run_date, b.series_id, b.day, b.date, b.draw,
               \(float32("b.level_bits", scale: "l.scale")) AS level,
               CASE WHEN b.predictive_bits IS NULL THEN NULL
                    ELSE \(float32("b.predictive_bits", scale: "p.scale")) END AS predictive
        FROM (SELECT d.run_date, d.series_id, d.day, d.date, k.n AS draw,
                     \(uint32("d.level", "4 * k.n")) AS level_bits,
                     CASE WHEN d.predictive IS NULL THEN NULL
                          ELSE \(uint32("d.predictive", "4 * k.n")) END AS predictive_bits
              FROM day_draws d JOIN draw_numbers k ON k.n < d.draw_count) b
        JOIN float32_scales l ON l.exponent = (b.level_bits >> 23) & 255
        LEFT JOIN float32_scales p ON p.exponent = (b.predictive_bits >> 23) & 255
        """
    }

    /// `model_input`: the chunks' rows with this run date's scores, each the
    /// Float32 of the 4 bytes of row `r.seq` in `p.z` (``ScoreBlob``; NaN,
    /// exponent field 255, is NULL) decoded with the scales of `float32_scales`.
    static func modelInputView(_ dialect: SQLDialect) -> String {
        let bits = switch dialect {
        case .sqlite: uint32(fromHex: "hex(substr(p.z, 4 * r.seq + 1, 4))")
        case .postgresql: postgresUInt32("p.z", at: "4 * r.seq")
        }
        return """
            CREATE VIEW model_input AS
            SELECT m.run_date, m.series_id, m.seq, m.time, m.day, m.y,
                   CASE WHEN ((m.z_bits >> 23) & 255) = 255 THEN NULL
                        ELSE \(float32("m.z_bits", scale: "s.scale")) END AS z,
                   m.outlier, m.major_version
            FROM (SELECT p.run_date, p.series_id, p.first_seq + r.seq AS seq, r.time, r.epoch_day - p.origin AS day, r.y,
                         r.outlier, r.major_version, \(bits) AS z_bits
                  FROM model_input_parts p JOIN model_input_rows r ON r.chunk_id = p.chunk_id) m
            JOIN float32_scales s ON s.exponent = (m.z_bits >> 23) & 255
            """
    }

    /// Byte `k` after `offset` of `blob`, as a `bigint` (PostgreSQL).
    private static func postgresByte(_ blob: String, at offset: String, _ k: Int) -> String {
        "get_byte(\(blob), (\(offset) + \(k))::int)::bigint"
    }

    /// The unsigned integer of the 4 little-endian bytes at `offset` of `blob` (PostgreSQL).
    private static func postgresUInt32(_ blob: String, at offset: String) -> String {
        "(" + (0..<4).map { "(\(postgresByte(blob, at: offset, $0)) << \(8 * $0))" }.joined(separator: " + ") + ")"
    }

    /// A schema step's SQL as PostgreSQL spells it: the keys that SQLite
    /// numbers by itself become `BIGSERIAL`, `INTEGER` becomes `BIGINT` (every
    /// id and count fits either way; one width avoids casts), `REAL` becomes
    /// `DOUBLE PRECISION` (SQLite's REAL is 8 bytes) and `BLOB` `BYTEA`.
    public static func postgresSQL(_ sql: String) -> String {
        sql.replacingOccurrences(of: #"\bINTEGER PRIMARY KEY\b"#, with: "BIGSERIAL PRIMARY KEY", options: .regularExpression)
            .replacingOccurrences(of: #"\bINTEGER\b"#, with: "BIGINT", options: .regularExpression)
            .replacingOccurrences(of: #"\bREAL\b"#, with: "DOUBLE PRECISION", options: .regularExpression)
            .replacingOccurrences(of: #"\bBLOB\b"#, with: "BYTEA", options: .regularExpression)
    }

    /// The statements of a step's SQL, one by one (a prepared statement holds
    /// one; the schema's SQL has no `;` inside literals).
    static func statements(_ sql: String) -> [String] {
        sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// SQL of the unsigned integer of 4 little-endian bytes given as 8 hex
    /// digits (`hex(substr(blob, …, 4))`): byte k is digits 2k+1, 2k+2.
    private static func uint32(fromHex hex: String) -> String {
        func digit(_ position: Int) -> String { "(instr('0123456789ABCDEF', substr(\(hex), \(position), 1)) - 1)" }
        let weights = [(7, 268_435_456), (8, 16_777_216), (5, 1_048_576), (6, 65_536), (3, 4_096), (4, 256), (1, 16), (2, 1)]
        return "(" + weights.map { "\(digit($0.0)) * \($0.1)" }.joined(separator: " + ") + ")"
    }

    /// SQL of the Float32 with bit pattern `bits`:
    /// (−1)^sign × (mantissa + 2²³ if the exponent e > 0) × 2^(max(e, 1) − 150),
    /// the last factor looked up in `float32_scales` (SQLite has no `pow` in
    /// every build). Exact in double precision; never infinite or NaN (the
    /// store refuses non-finite draws).
    private static func float32(_ bits: String, scale: String) -> String {
        "((1 - 2 * ((\(bits) >> 31) & 1)) * ((\(bits) & 8388607) + CASE WHEN ((\(bits) >> 23) & 255) = 0 THEN 0 ELSE 8388608 END) * \(scale))"
    }

    /// Schema step 4 (issue 13, the report's "when"): `change_days`, the days
    /// on which the model's level probably stepped (SPEC §5b), one row per
    /// (run date, series, day) with the posterior probability of a material
    /// step and its median size in percent. Models without steps (the
    /// reference) write none, so a series may have no rows here: the table is
    /// not one of ``resultTables`` (whose coverage `diagnose` checks).
    public static let version4ChangeDays = """
        CREATE TABLE change_days (
            run_date     TEXT NOT NULL,
            series_id    INTEGER NOT NULL REFERENCES series(id),
            date         TEXT NOT NULL,
            probability  REAL NOT NULL,
            size_percent REAL NOT NULL,
            PRIMARY KEY (run_date, series_id, date)
        );
        """

    /// Schema step 6 (issue 11, SPEC §5b): `noise_choice`, how a step-level
    /// fit's noise model was chosen — per candidate its PSIS-LOO elpd, se,
    /// p_loo, the elpd difference to the best with its standard error and
    /// the Pareto k̂ (largest, count above 0.7), whether it was chosen and why.
    /// Optional like `change_days` (the reference model writes none).
    public static let version6NoiseChoice = """
        CREATE TABLE noise_choice (
            run_date       TEXT NOT NULL,
            series_id      INTEGER NOT NULL REFERENCES series(id),
            candidate      TEXT NOT NULL,
            chosen         INTEGER NOT NULL CHECK (chosen IN (0, 1)),
            reason         TEXT NOT NULL,
            elpd_loo       REAL,
            se             REAL,
            p_loo          REAL,
            elpd_diff      REAL,
            dse            REAL,
            max_pareto_k   REAL,
            n_pareto_k_above_0_7 INTEGER,
            PRIMARY KEY (run_date, series_id, candidate)
        );
        """

    /// Schema step 5 (issue 13, links from the report): `series.signature`,
    /// Perfherder's signature id of the series ('' when no source said), so
    /// the report can link to the series' graph.
    public static let version5SeriesSignature = """
        ALTER TABLE series ADD COLUMN signature TEXT NOT NULL DEFAULT '';
        """

    /// Schema step 7 (issue 14, SPEC §9 "one more run date must stay cheap"):
    /// the outlier scores of `model_input_parts.z` in single precision, 4
    /// bytes a row instead of 8 (``ScoreBlob``) — every run date stores every
    /// row's score again, so this is about a tenth of what a run date adds.
    /// The data step (``SinglePrecisionScoresMigration``) converts the stored
    /// blobs and puts back the `model_input` view, which now decodes Float32;
    /// the Float64 scales that view needed go.
    public static let version7SinglePrecisionScores = """
        DROP VIEW model_input;
        DROP TABLE float64_scales;
        """

    /// All steps as a GRDB migrator.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in migrations {
            migrator.registerMigration(step.identifier) { db in
                try db.execute(sql: step.sql)
                try step.dataStep?(GRDBSession(db: db))
            }
        }
        return migrator
    }

    /// How a store keeps its results: schema v3's compact tables, or (a v1 or
    /// v2 store opened read-only, not upgraded) one row per draw and per input row.
    enum Layout: Sendable {
        case compact
        case rows

        /// The tables of the result of one (run date, series), in write
        /// order, by the name `diagnose` reports them under.
        var resultTables: [(name: String, table: String)] {
            switch self {
            case .compact:
                return [("model_input", "model_input_parts"), ("intervals", "intervals"), ("draws", "day_draws"),
                        ("comparisons", "comparisons"), ("diagnostics", "diagnostics")]
            case .rows:
                return ["model_input", "intervals", "draws", "comparisons", "diagnostics"].map { ($0, $0) }
            }
        }
    }

    /// Result tables in which a (run date, series) may have no rows at all
    /// (a model without change days): written and replaced with the others,
    /// left out of the coverage checks. Absent from stores older than step 4.
    static let optionalResultTables = ["change_days", "noise_choice"]
}
