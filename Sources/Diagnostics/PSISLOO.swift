import Foundation

/// Pareto smoothed importance sampling leave-one-out cross-validation
/// (PSIS-LOO; Vehtari, Gelman & Gabry 2017, "Practical Bayesian model
/// evaluation using leave-one-out cross-validation and WAIC", Statistics and
/// Computing 27:1413–1432), computed as ArviZ's `az.loo`.
///
/// For each data point `i` the leave-one-out predictive density
/// `p(yᵢ | y₋ᵢ) = ∫ p(yᵢ | θ) p(θ | y₋ᵢ) dθ` is estimated from the full-data
/// posterior draws `θ¹…θˢ` by importance sampling with ratios
/// `rᵢˢ = 1/p(yᵢ | θˢ)`, smoothed by PSIS (``ParetoSmoothedWeights``; Vehtari,
/// Simpson, Gelman, Yao & Gabry 2024, JMLR 25(72)) into normalized weights
/// `wᵢˢ`:
///
///     elpd_loo,ᵢ = log Σₛ wᵢˢ p(yᵢ | θˢ),   elpd_loo = Σᵢ elpd_loo,ᵢ,
///     se = √(n · var(elpd_loo,ᵢ)),          p_loo = lppd − elpd_loo.
///
/// Each point's `k̂ᵢ` says whether its estimate can be trusted (see
/// ``paretoKThreshold``). Cost: one sort of the `S` draws per point,
/// `O(n S log S)` in all.
public enum PSISLOO {
    /// Fewest posterior draws accepted. Two is the least that gives a tail
    /// (ArviZ fails below it); the Pareto fit needs more than 4 tail draws,
    /// i.e. `S ≥ 21` at the default tail rule, or every `k̂` is `+∞`.
    public static let minimumDrawCount = 2

    /// `k̂` above this makes a point's PSIS estimate unreliable whatever `S`:
    /// the weights' distribution then has so heavy a tail that the estimate's
    /// error decreases too slowly with `S` to be useful (Vehtari et al. 2024,
    /// §3.2.4; the loo package and ArviZ use 0.7).
    public static let paretoKThreshold = 0.7

    /// ArviZ's `good_k` for `S` draws: `min(1 − 1/log₁₀S, 0.7)`. With fewer
    /// than about 2,200 draws a `k̂` a little below 0.7 is already too high to
    /// reach a useful accuracy (Vehtari et al. 2024, §3.2.4).
    public static func goodParetoKThreshold(drawCount: Int) -> Double {
        min(1 - 1 / log10(Double(drawCount)), paretoKThreshold)
    }

    /// PSIS-LOO of a pointwise log-likelihood.
    /// - Parameters:
    ///   - logLikelihood: `log p(yᵢ | θˢ)` for every draw and point.
    ///   - relativeEfficiency: `r_eff` for the tail length; pass
    ///     `.posteriorMeanESS(parameters)` to match `az.loo` on MCMC chains,
    ///     `.independentDraws` for independent draws.
    /// - Throws: ``LOOError`` if the relative efficiency cannot be resolved.
    public static func compute(
        logLikelihood: PointwiseLogLikelihood,
        relativeEfficiency: LOORelativeEfficiency = .independentDraws
    ) throws -> LOOResult {
        let drawCount = logLikelihood.totalDrawCount
        let reff = try relativeEfficiency.resolved(totalDrawCount: drawCount)
        let tailLength = PSISTail.length(drawCount: drawCount, relativeEfficiency: reff)
        let logDrawCount = Foundation.log(Double(drawCount))

        var pointwiseElpd = [Double](repeating: 0, count: logLikelihood.pointCount)
        var paretoK = [Double](repeating: 0, count: logLikelihood.pointCount)
        var lppd = 0.0
        // Two work buffers reused for every point: the sorted ratios, and their smoothed copy.
        var sortedRatios = [Double](repeating: 0, count: drawCount)
        var smoothed = [Double](repeating: 0, count: drawCount)
        logLikelihood.values.withUnsafeBufferPointer { values in
            sortedRatios.withUnsafeMutableBufferPointer { ratios in
                smoothed.withUnsafeMutableBufferPointer { smoothed in
                    for point in 0..<logLikelihood.pointCount {
                        let draws = UnsafeBufferPointer(rebasing: values[(point * drawCount)..<((point + 1) * drawCount)])
                        let estimate = pointEstimate(
                            logLikelihood: draws, tailLength: tailLength, sortedRatios: ratios, smoothed: smoothed)
                        pointwiseElpd[point] = estimate.elpd
                        paretoK[point] = estimate.paretoK
                        lppd += PSISTail.logSumExp(draws) - logDrawCount
                    }
                }
            }
        }

        var elpd = 0.0
        for value in pointwiseElpd { elpd += value }
        return LOOResult(
            elpd: elpd,
            standardError: (Double(pointwiseElpd.count) * populationVariance(pointwiseElpd)).squareRoot(),
            effectiveParameterCount: lppd - elpd,
            pointwiseElpd: pointwiseElpd,
            paretoK: paretoK,
            drawCount: drawCount,
            relativeEfficiency: reff)
    }

