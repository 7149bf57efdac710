import NumericCore
import RealModule

/// The default model (SPEC §5b): a daily level that follows slow drift and
/// abrupt steps, observed with heavy-tailed noise.
///
/// On the working scale `ỹ = (y − median y) / mad(y)`:
///
///     ỹᵢ = μ_{dᵢ} + εᵢ,              εᵢ ~ Student-t(ν, 0, σ_{b(dᵢ)})
///     μ_t = μ_{t−1} + β_t + η_t,     η_t ~ Normal(0, τ² λ_t²),  t = 1 … T−1
///     β_t = β_{t−1} + ζ_t,           ζ_t ~ Normal(0, κ²)
///     λ_t ~ half-Cauchy(0, 1),       τ ~ half-Cauchy(0, τ₀), κ ~ half-Cauchy(0, κ₀), each on a grid
///     μ₀ ~ Normal(0, s₀²),           β₀ ~ Normal(0, s_β²)
///     ν ∈ {grid} with weights ∝ Gamma(2, 0.1) density
///     1/σ_b² ~ Gamma(α, α ρ),        ρ ~ Gamma(½, ½),           α ∈ {grid}, uniform
///
/// With two modes (``StepLevelPriors/twoModes``, a noise candidate) each run
/// may sit in a second mode:
///
///     ỹᵢ = μ_{dᵢ} + zᵢ δ_{b(dᵢ)} + εᵢ,   zᵢ ~ Bernoulli(π_b),  δ_b ~ Normal(0, s_δ²),
///     π_b ~ Beta(a, a) truncated to (0, ½],   |δ_b| ≥ c σ_b
///
/// A second mode is a crowd of runs apart from the first: at least c = 3
/// noise scales away (``StepLevelPriors/modeSeparation``; the joint prior
/// of δ_b and σ_b is restricted to that). Without the bound a single skewed
/// hump would be split in two close modes, and which of them is the level
/// would be left to chance.
///
/// The second mode is the minority (π_b ≤ ½), so the level μ_t is the
/// centre of the majority's mode — the typical run, what a median of the
/// runs follows — and which mode is which is fixed by the data (relabelling,
/// (μ, δ, π) → (μ + δ, −δ, 1 − π), would break the bound). A mixture mean
/// `μ + π_b δ_b` would not do as the level: with a share per block it
/// jumps at every block's end where the share changes, and where the level
/// steps inside a block it depends on the labels. The predictive draws
/// carry both modes.
///
/// with `b(t)` the block of ``StepLevelPriors/blockDays`` days that day t
/// falls in (counted back from the run date). The noise scale may change
/// from block to block: real series change their noise by 10× between
/// months. The blocks' precisions are pooled towards `1/ρ` as strongly as
/// the data say (α learned: α = 1024 is a constant scale, α = 1 lets each
/// block have its own); ρ is the typical noise variance.
///
/// The level is a local linear trend (a level and a slope, both random
/// walks: Harvey 1989, "Forecasting, structural time series models and the
/// Kalman filter") whose level disturbances η_t have a horseshoe prior
/// (Carvalho, Polson & Scott 2010; as a Markov random field prior: Faulkner
/// & Minin 2018, "Locally adaptive smoothing with Markov random fields and
/// shrinkage priors"; dynamic shrinkage: Kowal, Matteson & Ruppert 2019):
/// the smooth trend plus sparse jumps of the design. The horseshoe's
/// spike at zero keeps quiet stretches flat, its Cauchy tails let a single
/// day carry a whole step unshrunk — the size of a recent step is estimated
/// at its size, where a smoothing spline spreads it over weeks and shrinks it.
/// A slow drift is the slope's: many small daily increments are what the
/// horseshoe is built to shrink (its global scale, learned, stays small on a
/// year that is mostly flat, and v2's drifts read at a quarter of their
/// size), while a slope carries them at the cost of one number, and at the
/// run date it is estimated from the weeks before — no lag. The slope's
/// daily changes ζ_t have a horseshoe prior too (`ζ_t ~ Normal(0, κ²φ_t²)`,
/// φ_t ~ C⁺(0, 1): the horseshoe on second differences of Faulkner & Minin
/// 2018, a piecewise-linear trend with sparse kinks): a drift that starts on
/// one day is one large ζ_t, where a Gaussian ζ_t (v3, v4) — its scale
/// pinned small by ten flat months — turned the slope over weeks and read
/// the drifts of the change study at about half their size. κ, the kinks'
/// global scale, is learned: tiny on a series without drift. A slab
/// (``StepLevelPriors/slopeChangeSlab``, the regularized horseshoe) keeps
/// kinks to the size of drifts — a quarter of a noise MAD a week each — so
/// that a recent step stays a step and is not read as a steep ramp.
///
/// τ and κ are learned on grids (``StepLevelPriors/globalScaleGrid``,
/// ``StepLevelPriors/slopeScaleGrid``) under half-Cauchy priors (Piironen &
/// Vehtari 2017). ``StepLevelGibbs`` moves each with the level and slope
/// integrated out: given the path, hundreds of increments pin either scale.
///
/// The day range is `0 … T−1` with `T − 1` the run date: days after the last
/// run have no data, so their level is the random walk's prediction with its
/// growing uncertainty (the horseshoe's heavy tails make that growth honest:
/// a step may happen on any unobserved day).
///
/// Student-t noise (ν learned over a grid) lets single spikes and short
/// excursions count little; as a scale mixture `εᵢ | wᵢ ~ Normal(0, σ²/wᵢ)`,
/// `wᵢ ~ Gamma(ν/2, ν/2)`, every conditional is conjugate (``StepLevelGibbs``).
///
/// Ties and quantized values (a series whose values sit on a grid of step
/// `q`) are handled by the `resolution`: each observed value stands for the
/// interval `[y − q/2, y + q/2]` of values that round to it, and the sampler
/// draws the unrounded value inside it (data augmentation). Without it a
/// heavy-tailed likelihood is unbounded as σ → 0 on tied values.
public struct StepLevelModel: Sendable {
    /// Day index (0 = first day of the range) of each point.
    public let days: [Int]
    /// Values on the working scale.
    public let values: [Double]
    /// Days in the range, the last being the run date.
    public let dayCount: Int
    /// Working scale: `ỹ = (y − location) / scale`.
    public let location: Double
    public let scale: Double
    /// Grid step of the values on the working scale (0: continuous values).
    public let resolution: Double
    public let priors: StepLevelPriors
    /// Points of each day: `pointsOfDay[t]` are indices into `days`/`values`.
    public let dayStart: [Int]
    public let order: [Int]
    /// Noise block of each day (0 … blockCount−1, the last ending on the run
    /// date) and of each point.
    public let blockOfDay: [Int]
    public let blockOfPoint: [Int]
    public let blockCount: Int
    /// Stretches of days whose data stand apart from the days around them
    /// (``excursions(dayStart:order:values:dayCount:)``): first and last day.
    public let excursions: [(first: Int, last: Int)]

