import Foundation
import GRDB

/// The store's tables (SPEC §9), versioned: each schema step is a GRDB
/// migration, recorded in the `grdb_migrations` table, applied in order when a
/// store is opened. A store that records a step this binary does not know is
/// refused (``StoreError/newerSchema(path:unknownMigrations:)``).
///
/// The SQL is kept to what SQLite and PostgreSQL share (TEXT, INTEGER, REAL,
/// plain keys), so the PostgreSQL backend can run the same statements with
/// `INTEGER PRIMARY KEY` → `BIGSERIAL PRIMARY KEY` and `REAL` → `DOUBLE PRECISION`.
/// Conventions: instants are `YYYY-MM-DDTHH:MM:SS.mmmZ` text (UTC), days
/// `YYYY-MM-DD` text, booleans 0/1, absent text ''.
public enum StoreSchema {
    /// Schema steps in order; the version of a store is how many it has.
    public static let migrations: [(identifier: String, sql: String)] = [
        ("v1-initial", version1), ("v2-alert-rule-and-claims", version2),
        ("v3-change-days", version3ChangeDays), ("v3-series-signature", version3SeriesSignature),
    ]

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

    /// Schema step 3 (issue 13, the report's "when"): `change_days`, the days
    /// on which the model's level probably stepped (SPEC §5b), one row per
    /// (run date, series, day) with the posterior probability of a material
    /// step and its median size in percent. Models without steps (the
    /// reference) write none, so a series may have no rows here: the table is
    /// not one of ``resultTables`` (whose coverage `diagnose` checks).
    public static let version3ChangeDays = """
        CREATE TABLE change_days (
            run_date     TEXT NOT NULL,
            series_id    INTEGER NOT NULL REFERENCES series(id),
            date         TEXT NOT NULL,
            probability  REAL NOT NULL,
            size_percent REAL NOT NULL,
            PRIMARY KEY (run_date, series_id, date)
        );
        """

    /// Schema step 4 (issue 13, links from the report): `series.signature`,
    /// Perfherder's signature id of the series ('' when no source said), so
    /// the report can link to the series' graph.
    public static let version3SeriesSignature = """
        ALTER TABLE series ADD COLUMN signature TEXT NOT NULL DEFAULT '';
        """

    /// All steps as a GRDB migrator.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in migrations {
            migrator.registerMigration(step.identifier) { db in try db.execute(sql: step.sql) }
        }
        return migrator
    }

    /// The tables of the result of one (run date, series), in write order.
    static let resultTables = ["model_input", "intervals", "draws", "comparisons", "diagnostics"]

    /// Result tables in which a (run date, series) may have no rows at all
    /// (a model without change days): written and replaced with the others,
    /// left out of the coverage checks. Absent from stores older than step 3.
    static let optionalResultTables = ["change_days"]
}
