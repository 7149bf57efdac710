import Foundation

/// Everything the daily run stores for one (run date, series), written by
/// ``PerfStore/writeResults(_:replace:)`` in one transaction (SPEC §9): a crash
/// leaves the series either fully written or absent. The rows carry no run date
/// or series id of their own; the container's are stamped on every row.
///
/// Days are `YYYY-MM-DD` text (checked on write); `day` is the series' day index
/// (`dayi`, SPEC §4).
public struct SeriesResults: Sendable, Equatable {
    /// The run date `D`, `YYYY-MM-DD`.
    public var runDate: String
    public var seriesId: Int64
    /// Every prepared row, outliers included (SPEC §4 step 4), in time order.
    public var modelInput: [ModelInputRow]
    /// One row per day of the fitted range (as stored for an older run date:
    /// the days ``StoreRetention`` keeps).
    public var intervals: [IntervalRow]
    /// Posterior draws by day, in day order: the level of every fitted day by
    /// default (`run --keep-draws all`), the predictive of D and its
    /// comparison days. Draw `i` of every day comes from posterior draw `i`.
    public var draws: [DayDraws]
    public var diagnostics: DiagnosticsRow
    public var comparisons: [ComparisonRow]
    /// Days the level probably stepped on (SPEC §5b), in date order; empty for
    /// models without steps and in stores older than schema step 4.
    public var changeDays: [ChangeDayRow]
    /// How the noise model was chosen (step-level model, SPEC §5b): one row
    /// per PSIS-LOO candidate, or one row for a noise model not compared;
    /// empty for the reference model and in stores older than schema step 6.
    public var noiseChoice: [NoiseChoiceRow]

    public init(runDate: String, seriesId: Int64, modelInput: [ModelInputRow] = [], intervals: [IntervalRow] = [],
                draws: [DayDraws] = [], diagnostics: DiagnosticsRow, comparisons: [ComparisonRow] = [],
                changeDays: [ChangeDayRow] = [], noiseChoice: [NoiseChoiceRow] = []) {
        self.noiseChoice = noiseChoice
        self.runDate = runDate
        self.seriesId = seriesId
        self.modelInput = modelInput
        self.intervals = intervals
        self.draws = draws
        self.diagnostics = diagnostics
        self.comparisons = comparisons
        self.changeDays = changeDays
    }
}

/// One row of `noise_choice`: a noise-model candidate of a fit with its
/// PSIS-LOO figures (nil when the noise model was not compared), whether it
/// was chosen, and why.
public struct NoiseChoiceRow: Sendable, Equatable {
    public var candidate: String
    public var chosen: Bool
    public var reason: String
    public var elpd: Double?
    public var se: Double?
    public var pLoo: Double?
    /// The best candidate's elpd minus this one's (≥ 0), and its standard error.
    public var elpdDiff: Double?
    public var dse: Double?
    public var maxParetoK: Double?
    public var paretoKAbove07: Int?

    public init(candidate: String, chosen: Bool, reason: String, elpd: Double? = nil, se: Double? = nil,
                pLoo: Double? = nil, elpdDiff: Double? = nil, dse: Double? = nil, maxParetoK: Double? = nil,
                paretoKAbove07: Int? = nil) {
        self.candidate = candidate
        self.chosen = chosen
        self.reason = reason
        self.elpd = elpd
        self.se = se
        self.pLoo = pLoo
        self.elpdDiff = elpdDiff
        self.dse = dse
        self.maxParetoK = maxParetoK
        self.paretoKAbove07 = paretoKAbove07
    }
}

/// One row of `change_days`: a day on which the level moved by a material
/// step (``StepLevelFitter/materialStepPercent``) with posterior probability
/// `probability`; `sizePercent` is the posterior median of that day's change
/// of the level, in percent of the day before.
public struct ChangeDayRow: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    public var probability: Double
    public var sizePercent: Double

    public init(date: String, probability: Double, sizePercent: Double) {
        self.date = date
        self.probability = probability
        self.sizePercent = sizePercent
    }
}

/// One row of `model_input`: a measurement as the model saw it (SPEC §4).
public struct ModelInputRow: Sendable, Equatable {
    public var time: Date
    /// Whole days since the series' first date.
    public var day: Int
    public var y: Double
    public var outlier: Bool
    /// Major version current that day (`mvers`), `nil` without a version calendar.
    public var majorVersion: Int?
    private var score: Float?

