/// Descriptive statistics used throughout slowreg.
///
/// Conventions follow R and NumPy so that figures can be checked against them:
/// quantiles use linear interpolation between order statistics (R `type = 7`,
/// NumPy `method="linear"`), and the MAD is normalized by 1.4826 so that it
/// estimates the standard deviation of a normal sample (R `mad()`).

/// The factor that makes the median absolute deviation a consistent estimator of
/// the standard deviation under normality: 1 / Φ⁻¹(3/4) ≈ 1.4826 (R's `mad` default).
public let madNormalizingConstant = 1.4826

/// Quantile of already-sorted values by linear interpolation (R type 7).
///
/// With `n` values and `h = (n − 1)·p`, returns `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`.
/// - Precondition: `sorted` is non-empty and ascending; `0 ≤ p ≤ 1`.
@inlinable
public func quantile(sorted: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
    precondition(!sorted.isEmpty, "quantile of an empty sample")
    precondition(p >= 0 && p <= 1, "quantile probability must be in [0, 1]")
    let h = Double(sorted.count - 1) * p
    let lo = Int(h.rounded(.down))
    let hi = Swift.min(lo + 1, sorted.count - 1)
    let frac = h - Double(lo)
    return sorted[lo] + frac * (sorted[hi] - sorted[lo])
}

/// Quantile of already-sorted values by linear interpolation (R type 7).
@inlinable
public func quantile(sorted: [Double], _ p: Double) -> Double {
    sorted.withUnsafeBufferPointer { quantile(sorted: $0, p) }
}

/// Quantiles of unsorted values (R type 7); sorts a copy once for all `ps`.
public func quantiles(_ values: [Double], _ ps: [Double]) -> [Double] {
    let sorted = values.sorted()
    return ps.map { quantile(sorted: sorted, $0) }
}

/// Quantile of unsorted values by linear interpolation (R type 7).
public func quantile(_ values: [Double], _ p: Double) -> Double {
    quantile(sorted: values.sorted(), p)
}

/// Median (the 0.5 quantile; the mean of the two middle values for even `n`).
public func median(_ values: [Double]) -> Double {
    quantile(values, 0.5)
}

/// Normalized median absolute deviation: `1.4826 · median(|x − median(x)|)`.
///
/// Robust scale estimate; equals R's `mad(x)`. Zero when more than half the
/// values are equal.
public func normalizedMAD(_ values: [Double]) -> Double {
    let m = median(values)
    return madNormalizingConstant * median(values.map { abs($0 - m) })
}

/// Arithmetic mean. Precondition: non-empty.
public func mean(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "mean of an empty sample")
    var moments = RunningMoments()
    for v in values { moments.add(v) }
    return moments.mean
}

/// Unbiased sample variance (divisor `n − 1`). Precondition: `n ≥ 2`.
public func variance(_ values: [Double]) -> Double {
    var moments = RunningMoments()
    for v in values { moments.add(v) }
    return moments.variance
}

/// Running mean and variance by Welford's update, numerically stable for long
/// streams (Welford 1962; Knuth TAOCP vol. 2, §4.2.2).
///
/// After each `add(x)`: `mean ← mean + (x − mean)/n`,
/// `M2 ← M2 + (x − mean_old)(x − mean_new)`; `variance = M2/(n − 1)`.
public struct RunningMoments: Sendable, Equatable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    private var m2: Double = 0

    public init() {}

    @inlinable
    public mutating func add(_ x: Double) {
        addInternal(x)
    }

    @usableFromInline
    mutating func addInternal(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Unbiased variance (`n − 1` divisor); NaN for fewer than two values.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }

    /// Variance with divisor `n` (the maximum-likelihood estimate).
    public var populationVariance: Double { count > 0 ? m2 / Double(count) : .nan }

    public var standardDeviation: Double { variance.squareRoot() }
}
