/// Whether a fit may be used as is: `good`, or `flagged` with every reason.
/// A flagged fit is still stored, marked, never silently as good (SPEC §6).
public enum FitStatus: Sendable, Equatable, CustomStringConvertible {
    case good
    case flagged([FitIssue])

    public var isGood: Bool { self == .good }

    /// The issues, empty when good.
    public var issues: [FitIssue] {
        if case let .flagged(issues) = self { return issues }
        return []
    }

    /// Human-readable reasons, e.g. `"max R̂ 1.12 > 1.01 (parameter 'sigma', 3 of 50 parameters above)"`.
    public var reasons: [String] { issues.map(\.description) }

    public var description: String {
        isGood ? "good" : "flagged: " + reasons.joined(separator: "; ")
    }
}

/// One reason a fit is flagged.
public enum FitIssue: Sendable, Equatable, CustomStringConvertible {
    /// The largest rank-normalized R̂ exceeds the limit.
    case rhatAboveLimit(parameter: String, rhat: Double, limit: Double, parametersAbove: Int, parameterCount: Int)
    /// R̂ could not be computed for these parameters (one chain, constant or NaN draws).
    case rhatUndefined(parameters: [String], chainCount: Int)
    /// More divergent transitions than allowed.
    case divergentTransitions(count: Int, limit: Int)
    /// The smallest bulk-ESS is below the limit.
    case essBulkBelowLimit(parameter: String, ess: Double, limit: Double)
    /// The smallest tail-ESS is below the limit.
    case essTailBelowLimit(parameter: String, ess: Double, limit: Double)
    /// ESS is NaN for these parameters (NaN draws).
    case essUndefined(parameters: [String])
    /// A chain's E-BFMI is below the limit (or NaN).
    case bfmiBelowLimit(chain: Int, bfmi: Double, limit: Double)
    /// More transitions hit the maximum tree depth than allowed.
    case treeDepthHits(count: Int, limit: Int)
    /// Iterations whose update could not factor a matrix it needed.
    case failedFactorizations(count: Int)

    public var description: String {
        switch self {
        case let .rhatAboveLimit(parameter, rhat, limit, above, total):
            return "max R̂ \(rounded(rhat, places: 3)) > \(limit) (parameter '\(parameter)', \(above) of \(total) parameters above): chains have not mixed"
        case let .rhatUndefined(parameters, chainCount):
            if chainCount < rhatMinimumChainCount {
                return "R̂ undefined with \(chainCount) chain: run at least \(rhatMinimumChainCount) chains"
            }
            return "R̂ undefined for \(quotedList(parameters)) (constant or NaN draws)"
        case let .divergentTransitions(count, limit):
            return "\(count) divergent transitions > \(limit) allowed: draws may be biased"
        case let .essBulkBelowLimit(parameter, ess, limit):
            return "min bulk ESS \(rounded(ess, places: 1)) < \(limit) (parameter '\(parameter)')"
        case let .essTailBelowLimit(parameter, ess, limit):
            return "min tail ESS \(rounded(ess, places: 1)) < \(limit) (parameter '\(parameter)')"
        case let .essUndefined(parameters):
            return "ESS undefined for \(quotedList(parameters)) (NaN draws)"
        case let .bfmiBelowLimit(chain, bfmi, limit):
            return "E-BFMI \(rounded(bfmi, places: 3)) < \(limit) in chain \(chain): poor energy exploration"
        case let .treeDepthHits(count, limit):
            return "\(count) transitions hit the maximum tree depth > \(limit) allowed"
        case let .failedFactorizations(count):
            return "\(count) sampler iterations could not factor the coefficients' precision and kept the previous coefficients: draws may be biased"
        }
    }
}

/// `value` rounded to `places` decimals for messages (no trailing zeros).
private func rounded(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let shown = (value * scale).rounded() / scale
    if shown == shown.rounded() && abs(shown) < 1e15 { return String(Int(shown)) }
    return "\(shown)"
}

private func quotedList(_ names: [String]) -> String {
    let shown = names.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
    return names.count > 5 ? shown + " and \(names.count - 5) more" : shown
}
