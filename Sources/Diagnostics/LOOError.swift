/// Errors raised when a pointwise log-likelihood or its importance ratios
/// cannot give a PSIS-LOO estimate; each message says what to fix.
public enum LOOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No data point (no column) in the log-likelihood.
    case noPoints
    /// Too few posterior draws for importance sampling.
    case tooFewDraws(count: Int, minimum: Int)
    /// Chains with different numbers of draws.
    case unequalChainLengths(chain: Int, count: Int, expected: Int)
    /// A draw whose row has a different number of points from the first.
    case raggedLogLikelihood(chain: Int, draw: Int, count: Int, expected: Int)
    /// A flat buffer whose size does not equal `chains × draws × points`.
    case shapeMismatch(valueCount: Int, chainCount: Int, drawCount: Int, pointCount: Int)
    /// A log-likelihood value that is NaN or infinite: a draw under which a
    /// data point is impossible (`−∞`) has an infinite importance ratio, and
    /// leaving that point out cannot be estimated by importance sampling.
    case nonFiniteLogLikelihood(point: Int, draw: Int, value: Double)
    /// A log importance ratio that is NaN or infinite.
    case nonFiniteLogRatio(draw: Int, value: Double)
    /// A relative efficiency that is not a positive finite number.
    case invalidRelativeEfficiency(Double)
    /// Posterior draws given for the relative efficiency that do not match the
    /// log-likelihood's draws, or no posterior draws at all.
    case posteriorShapeMismatch(parameter: Int, totalDraws: Int, expectedTotalDraws: Int)
    /// A comparison of fewer than two models.
    case tooFewModels(count: Int)
    /// Models compared on different numbers of data points.
    case pointCountMismatch(model: String, count: Int, expected: Int)
    /// Two compared models with the same name.
    case duplicateModelName(String)

    public var description: String {
        switch self {
        case .noPoints:
            return "the log-likelihood has no data point: PSIS-LOO needs at least one column"
        case let .tooFewDraws(count, minimum):
            return "\(count) posterior draws; PSIS-LOO needs at least \(minimum) (a few hundred for a reliable Pareto k)"
        case let .unequalChainLengths(chain, count, expected):
            return "chain \(chain) has \(count) draws but chain 0 has \(expected): all chains must be the same length"
        case let .raggedLogLikelihood(chain, draw, count, expected):
            return "chain \(chain), draw \(draw) has \(count) entries, expected \(expected): the log-likelihood must be a full array"
        case let .shapeMismatch(valueCount, chainCount, drawCount, pointCount):
            return "\(valueCount) values cannot be \(chainCount) chains × \(drawCount) draws × \(pointCount) points"
        case let .nonFiniteLogLikelihood(point, draw, value):
            return "log-likelihood of point \(point) at draw \(draw) is \(value): every draw must give every point a finite log density"
        case let .nonFiniteLogRatio(draw, value):
            return "log importance ratio of draw \(draw) is \(value): ratios must be finite"
        case let .invalidRelativeEfficiency(value):
            return "relative efficiency \(value) is not a positive finite number (use 1 for independent draws)"
        case let .posteriorShapeMismatch(parameter, totalDraws, expectedTotalDraws):
            return "posterior parameter \(parameter) has \(totalDraws) draws but the log-likelihood has \(expectedTotalDraws): pass the draws the log-likelihood was computed from"
        case let .tooFewModels(count):
            return "\(count) model(s) given: a comparison needs at least two"
        case let .pointCountMismatch(model, count, expected):
            return "model '\(model)' has \(count) points but the first model has \(expected): compare models on the same data"
        case let .duplicateModelName(name):
            return "two models are named '\(name)': give each compared model its own name"
        }
    }

    static func checkRelativeEfficiency(_ value: Double) throws {
        guard value.isFinite, value > 0 else { throw LOOError.invalidRelativeEfficiency(value) }
    }
}