    /// Robust outlier score; `nil` when the scale was zero (nothing divided).
    /// Kept in single precision, as the store keeps it (``ScoreBlob``): seven
    /// significant digits of a diagnostic whose decision, `outlier`, is kept
    /// exactly. Scores beyond Float32's range (a tiny MAD under a huge value)
    /// are kept as ±3.4 × 10³⁸ — "at least this" — and NaN as `nil`.
    public var z: Double? {
        get { score.map(Double.init) }
        set { score = newValue.flatMap(Self.singlePrecision) }
    }

    public init(time: Date, day: Int, y: Double, z: Double?, outlier: Bool, majorVersion: Int?) {
        self.time = time
        self.day = day
        self.y = y
        self.outlier = outlier
        self.majorVersion = majorVersion
        self.score = z.flatMap(Self.singlePrecision)
    }

    /// `value` rounded to the nearest Float32, clamped to its finite range.
    static func singlePrecision(_ value: Double) -> Float? {
        guard !value.isNaN else { return nil }
        let rounded = Float(value)
        return rounded.isFinite ? rounded : (value < 0 ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude)
    }
}

/// One row of `intervals`: per-day quantiles (SPEC §7). `level*` are quantiles of
/// the level μ(day); `p*` of the recalibrated predictive y(day); `raw*` of the
/// predictive before recalibration.
public struct IntervalRow: Sendable, Equatable {
    public var day: Int
    public var date: String
    public var levelP05, levelP25, levelP50, levelP75, levelP95: Double
    public var p05, p15, p16, p25, p50, p75, p84, p85, p95: Double
    public var rawP05, rawP50, rawP95: Double

    public init(day: Int, date: String,
                levelP05: Double, levelP25: Double, levelP50: Double, levelP75: Double, levelP95: Double,
                p05: Double, p15: Double, p16: Double, p25: Double, p50: Double, p75: Double, p84: Double,
                p85: Double, p95: Double, rawP05: Double, rawP50: Double, rawP95: Double) {
        self.day = day
        self.date = date
        self.levelP05 = levelP05
        self.levelP25 = levelP25
        self.levelP50 = levelP50
        self.levelP75 = levelP75
        self.levelP95 = levelP95
        self.p05 = p05
        self.p15 = p15
        self.p16 = p16
        self.p25 = p25
        self.p50 = p50
        self.p75 = p75
        self.p84 = p84
        self.p85 = p85
        self.p95 = p95
        self.rawP05 = rawP05
        self.rawP50 = rawP50
        self.rawP95 = rawP95
    }
}

/// The kept posterior draws of one day (table `day_draws`): `level[i]` and
/// `predictive[i]` are posterior draw `i`, the same `i` on every day of the
/// same (run date, series), so changes between days can be taken draw by draw.
///
/// Float32: the store keeps draws as little-endian Float32 arrays
/// (``DrawBlob``); a relative rounding of at most 2⁻²⁴ ≈ 6·10⁻⁸ is far below
/// the Monte Carlo error of anything computed from 1,000 draws.
public struct DayDraws: Sendable, Equatable {
    /// The series' day index (`dayi`, SPEC §4).
    public var day: Int
    /// `YYYY-MM-DD`.
    public var date: String
    /// Draws of the level μ(day).
    public var level: [Float]
    /// Draws of the predictive y(day), as many as `level`; `nil` when not kept.
    public var predictive: [Float]?

    public init(day: Int, date: String, level: [Float], predictive: [Float]? = nil) {
        self.day = day
        self.date = date
        self.level = level
        self.predictive = predictive
    }
}

/// Outcome of a fit as the store records it (SPEC §6): `flagged` when
/// diagnostics fail (Diagnostics' `FitStatus.flagged`), `failed` when no fit was
/// possible (the error text says why), never silently `good`.
public enum StoredFitStatus: String, Sendable, CaseIterable {
    case good, flagged, failed
}