    /// PSIS-LOO of a draws × points log-likelihood (`logLikelihood[draw][point]`).
    /// - Throws: ``LOOError`` for a ragged or non-finite array, fewer than
    ///   ``minimumDrawCount`` draws, or an unusable relative efficiency.
    public static func compute(
        logLikelihood: [[Double]],
        relativeEfficiency: LOORelativeEfficiency = .independentDraws
    ) throws -> LOOResult {
        try compute(logLikelihood: PointwiseLogLikelihood(draws: logLikelihood), relativeEfficiency: relativeEfficiency)
    }

    /// PSIS-LOO of a chains × draws × points log-likelihood
    /// (`logLikelihood[chain][draw][point]`).
    /// - Throws: ``LOOError`` as ``compute(logLikelihood:relativeEfficiency:)-([[Double]],_)``.
    public static func compute(
        logLikelihood: [[[Double]]],
        relativeEfficiency: LOORelativeEfficiency = .independentDraws
    ) throws -> LOOResult {
        try compute(logLikelihood: PointwiseLogLikelihood(chains: logLikelihood), relativeEfficiency: relativeEfficiency)
    }

    /// One point's `elpd_loo,ᵢ` and `k̂ᵢ`. The draws are sorted by their ratio
    /// `−log p(yᵢ | θˢ)`; each keeps its rank through the smoothing, so
    /// `log wˢ + log p(yᵢ | θˢ)` pairs `smoothed[r]` with `−sortedRatios[r]`.
    static func pointEstimate(
        logLikelihood draws: UnsafeBufferPointer<Double>,
        tailLength: Int,
        sortedRatios: UnsafeMutableBufferPointer<Double>,
        smoothed: UnsafeMutableBufferPointer<Double>
    ) -> (elpd: Double, paretoK: Double) {
        let count = draws.count
        for s in 0..<count { sortedRatios[s] = -draws[s] }
        var sortable = sortedRatios  // the buffer is a reference; sorting it sorts `sortedRatios`
        sortable.sort()
        for s in 0..<count { smoothed[s] = sortedRatios[s] }
        let k = PSISTail.smooth(sortedLogRatios: smoothed, tailLength: tailLength)
        let normalizer = PSISTail.logSumExp(UnsafeBufferPointer(smoothed))
        // Reuse `smoothed` for log wˢ + log p(yᵢ | θˢ).
        for s in 0..<count { smoothed[s] = (smoothed[s] - normalizer) - sortedRatios[s] }
        return (PSISTail.logSumExp(UnsafeBufferPointer(smoothed)), k)
    }

    /// `(1/n) Σ (xᵢ − x̄)²`, NumPy's default `var`.
    static func populationVariance(_ values: [Double]) -> Double {
        var sum = 0.0
        for v in values { sum += v }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        return squares / Double(values.count)
    }
}
