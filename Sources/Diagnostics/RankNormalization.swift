import NumericCore
import Synchronization

/// Rank normalization and folding of MCMC draws (Vehtari, Gelman, Simpson,
/// Carpenter & Bürkner 2021, "Rank-normalization, folding, and localization:
/// an improved R̂ for assessing convergence of MCMC", Bayesian Analysis 16(2),
/// §4.1, eq. 14).
///
/// All `S` draws are pooled and ranked (ties get the average of the ranks they
/// span, like `scipy.stats.rankdata(method="average")`), and rank `r` is mapped
/// to the normal score
///
///     z = Φ⁻¹((r − 3/8) / (S − 2·3/8 + 1)) = Φ⁻¹((r − 3/8) / (S + 1/4)),
///
/// Blom's (1958) fractional offset. The scores are invariant to any monotone
/// transform of the draws and well defined for distributions without finite
/// moments, which is why R̂ and bulk-ESS are computed on them.

/// Blom's fractional offset `c = 3/8` in `(r − c)/(S − 2c + 1)`: makes the
/// normal scores of ordered uniform ranks nearly unbiased (Blom 1958), as in
/// Vehtari et al. (2021) and ArviZ.
public let blomOffset = 3.0 / 8.0

/// 1-based ranks of `values` with ties given their average rank
/// (`scipy.stats.rankdata(values, method="average")`). NaN values are not allowed
/// (they have no order); the result for them is unspecified.
public func averageRanks(_ values: [Double]) -> [Double] {
    var ranks = [Double](repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { source in
        let order = ascendingOrder(source)
        ranks.withUnsafeMutableBufferPointer { output in
            forEachTieRun(source, order) { run, averageRank in
                for k in run { output[order[k]] = averageRank }
            }
        }
    }
    return ranks
}

/// Rank-normalized scores `Φ⁻¹((r − 3/8)/(S + 1/4))` of `values` with average
/// ranks for ties (ArviZ's `_z_scale`; Vehtari et al. 2021, eq. 14).
public func rankNormalizedScores(_ values: [Double]) -> [Double] {
    var scores = [Double](repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { source in
        let order = ascendingOrder(source)
        scores.withUnsafeMutableBufferPointer { output in
            writeRankNormalizedScores(source, order, into: output)
        }
    }
    return scores
}

/// Folded draws `|x − median(x)|` (Vehtari et al. 2021, §4.2, eq. 15): their
/// rank-normalized R̂ detects chains that differ in scale or tails rather than
/// location. The median is NumPy's (mean of the two middle values for an even count).
public func foldedDraws(_ values: [Double]) -> [Double] {
    guard !values.isEmpty else { return [] }
    let sorted = values.sorted()
    let center = sortedMedian(sorted)
    return values.map { abs($0 - center) }
}

// MARK: - Building blocks shared with R̂, ESS and the per-parameter summary

/// Indices that sort `values` ascending (no NaN allowed).
func ascendingOrder(_ values: UnsafeBufferPointer<Double>) -> [Int] {
    var order = [Int](repeating: 0, count: values.count)
    var sorter = RadixSorter()
    order.withUnsafeMutableBufferPointer { sorter.order(values, into: $0) }
    return order
}

/// Calls `body(run, averageRank)` for each run of equal values in sorted
/// order; `run` is the range of positions in `order`, and the average rank is
/// `first + (count − 1)/2` in 1-based ranks (exact in floating point).
@inline(__always)
func forEachTieRun(
    _ values: UnsafeBufferPointer<Double>, _ order: [Int],
    _ body: (Range<Int>, Double) -> Void
) {
    let count = order.count
    var start = 0
    while start < count {
        let value = values[order[start]]
        var end = start + 1
        while end < count && values[order[end]] == value { end += 1 }
        let averageRank = Double(start + 1) + Double(end - start - 1) / 2
        body(start..<end, averageRank)
        start = end
    }
}

/// Writes the rank-normalized score of every value, given the ascending order.
/// Whole ranks (every value without ties) read the score from a table shared by
/// all quantities with the same number of draws (a fit diagnoses ~50 of them,
/// each with 4,000 draws); a tie run's half-integer average rank is computed.
func writeRankNormalizedScores(
    _ values: UnsafeBufferPointer<Double>, _ order: [Int],
    into scores: UnsafeMutableBufferPointer<Double>
) {
    let count = values.count
    let denominator = Double(count) - 2 * blomOffset + 1
    let table = NormalScores.table(count: count)
    table.withUnsafeBufferPointer { table in
        forEachTieRun(values, order) { run, averageRank in
            let whole = Int(averageRank)
            let score = Double(whole) == averageRank
                ? table[whole - 1]
                : inverseNormalCDF((averageRank - blomOffset) / denominator)
            for k in run { scores[order[k]] = score }
        }
    }
}

/// `Φ⁻¹((r − 3/8)/(S + 1/4))` for `r = 1 … S`, computed once for the most
/// recent `S` and shared between threads.
enum NormalScores {
    private static let cache = Mutex<(count: Int, table: [Double])>((0, []))

    static func table(count: Int) -> [Double] {
        if let table = cache.withLock({ $0.count == count ? $0.table : nil }) { return table }
        let denominator = Double(count) - 2 * blomOffset + 1
        let table = (0..<count).map { inverseNormalCDF((Double($0 + 1) - blomOffset) / denominator) }
        cache.withLock { $0 = (count, table) }
        return table
    }
}

/// Median of ascending values as NumPy computes it: the middle value, or the
/// mean `(a + b)/2` of the two middle values.
func sortedMedian(_ sorted: UnsafeBufferPointer<Double>) -> Double {
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

func sortedMedian(_ sorted: [Double]) -> Double {
    sorted.withUnsafeBufferPointer { sortedMedian($0) }
}

/// Folds `values` about `center` into `folded` (`|x − center|`) and returns the
/// ascending order of the folded values in O(S), by merging the draws below the
/// center (walked downwards) with those at or above it (walked upwards):
/// rounding of `x − center` is monotone in `x`, so both walks are already sorted.
func foldedOrder(
    _ values: UnsafeBufferPointer<Double>, ascending order: [Int], center: Double,
    folded: UnsafeMutableBufferPointer<Double>
) -> [Int] {
    let count = order.count
    for i in 0..<values.count { folded[i] = abs(values[i] - center) }
    var split = 0
    while split < count && values[order[split]] < center { split += 1 }
    var merged = [Int]()
    merged.reserveCapacity(count)
    var below = split - 1
    var above = split
    while below >= 0 && above < count {
        let lower = order[below], upper = order[above]
        if folded[lower] <= folded[upper] {
            merged.append(lower)
            below -= 1
        } else {
            merged.append(upper)
            above += 1
        }
    }
    while below >= 0 { merged.append(order[below]); below -= 1 }
    while above < count { merged.append(order[above]); above += 1 }
    return merged
}
