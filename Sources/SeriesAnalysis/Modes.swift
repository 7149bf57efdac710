import Foundation
import NumericCore

/// A Gaussian kernel density estimate on an even grid (SPEC §7).
///
/// `f̂(x) = 1/(n h) Σᵢ φ((x − xᵢ)/h)` with the normal-reference bandwidth
/// `h = 1.059 · min(sd, IQR/1.349) · n^(−1/5)` (Silverman, *Density Estimation*,
/// 1986, §3.4: the bandwidth that is optimal for normal data, with the robust
/// spread; sd with divisor n − 1, IQR from R type-7 quartiles). When that minimum is zero but the sd is not (more than half
/// the values tied), the sd alone is used so that the estimate stays defined.
///
/// The density is evaluated on an even grid from `min − 3h` to `max + 3h` of at
/// least `minimumGridSize` points and with points at most `h/4` apart (so that
/// a far outlier, which stretches the span, cannot coarsen the grid around
/// the bulk of the data), after linear binning of the values onto the grid
/// (each value's weight split between its two neighbouring grid points; Wand &
/// Jones, *Kernel Smoothing*, 1995, App. D), then a discrete convolution with
/// the kernel cut off at 8h. Binning moves mass by less than one grid step,
/// well below the bandwidth, and makes the cost independent of `n`.
public struct KernelDensity: Sendable, Equatable {
    /// Silverman's normal-reference constant, (4/3)^{1/5} ≈ 1.059: the
    /// asymptotically optimal bandwidth in sd units for a normal density.
    public static let bandwidthConstant = 1.059
    /// IQR of the standard normal, so IQR/1.349 estimates the sd.
    public static let normalInterquartileRange = 1.349
    /// Fewest grid points (R's `density` default): fine enough to separate
    /// modes a few bandwidths apart when the data are not spread out by outliers.
    public static let minimumGridSize = 512
    /// Largest grid step in bandwidths: a peak spans at least eight grid points.
    public static let maximumStepBandwidths = 0.25
    /// Most grid points, a bound on time and memory for absurdly spread data
    /// (span over 250 000 bandwidths), where the step grows beyond `h/4`.
    public static let maximumGridSize = 1 << 20
    /// The grid extends this many bandwidths beyond the data, where the
    /// density has fallen to e^(−4.5) ≈ 1% of a lone point's peak.
    public static let gridPaddingBandwidths = 3.0
    /// The kernel is cut off beyond this many bandwidths (φ(8) ≈ 5e-15).
    static let kernelCutoffBandwidths = 8.0

    public let bandwidth: Double
    public let grid: [Double]
    public let density: [Double]

    /// The normal-reference bandwidth of `values` (0 when it is undefined:
    /// fewer than two values or no spread).
    public static func normalReferenceBandwidth(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let sd = variance(values).squareRoot()
        let q = quantiles(values, [0.25, 0.75])
        let robust = (q[1] - q[0]) / normalInterquartileRange
        let spread = robust > 0 ? Swift.min(sd, robust) : sd
        guard spread > 0, spread.isFinite else { return 0 }
        return bandwidthConstant * spread * Foundation.pow(Double(values.count), -0.2)
    }

    /// The estimate for finite `values`; nil when the bandwidth is 0 (fewer
    /// than two values, or all equal).
    public init?(values: [Double]) {
        let h = Self.normalReferenceBandwidth(values)
        guard h > 0, let lo = values.min(), let hi = values.max() else { return nil }
        let start = lo - Self.gridPaddingBandwidths * h
        let end = hi + Self.gridPaddingBandwidths * h
        let stepsNeeded = ((end - start) / (Self.maximumStepBandwidths * h)).rounded(.up)
        let g = Int(Swift.min(Double(Self.maximumGridSize), Swift.max(Double(Self.minimumGridSize), stepsNeeded + 1)))
        let step = (end - start) / Double(g - 1)
        var counts = [Double](repeating: 0, count: g)
        for v in values {
            let position = (v - start) / step
            let left = Swift.min(g - 2, Swift.max(0, Int(position.rounded(.down))))
            let fraction = position - Double(left)
            counts[left] += 1 - fraction
            counts[left + 1] += fraction
        }
        let reach = Swift.min(g - 1, Int((Self.kernelCutoffBandwidths * h / step).rounded(.up)))
        let normalizer = 1 / (Double(values.count) * h * (2 * Double.pi).squareRoot())
        let kernel = (0...reach).map { k -> Double in
            let u = Double(k) * step / h
            return Foundation.exp(-0.5 * u * u) * normalizer
        }
        var density = [Double](repeating: 0, count: g)
        for j in 0..<g where counts[j] != 0 {
            let c = counts[j]
            for i in Swift.max(0, j - reach)...Swift.min(g - 1, j + reach) {
                density[i] += c * kernel[abs(i - j)]
            }
        }
        bandwidth = h
        grid = (0..<g).map { start + Double($0) * step }
        self.density = density
    }

