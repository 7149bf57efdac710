import Foundation

/// Pareto smoothed importance sampling (PSIS) of one set of importance ratios
/// (Vehtari, Simpson, Gelman, Yao & Gabry 2024, "Pareto smoothed importance
/// sampling", JMLR 25(72); ArviZ's `psislw`).
///
/// Given `S` log importance ratios `log rₛ` (for leave-one-out, `−log p(yᵢ | θˢ)`):
///
/// 1. the tail length is `M = ⌈min(S/5, 3·√(S/r_eff))⌉` (the paper's rule, with
///    `r_eff` the relative efficiency of the MCMC draws);
/// 2. the `M` largest ratios strictly above the `(M+1)`-th largest — the
///    cutoff `u`, never below `log(Double.leastNormalMagnitude)` after shifting
///    the largest ratio to 0 — form the tail;
/// 3. a generalized Pareto distribution is fitted to the tail exceedances
///    `rₛ − exp(u)` of the shifted ratios (``GeneralizedPareto/fit(sortedExceedances:)``,
///    Zhang & Stephens 2009), and the tail ratios are replaced, in their
///    order, by the fitted quantiles at `(j − ½)/M`, `j = 1…M` (plus `exp(u)`);
///    tied ratios in the tail get distinct smoothed values, in an order among
///    themselves that is not specified (ArviZ's depends on NumPy's argsort);
/// 4. smoothed ratios above the largest raw ratio are truncated to it;
/// 5. the log weights are normalized to sum (in exp) to 1.
///
/// `k̂`, the fitted shape, is the diagnostic: below `0.7` (more precisely
/// `min(1 − 1/log₁₀S, 0.7)`) the PSIS estimate is reliable; above it the
/// variance of the weights is effectively infinite and the estimate can be
/// far off. A tail of 4 or fewer ratios is not fitted: `k̂ = +∞` and the ratios
/// are only normalized (as ArviZ does). A fit that comes out non-finite (k̂ NaN,
/// degenerate tails only) also leaves the ratios unsmoothed; a fit with a
/// scale that is not positive leaves them unsmoothed too, where ArviZ would
/// return NaN weights.
public struct ParetoSmoothedWeights: Sendable, Equatable {
    /// Smoothed, truncated and normalized log weights, in the order of the
    /// ratios given (`log Σ exp(logWeights) = 0`).
    public let logWeights: [Double]
    /// Estimated generalized Pareto shape `k̂` of the ratios' right tail
    /// (`+∞` when the tail was too short to fit).
    public let paretoK: Double

    /// PSIS of one vector of log importance ratios.
    /// - Parameters:
    ///   - logRatios: `log rₛ`, one per draw, all finite.
    ///   - relativeEfficiency: `r_eff = ESS/S` of the draws, `> 0`; 1 for
    ///     independent draws. It only sets the tail length.
    /// - Throws: ``LOOError`` for fewer than 2 ratios, a non-finite ratio, or an
    ///   unusable `r_eff`.
    public init(logRatios: [Double], relativeEfficiency: Double = 1) throws {
        try LOOError.checkRelativeEfficiency(relativeEfficiency)
        guard logRatios.count >= PSISLOO.minimumDrawCount else {
            throw LOOError.tooFewDraws(count: logRatios.count, minimum: PSISLOO.minimumDrawCount)
        }
        for (draw, ratio) in logRatios.enumerated() where !ratio.isFinite {
            throw LOOError.nonFiniteLogRatio(draw: draw, value: ratio)
        }

        var weights = [Double](repeating: 0, count: logRatios.count)
        var work = [Double](repeating: 0, count: logRatios.count)
        let tailLength = PSISTail.length(drawCount: logRatios.count, relativeEfficiency: relativeEfficiency)
        let k = logRatios.withUnsafeBufferPointer { ratios in
            work.withUnsafeMutableBufferPointer { work in
                weights.withUnsafeMutableBufferPointer { weights in
                    PSISTail.smoothedLogWeights(ratios, tailLength: tailLength, work: work, into: weights)
                }
            }
        }
        logWeights = weights
        paretoK = k
    }