    public var pointCount: Int { values.count }

    /// - Parameters:
    ///   - days: day index of each point relative to the first day of the range;
    ///   - values: original-scale values;
    ///   - dayCount: days in the range (the last is the run date), at least
    ///     one more than the largest day.
    ///   - workingScale: the location and scale of the working scale; by
    ///     default ``SplineModel/workingScale(_:)`` of the values (a
    ///     simulation-based calibration fixes them, so that the prior it draws
    ///     from is the model's).
    public init(days: [Int], values: [Double], dayCount: Int,
                priors: StepLevelPriors = .standard,
                workingScale: (location: Double, scale: Double)? = nil) throws(ModelError) {
        guard days.count == values.count else { throw .lengthMismatch(days: days.count, values: values.count) }
        guard !values.isEmpty else { throw .emptySeries }
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(index: i, value: values[i]) }
        if let i = days.firstIndex(where: { $0 < 0 }) { throw .negativeDay(index: i, day: days[i]) }
        guard let maxDay = days.max(), maxDay < dayCount else {
            throw .invalidPrior("the day range must end on or after the last point's day")
        }
        let (location, scale) = workingScale ?? SplineModel.workingScale(values)
        guard scale > 0, scale.isFinite, location.isFinite else { throw .invalidPrior("the working scale must be positive and finite") }
        guard priors.blockDays >= 1 else { throw .invalidPrior("noise blocks must be at least a day long") }
        guard priors.tailScaleFactor > 0, priors.tailScaleFactor.isFinite, priors.tailDays >= 0 else {
            throw .invalidPrior("the tail's scale factor must be positive and finite, its length in days not negative")
        }
        guard !priors.twoModes || (priors.modeOffsetScale > 0 && priors.modeOffsetScale.isFinite
                                   && priors.modeShareShape > 0 && priors.modeShareShape.isFinite
                                   && priors.modeSeparation >= 0 && priors.modeSeparation.isFinite) else {
            throw .invalidPrior("the second mode's offset scale and share shape must be positive and finite, its separation finite and not negative")
        }
        guard !priors.slopeScaleGrid.isEmpty, priors.slopeScaleGrid.allSatisfy({ $0 > 0 && $0.isFinite }),
              priors.globalScaleGrid.allSatisfy({ $0 > 0 && $0.isFinite }), priors.initialSlopeScale > 0,
              priors.slopeChangeSlab > 0 else {
            throw .invalidPrior("the slope's and the increments' scales must be positive")
        }
        self.location = location
        self.scale = scale
        self.values = values.map { ($0 - location) / scale }
        self.days = days
        self.dayCount = dayCount
        self.priors = priors
        self.resolution = Self.gridStep(values) / scale
        // Points grouped by day (counting sort): order[dayStart[t]..<dayStart[t+1]].
        var counts = [Int](repeating: 0, count: dayCount + 1)
        for d in days { counts[d + 1] += 1 }
        for t in 0..<dayCount { counts[t + 1] += counts[t] }
        var next = counts
        var order = [Int](repeating: 0, count: days.count)
        for (i, d) in days.enumerated() {
            order[next[d]] = i
            next[d] += 1
        }
        self.dayStart = counts
        self.order = order
        let blockCount = Self.blockCount(dayCount: dayCount, blockDays: priors.blockDays)
        guard priors.blockIncrementFactors.isEmpty
              || (priors.blockIncrementFactors.count == blockCount
                  && priors.blockIncrementFactors.allSatisfy({ $0 > 0 && $0.isFinite })) else {
            throw .invalidPrior("the blocks' increment factors must be one positive, finite number for each of the \(blockCount) noise blocks")
        }
        let blockOfDay = (0..<dayCount).map { Self.block(ofDay: $0, dayCount: dayCount, blockDays: priors.blockDays) }
        self.blockCount = blockCount
        self.blockOfDay = blockOfDay
        self.blockOfPoint = days.map { blockOfDay[$0] }
        self.excursions = Self.excursions(dayStart: counts, order: order, values: self.values, dayCount: dayCount)
    }

    /// Noise blocks of `dayCount` days in blocks of `blockDays`: the last
    /// ends on the run date, the first may be shorter.
    public static func blockCount(dayCount: Int, blockDays: Int) -> Int {
        (dayCount + blockDays - 1) / blockDays
    }

    /// The noise block of day t (0 … blockCount−1).
    public static func block(ofDay t: Int, dayCount: Int, blockDays: Int) -> Int {
        blockCount(dayCount: dayCount, blockDays: blockDays) - 1 - (dayCount - 1 - t) / blockDays
    }

    /// Days whose median lies more than ``excursionThreshold`` (working
    /// units, i.e. MADs) from the median of the day medians within
    /// ``excursionReach`` days on either side, grouped into stretches of such
    /// days on the same side (days without runs between them do not break a
    /// stretch). The sampler proposes to move the level of each stretch as a
    /// block: these are where "the level went there for a few days" and
    /// "those runs are outliers" compete. Made from the data alone, so the
    /// proposals keep the posterior whatever they are.
    static func excursions(dayStart: [Int], order: [Int], values: [Double], dayCount: Int) -> [(first: Int, last: Int)] {
        var dayMedian = [Double?](repeating: nil, count: dayCount)
        for t in 0..<dayCount where dayStart[t + 1] > dayStart[t] {
            dayMedian[t] = median(order[dayStart[t]..<dayStart[t + 1]].map { values[$0] })
        }
        var side = [Int](repeating: 0, count: dayCount)
        for t in 0..<dayCount {
            guard let m = dayMedian[t] else { continue }
            let around = (Swift.max(0, t - excursionReach)...Swift.min(dayCount - 1, t + excursionReach))
                .compactMap { $0 == t ? nil : dayMedian[$0] }
            guard around.count >= 4 else { continue }
            let deviation = m - median(around)
            if abs(deviation) > excursionThreshold { side[t] = deviation > 0 ? 1 : -1 }
        }
        var out: [(first: Int, last: Int)] = []
        var t = 0
        while t < dayCount {
            guard side[t] != 0 else { t += 1; continue }
            var last = t, u = t + 1
            while u < dayCount && (side[u] == side[t] || (side[u] == 0 && dayMedian[u] == nil)) {
                if side[u] == side[t] { last = u }
                u += 1
            }
            out.append((t, last))
            t = last + 1
        }
        return out
    }

    /// Days on either side whose medians make an excursion's reference.
    static let excursionReach = 10
    /// How far (MADs of the series) a day's median must stand from the days around it.
    static let excursionThreshold = 2.5

    /// The step `q` of the grid the values lie on, when they visibly do: at
    /// least a fifth of the values repeat an earlier value and every distinct
    /// value is (to 1e-9 relative) a whole multiple of the smallest gap
    /// between distinct values. 0 otherwise (continuous values).
    static func gridStep(_ values: [Double]) -> Double {
        let distinct = Array(Set(values)).sorted()
        guard distinct.count >= 2, Double(values.count - distinct.count) >= 0.2 * Double(values.count) else { return 0 }
        var step = Double.infinity
        for k in 1..<distinct.count { step = Swift.min(step, distinct[k] - distinct[k - 1]) }
        guard step > 0, step.isFinite else { return 0 }
        let origin = distinct[0]
        for v in distinct {
            let multiple = (v - origin) / step
            if abs(multiple - multiple.rounded()) > 1e-6 { return 0 }
        }
        return step
    }

    /// The median of the two-mode noise `(1 − π) t_ν(0, σ) + π t_ν(δ, σ)`
    /// (π ≤ ½): the level reported is `μ_t` plus this, the typical run's
    /// value, which depends on the noise's distribution and not on how it
    /// is split in two — two close modes or one wide hump of the same shape
    /// give the same level, and relabelling leaves it alone. 0 with one mode.
    public static func noiseMedian(offset: Double, share: Double, sigma: Double, nu: Double) -> Double {
        guard share > 0, offset != 0 else { return 0 }
        return noiseQuantile(0.5, offset: offset, share: share, sigma: sigma, nu: nu)
    }

    /// The p-quantile of the two-mode noise `(1 − π) t_ν(0, σ) + π t_ν(δ, σ)`.
    /// Both modes have the same shape, so it lies between the modes' own
    /// p-quantiles `σ t_ν⁻¹(p)` and `δ + σ t_ν⁻¹(p)`; found by Newton's method
    /// kept inside that bracket (bisection when a step would leave it), to
    /// 1e-9 σ.
    public static func noiseQuantile(_ p: Double, offset: Double, share: Double, sigma: Double, nu: Double) -> Double {
        guard p > 0, p < 1, sigma > 0, sigma.isFinite, offset.isFinite else { return .nan }
        let q = sigma * studentTQuantile(p, df: nu)
        guard share > 0, offset != 0 else { return q }
        var lo = Swift.min(0, offset) + q, hi = Swift.max(0, offset) + q
        let logNormalizer = studentTLogNormalizer(df: nu, scale: 1)
        func density(_ z: Double) -> Double { Double.exp(logNormalizer - 0.5 * (nu + 1) * Double.log(onePlus: z * z / nu)) }
        var x = 0.5 * (lo + hi)
        for _ in 0..<100 {
            let f = (1 - share) * studentTCDF(x / sigma, df: nu) + share * studentTCDF((x - offset) / sigma, df: nu) - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let slope = ((1 - share) * density(x / sigma) + share * density((x - offset) / sigma)) / sigma
            var next = slope > 0 ? x - f / slope : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-9 * sigma || hi - lo <= 1e-9 * sigma { return next }
            x = next
        }
        return x
    }

    /// Original-scale value of a working-scale level.
    @inlinable public func original(_ working: Double) -> Double { location + scale * working }
}