    /// Locations of the local maxima — grid points where the density rises
    /// into and does not rise out of — whose density exceeds `fraction` of the
    /// highest peak, ascending. Each is refined by the vertex of the parabola
    /// through it and its two neighbours (moves it by under one grid step).
    public func peaks(aboveFraction fraction: Double) -> [Double] {
        guard let top = density.max(), top > 0 else { return [] }
        var locations: [Double] = []
        for j in 1..<(density.count - 1) where density[j] > density[j - 1] && density[j] >= density[j + 1] {
            guard density[j] > fraction * top else { continue }
            let (a, b, c) = (density[j - 1], density[j], density[j + 1])
            let curvature = a - 2 * b + c
            let offset = curvature < 0 ? 0.5 * (a - c) / curvature : 0
            locations.append(grid[j] + offset * (grid[1] - grid[0]))
        }
        return locations
    }
}

/// Why modes cannot be computed.
public enum ModeError: Error, Equatable, Sendable, CustomStringConvertible {
    case nonFiniteValue(index: Int, value: Double)

    public var description: String {
        switch self {
        case let .nonFiniteValue(index, value):
            return "value \(index + 1) is \(value); modes need finite values"
        }
    }
}

/// The modes of a set of values (SPEC §7): how many, where, and which value
/// belongs to which.
///
/// - `count` (the *counting* rule): peaks of the `KernelDensity` above half the
///   highest peak — small bumps do not make a series "bimodal".
/// - `locations` (the *locating* rule): peaks above a tenth of the highest,
///   ascending; "mode 1" is the lowest.
/// - ≤ 5 distinct values count as one mode (a density of so few values says
///   nothing about modes), located at their median.
/// - `assignment[i]`: index into `locations` of the mode nearest to value i
///   (ties go to the lower mode); `shares[k]`: the fraction of values assigned to mode k.
/// - `summary`: "2 modes found; 71% in mode 1; 29% in mode 2" — the number of
///   *located* modes (so that it always agrees with the shares listed), shares
///   rounded to whole percent.
/// Empty input has no modes (`count` 0, summary "no values: no modes").
public struct ModeAnalysis: Sendable, Equatable {
    /// SPEC §7: a peak counts as a mode above half the highest peak.
    public static let countingFraction = 0.5
    /// SPEC §7: a peak is located (and values assigned to it) above a tenth of the highest.
    public static let locatingFraction = 0.1
    /// SPEC §7: this many distinct values or fewer always count as one mode.
    public static let maximumDistinctForSingleMode = 5

    public var count: Int
    public var locations: [Double]
    public var assignment: [Int]
    public var shares: [Double]

    public init(values: [Double]) throws(ModeError) {
        for (i, v) in values.enumerated() where !v.isFinite { throw .nonFiniteValue(index: i, value: v) }
        guard !values.isEmpty else {
            count = 0
            locations = []
            assignment = []
            shares = []
            return
        }
        if Set(values).count <= Self.maximumDistinctForSingleMode {
            count = 1
            locations = [median(values)]
        } else if let kde = KernelDensity(values: values) {
            count = kde.peaks(aboveFraction: Self.countingFraction).count
            locations = kde.peaks(aboveFraction: Self.locatingFraction)
        } else {
            count = 1
            locations = [median(values)]
        }
        let modes = locations
        assignment = values.map { v in
            var best = 0
            for k in modes.indices.dropFirst() where abs(v - modes[k]) < abs(v - modes[best]) { best = k }
            return best
        }
        var tally = [Int](repeating: 0, count: modes.count)
        for k in assignment { tally[k] += 1 }
        shares = tally.map { Double($0) / Double(values.count) }
    }

    /// "2 modes found; 71% in mode 1; 29% in mode 2".
    public var summary: String {
        guard !locations.isEmpty else { return "no values: no modes" }
        let head = locations.count == 1 ? "1 mode found" : "\(locations.count) modes found"
        let parts = shares.enumerated().map { k, share in "\(Int((share * 100).rounded()))% in mode \(k + 1)" }
        return ([head] + parts).joined(separator: "; ")
    }
}

/// The number of modes (counting rule) of the values of one major version.
public struct MajorVersionModes: Sendable, Equatable {
    public var major: Int
    public var modeCount: Int
    public var valueCount: Int
}

/// Mode counts per major version (SPEC §7), ascending by major.
public func modeCountsByMajorVersion(_ rows: [(major: Int, value: Double)]) throws(ModeError) -> [MajorVersionModes] {
    var groups: [Int: [Double]] = [:]
    for (i, row) in rows.enumerated() {
        guard row.value.isFinite else { throw .nonFiniteValue(index: i, value: row.value) }
        groups[row.major, default: []].append(row.value)
    }
    var result: [MajorVersionModes] = []
    for major in groups.keys.sorted() {
        let values = groups[major]!
        result.append(MajorVersionModes(major: major, modeCount: try ModeAnalysis(values: values).count,
                                        valueCount: values.count))
    }
    return result
}
