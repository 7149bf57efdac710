import NumericCore

/// Monte Carlo standard errors (MCSE) of posterior summaries, computed exactly
/// as ArviZ's `arviz.mcse` (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
/// §4.4; Gelman et al. BDA3 §11.5).
///
/// - mean: `sd(θ) / √ESS_mean`, `sd` over all draws with divisor `S − 1`;
/// - sd: with `u = (θ − θ̄)²`, `Var̂[u] = (mean(u²) − mean(u)²) / ESS_mean(u)`,
///   and the delta method `MCSE(sd) = √(Var̂[u] / (4·mean(u)))`;
/// - quantile `p`: with `E = ESS_quantile(p)`, the Beta(`E·p + 1`, `E(1 − p) + 1`)
///   quantiles `a₋, a₊` at `Φ(∓1)` give order-statistic positions; with the
///   draws sorted `θ₍₀₎ ≤ … ≤ θ₍S−1₎`,
///   `MCSE = (θ₍⌈min(a₊S − 1, S − 1)⌉₎ − θ₍⌊max(a₋S − 1, 0)⌋₎) / 2` —
///   half the width of a ±1-sd interval for the quantile, valid without moments.
///
/// All are NaN when a draw is NaN.

/// `Φ(−1), Φ(1)` to the 7 digits ArviZ uses: the ends of a ±1 standard-error
/// interval of the quantile estimate, whose half-width is the MCSE.
public let mcseQuantileIntervalProbabilities = (lower: 0.1586553, upper: 0.8413447)

/// Monte Carlo standard error of the posterior mean (ArviZ `mcse(method="mean")`).
public func mcseMean(_ draws: ChainDraws) -> Double {
    guard !draws.containsNaN else { return .nan }
    let ess = effectiveSampleSize(draws.splitChains())
    let sumOfSquares = draws.values.withUnsafeBufferPointer { meanAndSumOfSquares($0).1 }
    let sd = (sumOfSquares / Double(draws.totalDrawCount - 1)).squareRoot()
    return sd / ess.squareRoot()
}

/// Monte Carlo standard error of the posterior standard deviation
/// (ArviZ `mcse(method="sd")`). NaN for constant draws (0/0).
public func mcseSD(_ draws: ChainDraws) -> Double {
    guard !draws.containsNaN else { return .nan }
    let squared = squaredDeviations(draws.values)
    let ess = effectiveSampleSize(draws.splitChains(of: squared))
    var sum = 0.0, sumOfSquares = 0.0
    for u in squared {
        sum += u
        sumOfSquares += u * u
    }
    let count = Double(squared.count)
    let expectedSquare = sum / count
    let varianceOfSquares = (sumOfSquares / count - expectedSquare * expectedSquare) / ess
    return (varianceOfSquares / expectedSquare / 4).squareRoot()
}

/// Monte Carlo standard error of the `probability` quantile
/// (ArviZ `mcse(method="quantile", prob=probability)`). NaN if
/// `probability ∉ [0, 1]`. Zero when the bracketing order statistics are tied.
public func mcseQuantile(_ draws: ChainDraws, probability: Double) -> Double {
    guard !draws.containsNaN, probability >= 0, probability <= 1 else { return .nan }
    let sorted = draws.values.sorted()
    let ess = quantileIndicatorESS(draws, sorted: sorted, probability: probability)
    let a = ess * probability + 1
    let b = ess * (1 - probability) + 1
    let lowerPosition = inverseRegularizedIncompleteBeta(mcseQuantileIntervalProbabilities.lower, a: a, b: b)
    let upperPosition = inverseRegularizedIncompleteBeta(mcseQuantileIntervalProbabilities.upper, a: a, b: b)
    let count = Double(sorted.count)
    // NumPy's nanmax/nanmin: a NaN position (NaN ESS) falls back to the extreme draw.
    let lowerIndex = lowerPosition.isNaN ? 0 : max(lowerPosition * count - 1, 0)
    let upperIndex = upperPosition.isNaN ? count - 1 : min(upperPosition * count - 1, count - 1)
    let low = sorted[Int(lowerIndex.rounded(.down))]
    let high = sorted[Int(upperIndex.rounded(.up))]
    return (high - low) / 2
}
