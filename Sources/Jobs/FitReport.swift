import Foundation
import NumericCore
import Sampling
import Diagnostics
import SeriesAnalysis
import Store
import Reports

/// The machine-readable result of `slowreg fit`: a stable JSON contract that
/// alerting scripts rely on. Keys are snake_case; absent values are `null`.
public struct FitReport: Encodable, Sendable {
    public struct Model: Encodable, Sendable {
        /// The named model (SPEC §5): `reference` or `step-level`, and its version.
        public var name: String
        public var version: Int
        public var noise: String
        public var sampler: String
        public var parametrization: String
        public var chains: Int
        public var warmup: Int
        public var draws: Int
        public var kept_draws: Int
        public var seed: UInt64
        public var k: Int
        public var n_points: Int
        public var n_outliers: Int
        public var n_rows: Int
        public var first_date: String
        public var last_date: String
        public var run_date: String
        public var lower_is_better: Bool
    }

    public struct LevelQuantiles: Encodable, Sendable {
        public var p05, p25, p50, p75, p95: Double
    }

    public struct PredictiveQuantiles: Encodable, Sendable {
        public var p05, p15, p16, p25, p50, p75, p84, p85, p95: Double
    }

    public struct Day: Encodable, Sendable {
        public var date: String
        public var day: Int
        public var level: LevelQuantiles
        public var predictive: PredictiveQuantiles
        public var predictive_raw: PredictiveQuantiles
    }

    public struct DiagnosticsSummary: Encodable, Sendable {
        public var status: String
        public var warnings: [String]
        public var n_divergent: Int
        public var max_rhat: Double?
        public var min_ess_bulk: Double?
        public var min_ess_tail: Double?
        public var n_eff_ratio: Double?
        public var exceeded_max_treedepth: Int
        public var min_bfmi: Double?
    }

    public struct Timing: Encodable, Sendable {
        public var warmup_ms: Double
        public var sampling_ms: Double
        public var total_ms: Double
    }

    public struct Point: Encodable, Sendable {
        public var time: String
        public var day: Int
        public var y: Double
        public var z: Double
        public var outlier: Bool
        /// Whether the model saw the run (a flagged run in the tail does).
        public var modelled: Bool
    }

    public struct ChangeDayRecord: Encodable, Sendable {
        public var date: String
        public var probability: Double
        public var size_percent: Double
    }

    public struct RecalibrationSummary: Encodable, Sendable {
        public var factor: Double?
        /// `leave-one-out` (step-level) or `in-sample` (reference): how the coverages were measured.
        public var measured: String?
        public var coverage_before: Double?
        public var coverage_after: Double?
        /// Leave-one-out only: the factor the target asked for when the one applied was bounded,
        /// and the PSIS diagnostic of the runs' leave-one-out intervals (largest k̂, runs with k̂ > 0.7).
        public var required_factor: Double?
        public var pareto_k_max: Double?
        public var pareto_k_above_0_7: Int?
        public var check_inside: Int?
        public var check_outside: Int?
        public var check_beta_p05: Double?
        public var check_beta_p95: Double?
    }

    public struct Modes: Encodable, Sendable {
        public var count: Int?
        public var summary: String?
    }

    public struct Comparison: Encodable, Sendable {
        public var label: String
        public var date: String?
        public var p05, p10, p50, p90, p95, p_worse: Double?
        /// The alert rule's minimum change (percent) and P(worse by more than it).
        public var min_change: Double?
        public var p_worse_beyond: Double?
        public var regression: Bool?
        public var alert: Bool
        public var skipped: String?
        public var stale: String?
        /// The change in the series' unit (μ_D − μ_c): p10, p50, p90.
        public var abs_p10, abs_p50, abs_p90: Double?
    }

    /// Version of this JSON document (``StoredComparisons/schemaVersion``).
    public var schema_version = StoredComparisons.schemaVersion
    public var model: Model
    public var days: [Day]
    public var diagnostics: DiagnosticsSummary
    /// nil when the caller asked for reproducible output (timings vary run to run).
    public var timing: Timing?
    public var points: [Point]
    public var recalibration: RecalibrationSummary
    public var modes: Modes
    public var comparisons: [Comparison]
    /// Days the level probably stepped on (empty for the reference model).
    public var change_days: [ChangeDayRecord]
    /// How the noise model was chosen (step-level model): PSIS-LOO of each
    /// candidate; nil for the reference model.
    public var noise_choice: NoiseChoiceRecord?
    public var notes: [String]

    public struct NoiseChoiceRecord: Encodable, Sendable {
        public struct Candidate: Encodable, Sendable {
            public var name: String
            public var elpd_loo: Double
            public var se: Double
            public var p_loo: Double
            public var elpd_diff: Double
            public var dse: Double
            public var max_pareto_k: Double
            public var n_pareto_k_above_0_7: Int
        }
        public var chosen: String
        public var reason: String
        public var candidates: [Candidate]

        public init(_ c: NoiseChoice) {
            chosen = c.chosen
            reason = c.reason
            candidates = c.candidates.map {
                Candidate(name: $0.name, elpd_loo: $0.elpd, se: $0.standardError, p_loo: $0.effectiveParameters,
                          elpd_diff: $0.elpdDifference, dse: $0.differenceStandardError,
                          max_pareto_k: $0.maxParetoK.isFinite ? $0.maxParetoK : 1e308,
                          n_pareto_k_above_0_7: $0.highParetoKCount)
            }
        }
    }

