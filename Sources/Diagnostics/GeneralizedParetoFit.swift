import Foundation

/// A generalized Pareto distribution (GPD) with location 0, shape `k` and
/// scale `σ`, fitted to exceedances by the empirical Bayes method of Zhang &
/// Stephens (2009, "A new and efficient estimation method for the generalized
/// Pareto distribution", Technometrics 51(3)), with the weakly informative
/// shrinkage of `k̂` towards 0.5 used by PSIS (Vehtari, Simpson, Gelman, Yao &
/// Gabry 2024, "Pareto smoothed importance sampling", JMLR 25(72), §3 and
/// Appendix C) — ArviZ's `_gpdfit`.
///
/// The distribution function is `F(x) = 1 − (1 + k·x/σ)^(−1/k)` for `x ≥ 0`
/// (`1 − exp(−x/σ)` when `k = 0`). `k > 0` is a heavy tail whose moments of
/// order ≥ 1/k do not exist — which is why `k̂` diagnoses importance sampling.
struct GeneralizedPareto: Equatable {
    /// Shape `k` (after the shrinkage towards 0.5 when fitted).
    var shape: Double
    /// Scale `σ`.
    var scale: Double

    /// Prior strength of the shrinkage of `k̂` towards 0.5: the fit returns
    /// `(n·k̂ + 10·0.5)/(n + 10)`, as if 10 extra observations had `k = 0.5`
    /// (Vehtari et al. 2024, Appendix C; stabilizes `k̂` for short tails).
    static let shapePriorObservations = 10.0
    /// The value `k̂` is shrunk towards.
    static let shapePriorMean = 0.5
    /// Zhang & Stephens' prior on `θ = −k/σ` is centred at the inverse of
    /// `3 ×` the first sample quartile.
    static let quartileScaleFactor = 3.0
    /// Grid points of `θ` beyond the minimum 30: Zhang & Stephens use
    /// `m = 30 + ⌊√n⌋`.
    static let minimumGridSize = 30
    /// Grid weights below this are dropped before normalizing (they carry no
    /// information and only add rounding).
    static let negligibleWeight = 10 * Double.ulpOfOne

    /// Zhang–Stephens fit to the exceedances `sorted` (ascending, all > 0,
    /// at least one).
    ///
    /// With `n` exceedances `x₍₁₎ ≤ … ≤ x₍ₙ₎`, `m = 30 + ⌊√n⌋` and the first
    /// quartile `q = x₍⌊n/4 + 0.5⌋₎`, the grid
    ///
    ///     θⱼ = 1/x₍ₙ₎ + (1 − √(m/(j − ½))) / (3q),   j = 1…m,
    ///
    /// spans the admissible `θ < 1/x₍ₙ₎`. For each `θⱼ` the profile estimate
    /// `kⱼ = mean(log(1 − θⱼ xᵢ))` and the profile log-likelihood
    /// `ℓⱼ = n·(log(−θⱼ/kⱼ) − kⱼ − 1)` give the posterior weights
    /// `wⱼ = 1/Σᵢ exp(ℓᵢ − ℓⱼ)`; then `θ̂ = Σ wⱼθⱼ`, `k̂ = mean(log(1 − θ̂ xᵢ))`,
    /// `σ̂ = −k̂/θ̂`, and `k̂` is shrunk to `(n k̂ + 10·0.5)/(n + 10)` (`σ̂` keeps the
    /// unshrunk `k̂`, as in ArviZ and loo). The result can be non-finite when the
    /// exceedances are degenerate; callers treat that as "do not smooth".
    static func fit(sortedExceedances sorted: UnsafeBufferPointer<Double>) -> GeneralizedPareto {
        let n = sorted.count
        let count = Double(n)
        let gridSize = minimumGridSize + Int(count.squareRoot())
        let quartileIndex = max(Int(count / 4 + 0.5) - 1, 0)
        let largest = sorted[n - 1]
        let quartileTerm = quartileScaleFactor * sorted[quartileIndex]

        func profileShape(_ theta: Double) -> Double {
            var sum = 0.0
            for x in sorted { sum += Foundation.log1p(-theta * x) }
            return sum / count
        }

        var thetas = [Double](repeating: 0, count: gridSize)
        var profileLogLikelihoods = [Double](repeating: 0, count: gridSize)
        for j in 0..<gridSize {
            let theta = (1 - (Double(gridSize) / (Double(j + 1) - 0.5)).squareRoot()) / quartileTerm + 1 / largest
            let k = profileShape(theta)
            thetas[j] = theta
            profileLogLikelihoods[j] = count * (Foundation.log(-(theta / k)) - k - 1)
        }

        // wⱼ = 1 / Σᵢ exp(ℓᵢ − ℓⱼ): O(m²), m ≤ 30 + √n is small.
        var weights = [Double](repeating: 0, count: gridSize)
        for j in 0..<gridSize {
            var sum = 0.0
            for i in 0..<gridSize { sum += Foundation.exp(profileLogLikelihoods[i] - profileLogLikelihoods[j]) }
            weights[j] = 1 / sum
        }
        var weightSum = 0.0
        for w in weights where w >= negligibleWeight { weightSum += w }
        var thetaHat = 0.0
        for j in 0..<gridSize where weights[j] >= negligibleWeight {
            thetaHat += thetas[j] * (weights[j] / weightSum)
        }

        let kHat = profileShape(thetaHat)
        let sigmaHat = -kHat / thetaHat
        let shrunk = (count * kHat + shapePriorObservations * shapePriorMean) / (count + shapePriorObservations)
        return GeneralizedPareto(shape: shrunk, scale: sigmaHat)
    }

    /// The quantile function `F⁻¹(p) = σ·((1 − p)^(−k) − 1)/k`, evaluated as
    /// `σ·expm1(−k·log1p(−p))/k` (and `−σ·log1p(−p)` when `|k| < ε`) so it stays
    /// accurate for small `p` and small `k`. Defined for `0 < p < 1`, `σ > 0`.
    @inlinable
    func quantile(_ p: Double) -> Double {
        if abs(shape) < Double.ulpOfOne {
            return -scale * Foundation.log1p(-p)
        }
        return scale * (Foundation.expm1(-shape * Foundation.log1p(-p)) / shape)
    }
}