/// Priors of ``StepLevelModel`` on the working scale, with the reason for each.
public struct StepLevelPriors: Sendable, Equatable {
    /// τ₀, the scale of the half-Cauchy prior of the increments' global
    /// scale τ (and τ's starting value): the horseshoe's "expected number of
    /// steps" heuristic `τ₀ = p₀/(p − p₀) · σ/√n` (Piironen & Vehtari 2017)
    /// with a handful of steps (p₀ ≈ 4) among a year of daily increments
    /// (p ≈ 365) at ~3 runs a day gives ≈ 0.006; 0.01 leaves room for drift.
    public var globalScale: Double
    /// Values τ may take: τ₀ · 2^{k/2}, k = −4 … 8 (a quarter of τ₀ to 16 τ₀,
    /// each √2 from the next), weighted by the half-Cauchy(0, τ₀) density
    /// times τ (the grid is even in log τ). Empty: τ fixed at τ₀.
    public var globalScaleGrid: [Double]
    /// log prior weight of each τ of ``globalScaleGrid``: the half-Cauchy(0, τ₀)
    /// density times τ (the grid is even in log τ), up to a constant.
    public var globalScaleLogWeights: [Double] { Self.halfCauchyLogWeights(globalScaleGrid, scale: globalScale) }
    /// Sd of the first day's level: wide, the data pin it down.
    public var initialLevelScale: Double
    /// The drift: the level's daily slope β_t, a random walk
    /// `β_t = β_{t−1} + ζ_t`, `ζ_t ~ Normal(0, κ²φ_t²)` with local scales
    /// `φ_t ~ C⁺(0, 1)` (a horseshoe: most days' ζ_t near 0, a few large —
    /// the kinks where a drift starts or stops), `β₀ ~ Normal(0, initialSlopeScale²)`.
    /// κ takes the values of ``slopeScaleGrid`` (κ₀ · 2^{k/2}, k = −6 … 8: an
    /// eighth of κ₀ to 16 κ₀) under a half-Cauchy(0, κ₀ = ``slopeScale``)
    /// prior. Working units (MADs of the noise) a day, and a day per day: s_β
    /// = 0.05 a day (at one sd, ~18 MADs over a year: wide, the data pin the
    /// slope down); κ₀ = 0.001 lets a slope change by ~0.02 a year through
    /// its small changes, and a single φ_t of 100 (a Cauchy tail) by 0.1 in
    /// a day — a drift of a noise sd a fortnight that starts on that day.
    public var initialSlopeScale: Double
    public var slopeScale: Double
    public var slopeScaleGrid: [Double]
    /// c, the slab of the slope changes' horseshoe (the regularized
    /// horseshoe of Piironen & Vehtari 2017, "Sparsity information and
    /// regularization in the horseshoe and other shrinkage priors"): the
    /// prior density of ζ_t carries a factor `exp(−ζ_t²/(2c²))` (without a
    /// normalizer, so that φ_t's conditional stays conjugate), so a kink
    /// larger than c is Gaussian-tailed where the horseshoe's is Cauchy.
    /// c = 1/28 working units a day: one kink moves the level by about a
    /// quarter of a noise MAD a week (a faster drift is a few kinks, or one
    /// past c, followed when weeks of data show it). Without a slab one kink
    /// turning the slope by a MAD a day was as cheap as a step, and the last
    /// days of a recent step were read now as a step, now as a steep ramp
    /// that starts a few days before it — two readings the chains swapped
    /// between every few hundred sweeps (R̂ up to 1.3 on simulated steps).
    /// v5's c = 1/7 (a MAD a week) still left 51 of the change study's 360
    /// fits flagged against 18 with 1/28; the drifts read 1.18% and 1.02%
    /// (truth 1.23%), alert recall 0.686 and 0.761 (RESULTS-step-level.md).
    public var slopeChangeSlab: Double
    /// log prior weight of each κ of ``slopeScaleGrid`` (half-Cauchy density × κ, an even grid in log κ).
    public var slopeScaleLogWeights: [Double] { Self.halfCauchyLogWeights(slopeScaleGrid, scale: slopeScale) }

