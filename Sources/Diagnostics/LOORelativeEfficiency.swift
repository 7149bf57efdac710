/// The relative efficiency `r_eff = ESS/S` of the posterior draws that PSIS
/// uses to set its tail length (Vehtari et al. 2024, §3; Vehtari, Gelman &
/// Gabry 2017, §2.1). Autocorrelated MCMC draws carry less information than
/// `S` independent ones, so their importance ratios need a longer tail
/// (`M = ⌈min(S/5, 3√(S/r_eff))⌉`) for the same Pareto fit quality.
public enum LOORelativeEfficiency: Sendable, Equatable {
    /// Independent draws: `r_eff = 1`.
    case independentDraws
    /// A given `r_eff` (positive, finite).
    case value(Double)
    /// ArviZ's default in `az.loo`: the mean, over the posterior parameters
    /// given, of their mean-ESS (``essMean(_:)``, Vehtari et al. 2021) divided
    /// by the number of draws `S`; `1` when the draws come from a single chain.
    /// The parameters must be the draws the log-likelihood was computed from
    /// (one ``ChainDraws`` per scalar parameter, same chains and draws).
    ///
    /// Note that this is a property of the posterior, not of the likelihood:
    /// the R package loo instead computes one `r_eff` per data point from the
    /// likelihood draws; ArviZ uses this one number for every point.
    case posteriorMeanESS([ChainDraws])

    /// The number `r_eff` for a log-likelihood of `totalDrawCount` draws.
    /// - Throws: ``LOOError`` if the value is not positive and finite, or the
    ///   posterior draws do not match the log-likelihood's draws.
    public func resolved(totalDrawCount: Int) throws -> Double {
        switch self {
        case .independentDraws:
            return 1
        case let .value(reff):
            try LOOError.checkRelativeEfficiency(reff)
            return reff
        case let .posteriorMeanESS(parameters):
            guard !parameters.isEmpty else {
                throw LOOError.posteriorShapeMismatch(parameter: 0, totalDraws: 0, expectedTotalDraws: totalDrawCount)
            }
            for (index, parameter) in parameters.enumerated() where parameter.totalDrawCount != totalDrawCount {
                throw LOOError.posteriorShapeMismatch(
                    parameter: index, totalDraws: parameter.totalDrawCount, expectedTotalDraws: totalDrawCount)
            }
            // ArviZ: one chain means no between-chain information; it takes r_eff = 1.
            if parameters.contains(where: { $0.chainCount == 1 }) { return 1 }
            var sum = 0.0
            for parameter in parameters { sum += essMean(parameter) }
            let reff = sum / Double(parameters.count) / Double(totalDrawCount)
            try LOOError.checkRelativeEfficiency(reff)
            return reff
        }
    }
}
