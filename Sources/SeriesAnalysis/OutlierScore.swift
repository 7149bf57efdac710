import NumericCore

/// The outlier score of SPEC §4.3: a robust z-score of each point against the
/// running median, computed forwards and backwards so that a level shift is
/// not mistaken for a run of outliers.
///
/// For values `y₁ … yₙ` in time order and window `w` (10):
/// - forward residual `r_f[i] = y[i] − median(y[i−w+1 … i])`; the first `w − 1`
///   points, which have no full trailing window, use the median of the first
///   full window `y[1 … w]`;
/// - backward residual `r_b`: the same computed on the reversed series, then
///   reversed back (a trailing window of the reversed series is a leading
///   window of the original);
/// - scale `s = median(|r_f − median(r_f)|) / 0.6745` (the MAD of the forward
///   residuals made consistent for the normal standard deviation;
///   Φ⁻¹(3/4) ≈ 0.6745);
/// - `z_f = r_f / s`, `z_b = r_b / s`, and `z` is whichever of the two has the
///   smaller magnitude (ties keep `z_f`). Right after a level shift the forward
///   residual is large but the backward one is not, so only a point that is
///   far from *both* neighbourhoods scores high.
/// - a point is an outlier when `|z| > threshold` (5).
///
/// Medians of an even number of values are the mean of the two middle values
/// (R's `median`). Checked row by row against the reference system's flags
/// (`Tests/SeriesAnalysisTests/Fixtures/reference/*/prep.csv`).
///
/// Edge cases (decisions, not in the reference):
/// - **Series shorter than the window** (`n < w`): the window shrinks to `n`,
///   so every residual is taken against the median of the whole series (both
///   directions agree). A single point has residual 0 and is never an outlier.
/// - **Zero scale** (more than half the forward residuals equal their median,
///   e.g. a constant stretch): nothing is flagged and every `z` is 0 — there is
///   no spread to measure a deviation against, and no division by zero happens.
public struct OutlierScore: Sendable, Equatable {
    /// Length of the trailing running-median window (SPEC §4.3: 10 runs ≈ two
    /// days at the daily cap, short enough to follow level shifts).
    public static let defaultWindow = 10
    /// `|z|` above which a point is an outlier (SPEC §4.3: 5 robust standard
    /// deviations; a normal point exceeds it with probability 6e-7).
    public static let defaultThreshold = 5.0
    /// `Φ⁻¹(3/4)`, which turns a median absolute deviation into a normal sd
    /// (SPEC §4.3 writes the rounded 0.6745, kept exactly to match the reference).
    public static let madToStandardDeviation = 0.6745

    public var window: Int
    public var threshold: Double

    /// - Parameters:
    ///   - window: running-median window; values below 1 are treated as 1.
    ///   - threshold: `|z|` above which a point is flagged.
    public init(window: Int = defaultWindow, threshold: Double = defaultThreshold) {
        self.window = Swift.max(1, window)
        self.threshold = threshold
    }

    /// The robust z-score of each value (same order as `values`, which must be
    /// in time order and finite). Empty input gives an empty result.
    public func scores(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 0 else { return [] }
        let w = Swift.min(window, n)
        let forward = trailingMedianResiduals(values, window: w)
        let backward = Array(trailingMedianResiduals(Array(values.reversed()), window: w).reversed())
        let center = median(forward)
        let scale = median(forward.map { abs($0 - center) }) / Self.madToStandardDeviation
        guard scale > 0, scale.isFinite else { return Array(repeating: 0, count: n) }
        return (0..<n).map { i in
            let zf = forward[i] / scale
            let zb = backward[i] / scale
            return abs(zb) < abs(zf) ? zb : zf
        }
    }

    /// Whether a score marks an outlier: `|z| > threshold`.
    @inlinable
    public func isOutlier(_ z: Double) -> Bool {
        abs(z) > threshold
    }

    /// `y[i] − median(y[i−w+1 … i])`, with the first `w − 1` points using the
    /// first full window's median. `window ≤ values.count`.
    private func trailingMedianResiduals(_ values: [Double], window w: Int) -> [Double] {
        var residuals = [Double](repeating: 0, count: values.count)
        var buffer = [Double](repeating: 0, count: w)
        for end in (w - 1)..<values.count {
            for k in 0..<w { buffer[k] = values[end - w + 1 + k] }
            buffer.sort()
            let m = quantile(sorted: buffer, 0.5)
            if end == w - 1 {
                for i in 0..<w { residuals[i] = values[i] - m }
            } else {
                residuals[end] = values[end] - m
            }
        }
        return residuals
    }
}