    public init(_ result: SeriesJobResult, options: SeriesJobOptions, includeTiming: Bool = true) {
        let fit = result.fit
        let s = options.fit.sampler
        model = Model(name: fit.modelName, version: fit.modelVersion,
                      noise: fit.noise?.chosen ?? options.fit.noise.rawValue, sampler: s.sampler.rawValue,
                      parametrization: options.fit.parametrization.rawValue, chains: s.chains, warmup: s.warmup,
                      draws: fit.diagnostics.drawsPerChain, kept_draws: fit.level.drawCount, seed: s.seed, k: fit.parameterCount,
                      n_points: fit.pointCount, n_outliers: result.prepared.outlierCount,
                      n_rows: result.prepared.rows.count,
                      first_date: result.fitStart.description,
                      last_date: result.date(ofRow: fit.dayCount - 1).description,
                      run_date: result.runDate.description, lower_is_better: options.lowerIsBetter)
        days = (0..<fit.dayCount).map { row in
            let l = result.sortedLevel.quantiles(day: row, [0.05, 0.25, 0.5, 0.75, 0.95])
            return Day(date: result.date(ofRow: row).description, day: fit.firstDay + row,
                       level: LevelQuantiles(p05: l[0], p25: l[1], p50: l[2], p75: l[3], p95: l[4]),
                       predictive: Self.predictiveQuantiles(result.predictiveQuantiles(row: row, Self.predictiveProbabilities)),
                       predictive_raw: Self.predictiveQuantiles(result.sortedRawPredictive.quantiles(day: row, Self.predictiveProbabilities)))
        }
        diagnostics = Self.summary(fit.diagnostics)
        timing = includeTiming ? Timing(warmup_ms: fit.timing.warmupMilliseconds, sampling_ms: fit.timing.samplingMilliseconds,
                                        total_ms: fit.timing.totalMilliseconds) : nil
        points = zip(result.prepared.rows, result.modelled).map { row, modelled in
            Point(time: StoreTime.instantText(row.time), day: row.day, y: row.value, z: row.z, outlier: row.isOutlier,
                  modelled: modelled)
        }
        change_days = result.changeDays.map {
            ChangeDayRecord(date: result.date(ofRow: $0.row).description, probability: $0.probability,
                            size_percent: $0.sizePercent)
        }
        recalibration = RecalibrationSummary(
            factor: result.recalibration?.factor, measured: result.recalibration?.method.rawValue,
            coverage_before: result.recalibration?.coverageBefore,
            coverage_after: result.recalibration?.coverageAfter,
            required_factor: result.recalibration.flatMap { $0.isBounded && $0.requiredFactor.isFinite ? $0.requiredFactor : nil },
            pareto_k_max: result.recalibration?.method == .leaveOneOut ? result.fit.leaveOneOut?.maxParetoK : nil,
            pareto_k_above_0_7: result.recalibration?.method == .leaveOneOut ? result.fit.leaveOneOut?.highParetoKCount : nil,
            check_inside: result.calibrationCheck?.inside,
            check_outside: result.calibrationCheck?.outside, check_beta_p05: result.calibrationCheck?.lowerBound,
            check_beta_p95: result.calibrationCheck?.upperBound)
        modes = Modes(count: result.modes?.count, summary: result.modes?.summary)
        comparisons = result.comparisons.map { c in
            Comparison(label: c.label, date: c.date?.description, p05: c.change?.p05, p10: c.change?.p10,
                       p50: c.change?.p50, p90: c.change?.p90, p95: c.change?.p95, p_worse: c.change?.probabilityWorse,
                       min_change: c.change?.minimumChange, p_worse_beyond: c.change?.probabilityWorseBeyondMinimum,
                       regression: c.change?.isRegression, alert: c.alert, skipped: c.skipReason, stale: c.stale,
                       abs_p10: c.change?.absolute?.p10, abs_p50: c.change?.absolute?.p50, abs_p90: c.change?.absolute?.p90)
        }
        noise_choice = fit.noise.map(NoiseChoiceRecord.init)
        notes = result.notes
    }

    /// The nine predictive quantiles of SPEC §7.
    public static let predictiveProbabilities = [0.05, 0.15, 0.16, 0.25, 0.5, 0.75, 0.84, 0.85, 0.95]

    static func predictiveQuantiles(_ q: [Double]) -> PredictiveQuantiles {
        return PredictiveQuantiles(p05: q[0], p15: q[1], p16: q[2], p25: q[3], p50: q[4], p75: q[5], p84: q[6], p85: q[7], p95: q[8])
    }

    static func summary(_ d: FitDiagnostics) -> DiagnosticsSummary {
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        let warnings: [String]
        switch d.status {
        case .good: warnings = []
        case let .flagged(issues): warnings = issues.map(\.description)
        }
        return DiagnosticsSummary(status: d.status == .good ? "good" : "flagged", warnings: warnings,
                                  n_divergent: d.divergentCount, max_rhat: finite(d.maxRhat),
                                  min_ess_bulk: finite(d.minESSBulk), min_ess_tail: finite(d.minESSTail),
                                  n_eff_ratio: finite(d.nEffRatio), exceeded_max_treedepth: d.treeDepthHitCount,
                                  min_bfmi: d.minBFMI.flatMap(finite))
    }

    /// Pretty, key-sorted JSON (stable byte for byte for the same input and seed).
    public func json() throws -> Data {
        try PrettyJSON.encode(self)
    }
}
