/// The pointwise log-likelihood `log p(yᵢ | θˢ)` of `pointCount` data points
/// under each of `chainCount × drawCount` posterior draws — ArviZ's
/// `log_likelihood` group stacked over `(chain, draw)`.
///
/// Stored point after point (`values[point * totalDrawCount + sample]`, sample
/// `chain * drawCount + draw`) because PSIS-LOO works on one point's draws at a
/// time. Every value is checked finite once here, so the estimators never meet
/// a NaN or an infinity.
public struct PointwiseLogLikelihood: Sendable, Equatable {
    public let chainCount: Int
    public let drawCount: Int
    public let pointCount: Int
    /// `values[point * totalDrawCount + chain * drawCount + draw]`.
    public let values: [Double]

    /// Draws of one chain (or of all chains pooled) as rows, points as columns:
    /// `logLikelihood[draw][point]`.
    /// - Throws: ``LOOError`` for an empty or ragged array, fewer than
    ///   ``PSISLOO/minimumDrawCount`` draws, or a non-finite value.
    public init(draws logLikelihood: [[Double]]) throws {
        try self.init(chains: [logLikelihood])
    }

    /// Chains × draws × points: `logLikelihood[chain][draw][point]`.
    /// - Throws: ``LOOError`` for an empty or ragged array, fewer than
    ///   ``PSISLOO/minimumDrawCount`` draws in all, or a non-finite value.
    public init(chains logLikelihood: [[[Double]]]) throws {
        let chainCount = logLikelihood.count
        let drawCount = logLikelihood.first?.count ?? 0
        guard chainCount * drawCount >= PSISLOO.minimumDrawCount else {
            throw LOOError.tooFewDraws(count: chainCount * drawCount, minimum: PSISLOO.minimumDrawCount)
        }
        let pointCount = logLikelihood[0][0].count
        guard pointCount > 0 else { throw LOOError.noPoints }
        let total = chainCount * drawCount
        var values = [Double](repeating: 0, count: total * pointCount)
        for (chain, draws) in logLikelihood.enumerated() {
            guard draws.count == drawCount else {
                throw LOOError.unequalChainLengths(chain: chain, count: draws.count, expected: drawCount)
            }
            for (draw, row) in draws.enumerated() {
                guard row.count == pointCount else {
                    throw LOOError.raggedLogLikelihood(chain: chain, draw: draw, count: row.count, expected: pointCount)
                }
                let sample = chain * drawCount + draw
                for (point, value) in row.enumerated() {
                    guard value.isFinite else {
                        throw LOOError.nonFiniteLogLikelihood(point: point, draw: sample, value: value)
                    }
                    values[point * total + sample] = value
                }
            }
        }
        self.chainCount = chainCount
        self.drawCount = drawCount
        self.pointCount = pointCount
        self.values = values
    }

    /// Values already stored point after point
    /// (`values[point * chainCount * drawCount + chain * drawCount + draw]`).
    /// - Throws: ``LOOError`` if the buffer does not match the shape, there are
    ///   too few draws or no point, or a value is not finite.
    public init(pointMajor values: [Double], chainCount: Int, drawCount: Int, pointCount: Int) throws {
        // Shapes are checked with overflow-reporting products so that absurd sizes are an error, not a trap.
        let (total, totalOverflow) = max(chainCount, 0).multipliedReportingOverflow(by: max(drawCount, 0))
        guard !totalOverflow, chainCount >= 1, drawCount >= 1, total >= PSISLOO.minimumDrawCount else {
            throw LOOError.tooFewDraws(count: totalOverflow ? 0 : total, minimum: PSISLOO.minimumDrawCount)
        }
        guard pointCount > 0 else { throw LOOError.noPoints }
        let (size, sizeOverflow) = total.multipliedReportingOverflow(by: pointCount)
        guard !sizeOverflow, values.count == size else {
            throw LOOError.shapeMismatch(valueCount: values.count, chainCount: chainCount, drawCount: drawCount, pointCount: pointCount)
        }
        for (index, value) in values.enumerated() where !value.isFinite {
            throw LOOError.nonFiniteLogLikelihood(point: index / total, draw: index % total, value: value)
        }
        self.chainCount = chainCount
        self.drawCount = drawCount
        self.pointCount = pointCount
        self.values = values
    }

    /// Number of posterior draws over all chains (`S`).
    public var totalDrawCount: Int { chainCount * drawCount }

    /// The `S` log-likelihood draws of one data point.
    public func draws(point: Int) -> ArraySlice<Double> {
        values[(point * totalDrawCount)..<((point + 1) * totalDrawCount)]
    }
}
