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
/// ``paretoKThreshold``). Cost per point: a selection of the tail and a sort
/// of its `M` draws, `O(S + M log M)`, and `2S` exponentials.
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
        let pointCount = logLikelihood.pointCount
        var pointwiseElpd = [Double](repeating: 0, count: pointCount)
        var paretoK = [Double](repeating: 0, count: pointCount)
        var pointwiseLppd = [Double](repeating: 0, count: pointCount)
        logLikelihood.values.withUnsafeBufferPointer { values in
            pointwiseElpd.withUnsafeMutableBufferPointer { elpd in
                paretoK.withUnsafeMutableBufferPointer { k in
                    pointwiseLppd.withUnsafeMutableBufferPointer { lppd in
                        let blocks = PointBlocks(
                            values: values, drawCount: drawCount, tailLength: tailLength,
                            elpd: elpd, paretoK: k, lppd: lppd)
                        let blockCount = (pointCount + pointsPerBlock - 1) / pointsPerBlock
                        if blockCount > 1 {
                            DispatchQueue.concurrentPerform(iterations: blockCount) { blocks.estimate(block: $0) }
                        } else {
                            blocks.estimate(block: 0)
                        }
                    }
                }
            }
        }

        // Sums in point order, so the result does not depend on how the blocks were scheduled.
        let logDrawCount = Foundation.log(Double(drawCount))
        var lppd = 0.0
        for value in pointwiseLppd { lppd += value - logDrawCount }
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
    /// - Throws: ``LOOError`` for a ragged or non-finite array, fewer than
    ///   ``minimumDrawCount`` draws, or an unusable relative efficiency.
    public static func compute(
        logLikelihood: [[[Double]]],
        relativeEfficiency: LOORelativeEfficiency = .independentDraws
    ) throws -> LOOResult {
        try compute(logLikelihood: PointwiseLogLikelihood(chains: logLikelihood), relativeEfficiency: relativeEfficiency)
    }

    /// Points per parallel task: enough work (≥ 64 sorts and Pareto fits) to
    /// outweigh scheduling, small enough to share a few hundred points.
    static let pointsPerBlock = 64

    /// The input and the disjoint outputs of the per-point work; each block of
    /// ``pointsPerBlock`` points writes only its own entries, so blocks can run
    /// concurrently.
    struct PointBlocks: @unchecked Sendable {
        let values: UnsafeBufferPointer<Double>
        let drawCount: Int
        let tailLength: Int
        let elpd: UnsafeMutableBufferPointer<Double>
        let paretoK: UnsafeMutableBufferPointer<Double>
        /// `log Σₛ p(yᵢ | θˢ)` (lppdᵢ before subtracting `log S`).
        let lppd: UnsafeMutableBufferPointer<Double>

        func estimate(block: Int) {
            let points = (block * pointsPerBlock)..<min((block + 1) * pointsPerBlock, elpd.count)
            // Two work buffers reused for every point of the block.
            var sortedRatios = [Double](repeating: 0, count: drawCount)
            var smoothed = [Double](repeating: 0, count: drawCount)
            sortedRatios.withUnsafeMutableBufferPointer { ratios in
                smoothed.withUnsafeMutableBufferPointer { smoothed in
                    for point in points {
                        let draws = UnsafeBufferPointer(rebasing: values[(point * drawCount)..<((point + 1) * drawCount)])
                        let estimate = pointEstimate(
                            logLikelihood: draws, tailLength: tailLength, sortedRatios: ratios, smoothed: smoothed)
                        elpd[point] = estimate.elpd
                        paretoK[point] = estimate.paretoK
                        lppd[point] = PSISTail.logSumExp(draws)
                    }
                }
            }
        }
    }

    /// One point's `elpd_loo,ᵢ` and `k̂ᵢ`. Only the tail needs its ratios
    /// `−log p(yᵢ | θˢ)` in order (``PSISTail/sortTop(_:topCount:)``); each tail
    /// draw keeps its rank through the smoothing, so `log wˢ + log p(yᵢ | θˢ)`
    /// pairs `smoothed[r]` with `−sortedRatios[r]`. A body draw keeps its raw
    /// ratio, so its term is the same constant `−max − log Σ exp(smoothed)` for
    /// all of them: the body is summed as a count times one exponential.
    static func pointEstimate(
        logLikelihood draws: UnsafeBufferPointer<Double>,
        tailLength: Int,
        sortedRatios: UnsafeMutableBufferPointer<Double>,
        smoothed: UnsafeMutableBufferPointer<Double>
    ) -> (elpd: Double, paretoK: Double) {
        let count = draws.count
        for s in 0..<count { sortedRatios[s] = -draws[s] }
        PSISTail.sortTop(sortedRatios, topCount: tailLength + 1)
        for s in 0..<count { smoothed[s] = sortedRatios[s] }
        let k = PSISTail.smooth(sortedLogRatios: smoothed, tailLength: tailLength)
        let normalizer = PSISTail.logSumExp(UnsafeBufferPointer(smoothed))

        // Body: draws below the top block, plus any of the top block the smoothing left alone.
        let largest = sortedRatios[count - 1]
        let bodyTerm = -largest - normalizer
        let topStart = count - tailLength
        var termMax = bodyTerm
        for s in topStart..<count {
            let term = (smoothed[s] - normalizer) - sortedRatios[s]
            smoothed[s] = term
            termMax = max(termMax, term)
        }
        var sum = Double(topStart) * Foundation.exp(bodyTerm - termMax)
        for s in topStart..<count { sum += Foundation.exp(smoothed[s] - termMax) }
        return (Foundation.log(sum) + termMax, k)
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