    /// PSIS of one vector of log ratios into caller-provided buffers (for the
    /// many points of a leave-one-out computation, without an allocation a
    /// point but the tail's indices): `weights` receives the smoothed,
    /// truncated and normalized log weights in the ratios' order, `work` is
    /// scratch; returns `k̂`. The ratios must be finite and at least two, the
    /// buffers as long as they (the throwing initializer checks; this does
    /// not).
    public static func smooth(logRatios: UnsafeBufferPointer<Double>, relativeEfficiency: Double = 1,
                              work: UnsafeMutableBufferPointer<Double>,
                              into weights: UnsafeMutableBufferPointer<Double>) -> Double {
        let tailLength = PSISTail.length(drawCount: logRatios.count, relativeEfficiency: relativeEfficiency)
        return PSISTail.smoothedLogWeights(logRatios, tailLength: tailLength, work: work, into: weights)
    }
}

/// The tail rule and the in-place smoothing shared by ``ParetoSmoothedWeights``
/// and ``PSISLOO``; both work on ratios sorted ascending, so the pairing of a
/// ratio with its smoothed value is its rank.
enum PSISTail {
    /// Vehtari et al. (2024)'s tail length `⌈min(S/5, 3·√(S/r_eff))⌉`: a fifth of
    /// the draws at most, fewer when the draws are efficient enough that
    /// `3√(S/r_eff)` tail draws already pin the fit down.
    static func length(drawCount: Int, relativeEfficiency: Double) -> Int {
        let draws = Double(drawCount)
        let length = min(draws / 5, 3 * (draws / relativeEfficiency).squareRoot()).rounded(.up)
        return min(Int(length), drawCount - 1)
    }

    /// A tail must hold more than this many ratios to be fitted (ArviZ, loo).
    static let minimumFittedTail = 4

    /// The log of the smallest positive normal double: the cutoff never goes
    /// below it, so `exp(cutoff)` is representable.
    static let lowestCutoff = Foundation.log(Double.leastNormalMagnitude)

    /// Smooths `ratios` (ascending, finite maximum) in place and returns `k̂`.
    /// On return the values are `log rₛ − max log r` with the tail replaced
    /// (not normalized), still ascending.
    static func smooth(sortedLogRatios ratios: UnsafeMutableBufferPointer<Double>, tailLength: Int) -> Double {
        let count = ratios.count
        let largest = ratios[count - 1]
        for i in 0..<count { ratios[i] -= largest }

        let cutoff = max(ratios[count - tailLength - 1], lowestCutoff)
        var tailStart = count - tailLength
        while tailStart < count && ratios[tailStart] <= cutoff { tailStart += 1 }
        let tail = count - tailStart
        guard tail > minimumFittedTail else { return .infinity }

        let expCutoff = Foundation.exp(cutoff)
        var exceedances = [Double](repeating: 0, count: tail)
        for j in 0..<tail { exceedances[j] = Foundation.exp(ratios[tailStart + j]) - expCutoff }
        let fit = exceedances.withUnsafeBufferPointer { GeneralizedPareto.fit(sortedExceedances: $0) }
        // A degenerate fit (non-finite shape, or a scale that is not positive) gives no usable
        // quantiles; ArviZ keeps the raw tail when k̂ is non-finite.
        guard fit.shape.isFinite, fit.scale > 0, fit.scale.isFinite else { return fit.shape }

        for j in 0..<tail {
            let p = (Double(j) + 0.5) / Double(tail)
            let smoothed = Foundation.log(fit.quantile(p) + expCutoff)
            // Truncate at the largest raw log ratio (0 after the shift).
            ratios[tailStart + j] = smoothed > 0 ? 0 : smoothed
        }
        return fit.shape
    }