    /// log of the half-Cauchy(0, `scale`) density times the value, up to a
    /// constant, at each value of a grid that is even in log scale.
    static func halfCauchyLogWeights(_ grid: [Double], scale: Double) -> [Double] {
        grid.map { x in Double.log(x) - Double.log(1 + (x / scale) * (x / scale)) }
    }

    /// `scale · 2^{k/2}` for each k: a grid even in log scale, √2 apart.
    static func halfOctaves(_ scale: Double, _ ks: ClosedRange<Int>) -> [Double] {
        ks.map { scale * Double.pow(2, Double($0) / 2) }
    }
    /// Values ν may take, and the Gamma(shape, rate) prior weighting them
    /// (brms' default prior for ν; the grid spans near-Cauchy to near-normal).
    public var nuGrid: [Double]
    public var nuShape: Double
    public var nuRate: Double
    /// Smallest increment variance τ²λ_t² used in the level's conditional:
    /// 1e-12 working units² (a step of a millionth of a MAD), a numerical
    /// floor that keeps the tridiagonal precision well conditioned.
    public var minimumIncrementVariance: Double
    /// Days per noise block: eight weeks, long enough to hold 50–150 runs
    /// that pin the block's scale down (with four weeks, a block of a series
    /// with one run a day held ~25, and its scale's chains crawled with the
    /// tail's "step or outliers"), short enough to follow a change between
    /// the seasons of a year.
    public var blockDays: Int
    /// Values α (the pooling of the blocks' precisions) may take, equally likely a priori.
    public var poolingGrid: [Double]
    /// Gamma(shape, rate) prior of ρ, the typical noise variance on the
    /// working scale (in MAD units², so about 1): Gamma(½, ½), a χ²₁, weak.
    public var typicalVarianceShape: Double
    public var typicalVarianceRate: Double
    /// A second mode of the noise (the two-mode candidate): each run is, with
    /// probability π_b, offset by δ_b from the level — the runs of a bimodal
    /// series (a microbenchmark that switches between ~1030 and ~1340 run to
    /// run) are one level's runs in two modes, not a level that jumps. δ_b and
    /// π_b belong to the noise block b: real series change their modes over a
    /// year (a +300 mode at ~45% in one season, a −200 mode at ~7% in the
    /// next).
    public var twoModes: Bool
    /// Sd of δ_b's Normal(0, s²) prior, working units (MADs): 10, wide — a
    /// minority mode far out in the tail drags the MAD little and sits many
    /// MADs away; a δ near 0 is the mixture falling back to one mode.
    public var modeOffsetScale: Double
    /// π_b ~ Beta(a, a) truncated to (0, ½]: a = 1, uniform there.
    public var modeShareShape: Double
    /// c: the second mode sits at least c noise scales from the first
    /// (|δ_b| ≥ c σ_b): 3, where two equal Gaussian humps are clearly two
    /// (they are one below 2σ apart) and a minority of a tenth still shows.
    public var modeSeparation: Double
    /// The tail's increments: on the last ``tailDays`` days (up to the run
    /// date) an increment's scale is ``tailScaleFactor``·τλ_t instead of
    /// τλ_t, so a step there is that many times as likely a priori (a
    /// Cauchy's density far out is proportional to its scale). τ is learned
    /// from a year of mostly flat days and sits near the bottom of its grid;
    /// with one τ for every day, a step of one noise sd on the last days
    /// needs some 20–30 runs at its new level to outweigh that prior, and
    /// until then the change is read at a fraction of its size, with a
    /// narrow interval. The default, 1, gives every day the same prior; 10 was tried and not
    /// adopted (README, "A wider prior for the tail's steps"): recent steps'
    /// sizes and intervals improved, but every change between days of the
    /// tail became less certain, and alert recall and false alarms worsened.
    public var tailScaleFactor: Double
    /// Days counted as the tail: three weeks, the span compared (D−14) plus
    /// a week.
    public var tailDays: Int
    /// Each noise block's factor on the scale of its days' increments,
    /// oldest block first (``StepLevelModel/block(ofDay:dayCount:blockDays:)``);
    /// empty: 1 on every day. With factors f_b the increment of day t in
    /// block b has scale f_b·τλ_t: the level's steps are measured in the
    /// units of their block's noise, so a step of one noise sd costs the same
    /// prior in a block four times as noisy as the rest of the year as in a
    /// quiet one. With ``incrementsFollowNoise`` the fit sets them from the
    /// data's own spread (``StepLevelFitter/blockIncrementFactors(_:)``)
    /// for the candidates whose scale changes between blocks.
    public var blockIncrementFactors: [Double]
    /// Whether a fit that chooses its noise by PSIS-LOO gives its candidates
    /// with a changing scale ``blockIncrementFactors`` from the data (the
    /// single-scale candidate has one block, and no factor). Off by
    /// default: tried and not adopted (README, "Steps measured in their
    /// block's noise") — on the change study and the real series it moved
    /// nothing beyond the seed-to-seed noise; a recent step in a noisy block
    /// is held back less by τ than by the uncertainty of its day.
    public var incrementsFollowNoise: Bool
    /// The factor of day t's increment scale among `dayCount` days:
    /// ``tailScaleFactor`` on the last ``tailDays`` days, else 1, times the
    /// day's block's factor (``blockIncrementFactors``). The one place the
    /// rule lives: the sampler and the prior draws of the calibration both
    /// ask here.
    public func incrementScaleFactor(day t: Int, dayCount: Int) -> Double {
        let tail = t >= dayCount - tailDays ? tailScaleFactor : 1
        guard !blockIncrementFactors.isEmpty else { return tail }
        let b = StepLevelModel.block(ofDay: t, dayCount: dayCount, blockDays: blockDays)
        return tail * blockIncrementFactors[Swift.min(Swift.max(b, 0), blockIncrementFactors.count - 1)]
    }