/// One row of `diagnostics`: one per (run date, series). Numeric fields are
/// `nil` when not computed (e.g. for a failed fit).
public struct DiagnosticsRow: Sendable, Equatable {
    public var model: String
    public var sampler: String
    public var noise: String
    public var status: StoredFitStatus
    /// Why the fit is flagged ("; "-separated), "" when good.
    public var reasons: String
    /// The error of a failed fit, "" otherwise.
    public var error: String
    public var nPoints: Int?
    public var nOutliers: Int?
    public var firstDate: String?
    public var lastDate: String?
    /// Number of spline basis functions K.
    public var k: Int?
    public var nDivergent: Int?
    public var maxRhat: Double?
    public var minEssBulk: Double?
    public var minEssTail: Double?
    public var nEffRatio: Double?
    public var exceededMaxTreedepth: Int?
    public var minBfmi: Double?
    public var recalibrationFactor: Double?
    public var coverageBefore: Double?
    public var coverageAfter: Double?
    public var betaP05: Double?
    public var betaP95: Double?
    public var modesCount: Int?
    public var modesSummary: String
    public var warmupMs: Double?
    public var samplingMs: Double?
    public var totalMs: Double?
    /// Stored as the signed 64-bit integer with the same bits.
    public var seed: UInt64?
    /// When the row was written; set by the store when `nil`.
    public var createdAt: Date?

    public init(model: String, sampler: String, noise: String, status: StoredFitStatus, reasons: String = "",
                error: String = "", nPoints: Int? = nil, nOutliers: Int? = nil, firstDate: String? = nil,
                lastDate: String? = nil, k: Int? = nil, nDivergent: Int? = nil, maxRhat: Double? = nil,
                minEssBulk: Double? = nil, minEssTail: Double? = nil, nEffRatio: Double? = nil,
                exceededMaxTreedepth: Int? = nil, minBfmi: Double? = nil, recalibrationFactor: Double? = nil,
                coverageBefore: Double? = nil, coverageAfter: Double? = nil, betaP05: Double? = nil,
                betaP95: Double? = nil, modesCount: Int? = nil, modesSummary: String = "",
                warmupMs: Double? = nil, samplingMs: Double? = nil, totalMs: Double? = nil,
                seed: UInt64? = nil, createdAt: Date? = nil) {
        self.model = model
        self.sampler = sampler
        self.noise = noise
        self.status = status
        self.reasons = reasons
        self.error = error
        self.nPoints = nPoints
        self.nOutliers = nOutliers
        self.firstDate = firstDate
        self.lastDate = lastDate
        self.k = k
        self.nDivergent = nDivergent
        self.maxRhat = maxRhat
        self.minEssBulk = minEssBulk
        self.minEssTail = minEssTail
        self.nEffRatio = nEffRatio
        self.exceededMaxTreedepth = exceededMaxTreedepth
        self.minBfmi = minBfmi
        self.recalibrationFactor = recalibrationFactor
        self.coverageBefore = coverageBefore
        self.coverageAfter = coverageAfter
        self.betaP05 = betaP05
        self.betaP95 = betaP95
        self.modesCount = modesCount
        self.modesSummary = modesSummary
        self.warmupMs = warmupMs
        self.samplingMs = samplingMs
        self.totalMs = totalMs
        self.seed = seed
        self.createdAt = createdAt
    }
}

/// One row of `comparisons`: the run date against one comparison day (SPEC §8).
/// Quantiles are of `change% = (μ_D − μ_c)/μ_c × 100`.
public struct ComparisonRow: Sendable, Equatable {
    /// `d7`, `d14`, `v77`, … — unique within a (run date, series).
    public var label: String
    /// The comparison day c, `YYYY-MM-DD`.
    public var date: String
    public var p05, p10, p50, p90, p95: Double
    /// Share of draws in which D is worse than c.
    public var pWorse: Double
    public var regression: Bool
    public var alert: Bool
    /// The minimum change (percent) of the alert rule `run` applied; `nil` in
    /// stores written before schema v2.
    public var minChange: Double?
    /// The probability threshold of that rule.
    public var threshold: Double?
    /// Share of draws in which D is worse than c by more than `minChange`.
    public var pWorseBeyond: Double?

    public init(label: String, date: String, p05: Double, p10: Double, p50: Double, p90: Double, p95: Double,
                pWorse: Double, regression: Bool, alert: Bool, minChange: Double? = nil, threshold: Double? = nil,
                pWorseBeyond: Double? = nil) {
        self.minChange = minChange
        self.threshold = threshold
        self.pWorseBeyond = pWorseBeyond
        self.label = label
        self.date = date
        self.p05 = p05
        self.p10 = p10
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.pWorse = pWorse
        self.regression = regression
        self.alert = alert
    }
}

/// What ``PerfStore/writeResults(_:replace:)`` did.
public enum ResultWriteOutcome: String, Sendable {
    /// Nothing was stored for the (run date, series); now it is.
    case written
    /// Results were stored and `replace` was set: the old ones are gone.
    case replaced
    /// Results were stored and `replace` was not set: nothing changed (SPEC §9).
    case skippedExisting
}
