/// Errors raised when the draws or sampler information handed to the
/// convergence diagnostics cannot be used; each message says what to fix.
public enum DiagnosticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No chain at all was given.
    case noChains
    /// Chains of different lengths: every chain must hold the same number of draws.
    case unequalChainLengths(chain: Int, count: Int, expected: Int)
    /// Fewer draws per chain than the diagnostics need (ArviZ's minimum is 4).
    case tooFewDraws(count: Int, minimum: Int)
    /// A flat buffer whose size does not equal `chainCount × drawCount`.
    case shapeMismatch(valueCount: Int, chainCount: Int, drawCount: Int)
    /// A fit summary was requested for no parameter.
    case noParameters
    /// A parameter's draws have a different shape from the first parameter's.
    case parameterShapeMismatch(parameter: String, chains: Int, draws: Int, expectedChains: Int, expectedDraws: Int)
    /// Per-iteration sampler information (divergences, tree depth, energy) whose
    /// shape does not match the draws.
    case samplerInfoShapeMismatch(field: String, chains: Int, iterations: [Int], expectedChains: Int, expectedIterations: Int)

    public var description: String {
        switch self {
        case .noChains:
            return "no chains given: pass at least one chain of draws"
        case let .unequalChainLengths(chain, count, expected):
            return "chain \(chain) has \(count) draws but chain 0 has \(expected): all chains must be the same length"
        case let .tooFewDraws(count, minimum):
            return "chains have \(count) draws; convergence diagnostics need at least \(minimum) per chain"
        case let .shapeMismatch(valueCount, chainCount, drawCount):
            return "\(valueCount) values cannot be \(chainCount) chains × \(drawCount) draws"
        case .noParameters:
            return "no parameters given: fit diagnostics need the draws of at least one parameter"
        case let .parameterShapeMismatch(parameter, chains, draws, expectedChains, expectedDraws):
            return "parameter '\(parameter)' has \(chains) chains × \(draws) draws, expected \(expectedChains) × \(expectedDraws) like the other parameters"
        case let .samplerInfoShapeMismatch(field, chains, iterations, expectedChains, expectedIterations):
            let lengths = Set(iterations).sorted().map(String.init).joined(separator: "/")
            return "sampler info '\(field)' has \(chains) chains of \(lengths) iterations, expected \(expectedChains) chains of \(expectedIterations) (one entry per stored draw)"
        }
    }
}