    public init(globalScale: Double = 0.01, globalScaleGrid: [Double]? = nil, initialLevelScale: Double = 10,
                initialSlopeScale: Double = 0.05, slopeScale: Double = 0.001, slopeScaleGrid: [Double]? = nil,
                slopeChangeSlab: Double = 1.0 / 28,
                nuGrid: [Double] = [2, 3, 5, 8, 15, 30, 100], nuShape: Double = 2, nuRate: Double = 0.1,
                minimumIncrementVariance: Double = 1e-12, blockDays: Int = 56,
                poolingGrid: [Double] = [1, 2, 4, 8, 16, 64, 1024],
                typicalVarianceShape: Double = 0.5, typicalVarianceRate: Double = 0.5,
                twoModes: Bool = false, modeOffsetScale: Double = 10, modeShareShape: Double = 1,
                modeSeparation: Double = 3, tailScaleFactor: Double = 1, tailDays: Int = 21,
                blockIncrementFactors: [Double] = [], incrementsFollowNoise: Bool = false) {
        self.blockIncrementFactors = blockIncrementFactors
        self.incrementsFollowNoise = incrementsFollowNoise
        self.tailScaleFactor = tailScaleFactor
        self.tailDays = tailDays
        self.twoModes = twoModes
        self.modeSeparation = modeSeparation
        self.modeOffsetScale = modeOffsetScale
        self.modeShareShape = modeShareShape
        self.blockDays = blockDays
        self.poolingGrid = poolingGrid
        self.typicalVarianceShape = typicalVarianceShape
        self.typicalVarianceRate = typicalVarianceRate
        self.globalScale = globalScale
        self.initialSlopeScale = initialSlopeScale
        self.slopeScale = slopeScale
        self.slopeChangeSlab = slopeChangeSlab
        self.slopeScaleGrid = slopeScaleGrid ?? Self.halfOctaves(slopeScale, -6...8)
        self.globalScaleGrid = globalScaleGrid ?? Self.halfOctaves(globalScale, -4...8)
        self.initialLevelScale = initialLevelScale
        self.nuGrid = nuGrid
        self.nuShape = nuShape
        self.nuRate = nuRate
        self.minimumIncrementVariance = minimumIncrementVariance
    }

    public static let standard = StepLevelPriors()
}
