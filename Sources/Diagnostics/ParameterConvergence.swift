/// The convergence diagnostics of one parameter that a fit is judged on —
/// rank-normalized split-R̂ (with its bulk and folded parts), bulk-ESS and
/// tail-ESS — computed together so the draws are sorted once.
///
/// Each value equals the standalone function (`rankNormalizedSplitRhat`,
/// `bulkSplitRhat`, `foldedSplitRhat`, `essBulk`, `essTail`) and so ArviZ's
/// number; only the shared work differs: one `O(S log S)` sort of the split
/// draws gives the bulk ranks, the median, the folded ranks (by an `O(S)`
/// merge, see `foldedOrder`) and, for an even chain length, the tail quantiles.
public struct ParameterConvergence: Sendable, Equatable {
    public let name: String
    /// Rank-normalized split-R̂, `max(bulkRhat, tailRhat)`; NaN with one chain.
    public let rhat: Double
    /// Split-R̂ of the rank-normalized draws.
    public let bulkRhat: Double
    /// Split-R̂ of the rank-normalized folded draws `|θ − median θ|`.
    public let tailRhat: Double
    /// Bulk effective sample size.
    public let essBulk: Double
    /// Tail effective sample size (5% and 95% quantiles).
    public let essTail: Double

    public init(name: String = "", draws: ChainDraws) {
        self.name = name
        guard !draws.containsNaN else {
            (rhat, bulkRhat, tailRhat, essBulk, essTail) = (.nan, .nan, .nan, .nan, .nan)
            return
        }
        let split = draws.splitChains()
        let order = split.values.withUnsafeBufferPointer { ascendingOrder($0) }
        let bulk = bulkScores(of: split, order: order)
        essBulk = effectiveSampleSize(bulk)
        if draws.chainCount >= rhatMinimumChainCount {
            bulkRhat = potentialScaleReduction(bulk)
            tailRhat = potentialScaleReduction(foldedScores(of: split, order: order))
            rhat = largerRhat(bulk: bulkRhat, tail: tailRhat)
        } else {
            (rhat, bulkRhat, tailRhat) = (.nan, .nan, .nan)
        }
        // Tail quantiles are of all draws; for an even length the split chains
        // hold exactly those, already ordered.
        let sorted = draws.drawCount % 2 == 0 ? order.map { split.values[$0] } : draws.values.sorted()
        let lower = quantileIndicatorESS(draws, sorted: sorted, probability: tailESSProbabilities.lower)
        let upper = quantileIndicatorESS(draws, sorted: sorted, probability: tailESSProbabilities.upper)
        essTail = upper < lower ? upper : lower
    }
}