    /// PSIS of `ratios` (all finite) into `weights`: smoothed, truncated and
    /// normalized log weights in the ratios' order; returns `k̂`. Only the
    /// tail needs ranks: the top block is found by ``sortTop(_:topCount:)``
    /// in `work` and smoothed there, the draws above the cutoff are sorted
    /// among themselves (`O(S + M log M)`), and every other draw keeps its
    /// shifted raw ratio. Tied ratios in the tail take their smoothed values
    /// in an unspecified order among themselves.
    static func smoothedLogWeights(_ ratios: UnsafeBufferPointer<Double>, tailLength: Int,
                                   work: UnsafeMutableBufferPointer<Double>,
                                   into weights: UnsafeMutableBufferPointer<Double>) -> Double {
        let count = ratios.count
        for s in 0..<count { work[s] = ratios[s] }
        sortTop(work, topCount: tailLength + 1)
        let largest = work[count - 1]
        let k = smooth(sortedLogRatios: work, tailLength: tailLength)
        // The tail the smoothing replaced: the draws strictly above the cutoff, at the end of `work`.
        let cutoff = max(work[count - tailLength - 1], lowestCutoff)
        var tailStart = count - tailLength
        while tailStart < count && work[tailStart] <= cutoff { tailStart += 1 }
        var tailDraws: [Int] = []
        tailDraws.reserveCapacity(count - tailStart)
        for s in 0..<count {
            let shifted = ratios[s] - largest
            weights[s] = shifted
            if shifted > cutoff { tailDraws.append(s) }
        }
        // A tail that was not fitted is left as it was (its raw ratios).
        if tailDraws.count == count - tailStart {
            tailDraws.sort { ratios[$0] < ratios[$1] }
            for (j, s) in tailDraws.enumerated() { weights[s] = work[tailStart + j] }
        }
        let normalizer = logSumExp(UnsafeBufferPointer(weights))
        for s in 0..<count { weights[s] -= normalizer }
        return k
    }

    /// Rearranges `values` so that its last `topCount` entries are its
    /// `topCount` largest, sorted ascending, and every earlier entry is at most
    /// the first of them — all that ``smooth(sortedLogRatios:tailLength:)``
    /// reads. Three-way quickselect (ties, such as the repeated draws of a
    /// rejected Metropolis proposal, fall into one middle block), then a sort
    /// of the top block: `O(S + M log M)` instead of `O(S log S)`; a full sort
    /// takes over if the selection degenerates.
    static func sortTop(_ values: UnsafeMutableBufferPointer<Double>, topCount: Int) {
        let count = values.count
        let rank = count - topCount
        guard rank > 0 else {
            var all = values
            all.sort()
            return
        }
        var low = 0, high = count - 1
        var budget = 2 * (Int.bitWidth - count.leadingZeroBitCount)
        while low < high {
            if budget == 0 {
                var range = UnsafeMutableBufferPointer(rebasing: values[low...high])
                range.sort()
                break
            }
            budget -= 1
            let middle = low + (high - low) / 2
            let pivot = medianOfThree(values[low], values[middle], values[high])
            // [low, less) < pivot, [less, i) == pivot, (greater, high] > pivot.
            var less = low, i = low, greater = high
            while i <= greater {
                let v = values[i]
                if v < pivot {
                    values.swapAt(less, i)
                    less += 1
                    i += 1
                } else if v > pivot {
                    values.swapAt(i, greater)
                    greater -= 1
                } else {
                    i += 1
                }
            }
            if rank < less {
                high = less - 1
            } else if rank > greater {
                low = greater + 1
            } else {
                break
            }
        }
        var top = UnsafeMutableBufferPointer(rebasing: values[rank...])
        top.sort()
    }

    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }

    /// `log Σ exp(xₛ)` with the largest term factored out.
    static func logSumExp(_ values: UnsafeBufferPointer<Double>) -> Double {
        var largest = -Double.infinity
        for v in values where v > largest { largest = v }
        guard largest > -.infinity else { return -.infinity }
        var sum = 0.0
        for v in values { sum += Foundation.exp(v - largest) }
        return Foundation.log(sum) + largest
    }
}
