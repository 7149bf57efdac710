import Foundation

/// Effective sample size (ESS) of MCMC draws, computed exactly as ArviZ's
/// `arviz.ess` (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, §3.2 and
/// §4.3; Geyer 1992; Gelman et al. BDA3 §11.5).
///
/// For `M` chains (split chains here) of `N` draws with chain-averaged
/// autocovariances `γ̂ₜ`:
///
///     W = γ̂₀·N/(N−1)                        (mean within-chain variance)
///     var⁺ = W·(N−1)/N + var(chain means)   (divisor M − 1; the second term only if M > 1)
///     ρ̂ₜ = 1 − (W − γ̂ₜ) / var⁺
///
/// Geyer's initial positive sequence sums the pairs `P̂ₖ = ρ̂₂ₖ + ρ̂₂ₖ₊₁` while
/// they are positive (a pair that turns negative is dropped, but its positive
/// even term is kept as the last ρ̂), and the initial monotone sequence caps
/// each pair at the previous one. With `t̂` the last retained index,
///
///     τ̂ = −1 + 2 Σ_{t=0}^{t̂} ρ̂ₜ + ρ̂_{t̂+1},   τ̂ ← max(τ̂, 1/log₁₀(MN)),   ESS = MN / τ̂.
///
/// The `1/log₁₀(MN)` floor bounds ESS by `MN·log₁₀(MN)` for antithetic chains.
/// The sum stops as soon as Geyer's rule does, so only the lags it reads are
/// computed (see `PooledAutocovariance`). A sample whose range is below 1e-15
/// (constant) has ESS = `MN`; a NaN draw gives NaN.
///
/// - bulk-ESS: ESS of the rank-normalized split chains (efficiency for the
///   mean/median, defined for heavy tails);
/// - tail-ESS: the smaller ESS of the indicators `θ ≤ q₀.₀₅` and `θ ≤ q₀.₉₅`
///   on split chains (efficiency for the 5% and 95% quantiles);
/// - mean-ESS: ESS of the raw split chains (classic ESS, needs finite variance).

/// The tail quantiles whose indicator ESS defines tail-ESS: the ends of a
/// central 90% interval (Vehtari et al. 2021, §4.3; ArviZ's default).
public let tailESSProbabilities = (lower: 0.05, upper: 0.95)

/// Range below which a sample counts as constant and its ESS is its size
/// (`numpy.finfo(float).resolution`, ArviZ's test).
let constantSampleResolution = 1e-15

/// Bulk effective sample size: ESS of the rank-normalized split chains
/// (ArviZ `ess(method="bulk")`).
public func essBulk(_ draws: ChainDraws) -> Double {
    guard !draws.containsNaN else { return .nan }
    let split = draws.splitChains()
    let order = split.values.withUnsafeBufferPointer { ascendingOrder($0) }
    return effectiveSampleSize(bulkScores(of: split, order: order))
}

/// Tail effective sample size: the smaller of the quantile ESS at the two
/// `probabilities` (default 5% and 95%; ArviZ `ess(method="tail")`).
public func essTail(
    _ draws: ChainDraws,
    probabilities: (lower: Double, upper: Double) = tailESSProbabilities
) -> Double {
    guard !draws.containsNaN else { return .nan }
    let sorted = draws.values.sorted()
    let lower = quantileIndicatorESS(draws, sorted: sorted, probability: probabilities.lower)
    let upper = quantileIndicatorESS(draws, sorted: sorted, probability: probabilities.upper)
    return upper < lower ? upper : lower
}

/// ESS for the `probability` quantile: ESS of the split-chain indicators
/// `θ ≤ q̂` with `q̂` the type-7 sample quantile of all draws
/// (ArviZ `ess(method="quantile", prob=probability)`). NaN if `probability ∉ [0, 1]`.
public func essQuantile(_ draws: ChainDraws, probability: Double) -> Double {
    guard !draws.containsNaN, probability >= 0, probability <= 1 else { return .nan }
    return quantileIndicatorESS(draws, sorted: draws.values.sorted(), probability: probability)
}

/// ESS of the raw split chains: the ESS that governs the Monte Carlo error of
/// the posterior mean (ArviZ `ess(method="mean")`).
public func essMean(_ draws: ChainDraws) -> Double {
    guard !draws.containsNaN else { return .nan }
    return effectiveSampleSize(draws.splitChains())
}

/// ESS of the squared deviations `(θ − θ̄)²` on split chains, the ESS relevant
/// to the posterior variance and standard deviation (ArviZ `ess(method="sd")`).
public func essSD(_ draws: ChainDraws) -> Double {
    guard !draws.containsNaN else { return .nan }
    return effectiveSampleSize(draws.splitChains(of: squaredDeviations(draws.values)))
}

// MARK: - Shared pieces

