/// Potential scale reduction R̂: classic split-R̂ and the rank-normalized,
/// folded split-R̂ of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
/// "Rank-normalization, folding, and localization: an improved R̂",
/// Bayesian Analysis 16(2), computed exactly as ArviZ's `arviz.rhat`.
///
/// For `M` chains of `N` draws (`θ̄ₘ` the chain means, `sₘ²` the chain
/// variances with divisor `N − 1`):
///
///     B = N/(M − 1) · Σₘ (θ̄ₘ − θ̄)²,   W = (1/M) Σₘ sₘ²,
///     R̂ = √( (B/W + N − 1) / N )          (= √(var⁺/W), Gelman et al. BDA3 §11.4)
///
/// "Split" means each chain is first cut into halves (see
/// `ChainDraws.splitChains`), so a trend within one chain also raises R̂.
/// The rank-normalized R̂ applies that to the normal scores of the pooled ranks
/// ("bulk") and to the normal scores of the folded draws `|θ − median θ|`
/// ("tail"), and reports the larger: it is well defined for heavy tails and
/// catches chains that differ in scale as well as in location.
///
/// Like ArviZ, R̂ is NaN with a single chain, when a draw is NaN, and when every
/// chain is constant (W = 0).

/// Fewest chains R̂ is computed for (ArviZ's `min_chains=2`): with one chain the
/// between-chain comparison it is built on does not exist.
public let rhatMinimumChainCount = 2

/// Rank-normalized split-R̂: `max(bulk R̂, folded R̂)` — ArviZ's
/// `rhat(method="rank")`, the R̂ reported by Stan and used for the fit threshold.
public func rankNormalizedSplitRhat(_ draws: ChainDraws) -> Double {
    guard rhatIsDefined(for: draws) else { return .nan }
    let split = draws.splitChains()
    let order = split.values.withUnsafeBufferPointer { ascendingOrder($0) }
    let bulk = potentialScaleReduction(bulkScores(of: split, order: order))
    let tail = potentialScaleReduction(foldedScores(of: split, order: order))
    return largerRhat(bulk: bulk, tail: tail)
}

/// Rank-normalized split-R̂ of the bulk (normal scores of the pooled ranks of
/// the split chains) — ArviZ's `rhat(method="z_scale")`.
public func bulkSplitRhat(_ draws: ChainDraws) -> Double {
    guard rhatIsDefined(for: draws) else { return .nan }
    let split = draws.splitChains()
    let order = split.values.withUnsafeBufferPointer { ascendingOrder($0) }
    return potentialScaleReduction(bulkScores(of: split, order: order))
}

/// Rank-normalized split-R̂ of the folded draws `|θ − median θ|` (the "tail"
/// R̂) — ArviZ's `rhat(method="folded")`.
public func foldedSplitRhat(_ draws: ChainDraws) -> Double {
    guard rhatIsDefined(for: draws) else { return .nan }
    let split = draws.splitChains()
    let order = split.values.withUnsafeBufferPointer { ascendingOrder($0) }
    return potentialScaleReduction(foldedScores(of: split, order: order))
}

/// Classic split-R̂ of the raw draws (Gelman et al. BDA3 §11.4) — ArviZ's
/// `rhat(method="split")`. Not robust to heavy tails; kept for comparison.
public func splitRhat(_ draws: ChainDraws) -> Double {
    guard rhatIsDefined(for: draws) else { return .nan }
    return potentialScaleReduction(draws.splitChains())
}

/// R̂ of the raw, unsplit chains (Gelman & Rubin 1992) — ArviZ's
/// `rhat(method="identity")`. Misses trends within chains.
public func unsplitRhat(_ draws: ChainDraws) -> Double {
    guard rhatIsDefined(for: draws) else { return .nan }
    return potentialScaleReduction(draws.unsplitChains())
}

// MARK: - Shared pieces

func rhatIsDefined(for draws: ChainDraws) -> Bool {
    draws.chainCount >= rhatMinimumChainCount && !draws.containsNaN
}

/// `max(bulk, tail)` with Python's `max` semantics (the first argument wins
/// unless the second is larger), so a NaN bulk R̂ stays NaN as in ArviZ.
@inline(__always)
func largerRhat(bulk: Double, tail: Double) -> Double {
    tail > bulk ? tail : bulk
}

/// Normal scores of the pooled ranks of `sample`, same layout.
func bulkScores(of sample: SegmentedSample, order: [Int]) -> SegmentedSample {
    var scores = [Double](repeating: 0, count: sample.count)
    sample.values.withUnsafeBufferPointer { values in
        scores.withUnsafeMutableBufferPointer { writeRankNormalizedScores(values, order, into: $0) }
    }
    return SegmentedSample(values: scores, segmentCount: sample.segmentCount, segmentLength: sample.segmentLength)
}

/// Normal scores of the ranks of `|x − median x|` over the pooled `sample`,
/// same layout; `order` is the ascending order of `sample`.
func foldedScores(of sample: SegmentedSample, order: [Int]) -> SegmentedSample {
    var folded = [Double](repeating: 0, count: sample.count)
    var scores = [Double](repeating: 0, count: sample.count)
    sample.values.withUnsafeBufferPointer { values in
        let center = medianOfOrdered(values, order)
        let foldOrder = folded.withUnsafeMutableBufferPointer {
            foldedOrder(values, ascending: order, center: center, folded: $0)
        }
        folded.withUnsafeBufferPointer { foldedValues in
            scores.withUnsafeMutableBufferPointer { writeRankNormalizedScores(foldedValues, foldOrder, into: $0) }
        }
    }
    return SegmentedSample(values: scores, segmentCount: sample.segmentCount, segmentLength: sample.segmentLength)
}

/// NumPy's median of `values` given their ascending order.
func medianOfOrdered(_ values: UnsafeBufferPointer<Double>, _ order: [Int]) -> Double {
    let n = order.count
    return n % 2 == 1 ? values[order[n / 2]] : (values[order[n / 2 - 1]] + values[order[n / 2]]) / 2
}

/// R̂ of the segments of `sample` treated as chains (ArviZ's `_rhat`):
/// `√((B/W + N − 1)/N)` with `B = N · var(chain means)` and `W` the mean
/// within-chain variance, both with divisor `count − 1`.
func potentialScaleReduction(_ sample: SegmentedSample) -> Double {
    let n = sample.segmentLength
    let m = sample.segmentCount
    var meanOfVariances = 0.0
    var chainMeans = [Double](repeating: 0, count: m)
    sample.values.withUnsafeBufferPointer { values in
        for k in 0..<m {
            let segment = UnsafeBufferPointer(rebasing: values[(k * n)..<((k + 1) * n)])
            let (segmentMean, sumOfSquares) = meanAndSumOfSquares(segment)
            chainMeans[k] = segmentMean
            meanOfVariances += sumOfSquares / Double(n - 1)
        }
    }
    meanOfVariances /= Double(m)
    let betweenChainVariance = Double(n) * chainMeans.withUnsafeBufferPointer { meanAndSumOfSquares($0).1 } / Double(m - 1)
    return ((betweenChainVariance / meanOfVariances + Double(n) - 1) / Double(n)).squareRoot()
}

/// Mean and centred sum of squares `Σ (x − x̄)²` by two passes (NumPy's `var`).
@inline(__always)
func meanAndSumOfSquares(_ values: UnsafeBufferPointer<Double>) -> (Double, Double) {
    var sum = 0.0
    for v in values { sum += v }
    let average = sum / Double(values.count)
    var squares = 0.0
    for v in values {
        let d = v - average
        squares += d * d
    }
    return (average, squares)
}