/// `(θ − θ̄)²` for every draw, `θ̄` the mean of all draws.
func squaredDeviations(_ values: [Double]) -> [Double] {
    var sum = 0.0
    for v in values { sum += v }
    let average = sum / Double(values.count)
    return values.map { ($0 - average) * ($0 - average) }
}

/// ESS of the split-chain indicators `θ ≤ q̂ₚ`; `sorted` holds all draws ascending.
func quantileIndicatorESS(_ draws: ChainDraws, sorted: [Double], probability: Double) -> Double {
    let threshold = sorted.withUnsafeBufferPointer { sampleQuantile(sorted: $0, probability) }
    return effectiveSampleSize(draws.splitChains(of: draws.values.map { $0 <= threshold ? 1 : 0 }))
}

/// Type-7 sample quantile written as ArviZ evaluates it
/// (`scipy.stats.mstats.mquantiles` with `alphap = betap = 1`):
/// `a = n·p + (1 − p)`, `k = ⌊clip(a, 1, n − 1)⌋`, `γ = clip(a − k, 0, 1)`,
/// `q = (1 − γ)·x₍ₖ₋₁₎ + γ·x₍ₖ₎`. Mathematically R's type 7 (NumericCore's
/// `quantile(sorted:_:)`), but rounded the same way as ArviZ, which matters
/// when the indicator `θ ≤ q` is evaluated at tied draws.
func sampleQuantile(sorted: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
    let n = sorted.count
    if n == 1 { return sorted[0] }
    let aleph = Double(n) * p + (1 - p)
    let k = Int(min(max(aleph, 1), Double(n - 1)).rounded(.down))
    let gamma = min(max(aleph - Double(k), 0), 1)
    return (1 - gamma) * sorted[k - 1] + gamma * sorted[k]
}

/// Geyer initial-monotone-sequence ESS of the segments of `sample` treated
/// as chains (ArviZ's `_ess`); see the file comment for the formula.
func effectiveSampleSize(_ sample: SegmentedSample) -> Double {
    let m = sample.segmentCount
    let n = sample.segmentLength
    let total = Double(m * n)
    var smallest = Double.infinity, largest = -Double.infinity
    for v in sample.values {
        if v.isNaN { return .nan }
        smallest = min(smallest, v)
        largest = max(largest, v)
    }
    if largest - smallest < constantSampleResolution { return total }

    var chainMeans = [Double](repeating: 0, count: m)
    var centered = sample.values
    centered.withUnsafeMutableBufferPointer { values in
        for k in 0..<m {
            var sum = 0.0
            for i in (k * n)..<((k + 1) * n) { sum += values[i] }
            let chainMean = sum / Double(n)
            chainMeans[k] = chainMean
            for i in (k * n)..<((k + 1) * n) { values[i] -= chainMean }
        }
    }
    var autocovariance = PooledAutocovariance(centered: centered, segmentCount: m, segmentLength: n)

    let count = Double(n)
    let meanVariance = autocovariance(0) * count / (count - 1)
    var variancePlus = meanVariance * (count - 1) / count
    if m > 1 {
        variancePlus += chainMeans.withUnsafeBufferPointer { meanAndSumOfSquares($0).1 } / Double(m - 1)
    }
    func autocorrelation(_ lag: Int) -> Double {
        1 - (meanVariance - autocovariance(lag)) / variancePlus
    }

    // ρ̂ₜ for t ≤ t̂ + 1; untouched entries stay 0 as in ArviZ.
    var rho = [Double](repeating: 0, count: n)
    var rhoEven = 1.0
    rho[0] = rhoEven
    var rhoOdd = autocorrelation(1)
    rho[1] = rhoOdd

    // Geyer's initial positive sequence.
    var t = 1
    while t < n - 3 && rhoEven + rhoOdd > 0 {
        rhoEven = autocorrelation(t + 1)
        rhoOdd = autocorrelation(t + 2)
        if rhoEven + rhoOdd >= 0 {
            rho[t + 1] = rhoEven
            rho[t + 2] = rhoOdd
        }
        t += 2
    }
    let lastIndex = t - 2
    if rhoEven > 0 { rho[lastIndex + 1] = rhoEven }

    // Geyer's initial monotone sequence.
    t = 1
    while t <= lastIndex - 2 {
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
            rho[t + 1] = (rho[t - 1] + rho[t]) / 2
            rho[t + 2] = rho[t + 1]
        }
        t += 2
    }

    if rho.contains(where: { $0.isNaN }) { return .nan }
    var sum = 0.0
    for i in 0..<(lastIndex + 1) { sum += rho[i] }
    var tau = -1 + 2 * sum + rho[lastIndex + 1]
    let floor = 1 / log10(total)
    if floor > tau { tau = floor }
    return total / tau
}
