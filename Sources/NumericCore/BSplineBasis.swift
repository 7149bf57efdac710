/// Cubic B-spline basis with `K` functions on equally spaced knots over `[lo, hi]`.
///
/// The `K − 3` intervals of width `h = (hi − lo)/(K − 3)` are bounded by the
/// knots `t_j = lo + (j − 3)·h`, `j = 0 … K + 3` (three extra knots beyond each
/// end, as in Eilers & Marx 1996, "Flexible smoothing with B-splines and
/// penalties"). Basis function `B_k` lives on `[t_k, t_{k+4}]`; at any `x` in
/// `[lo, hi]` exactly four functions, `B_m … B_{m+3}`, can be non-zero, where
/// `m` is the interval holding `x`. With `u = (x − t_{m+3})/h ∈ [0, 1]` they are
/// the uniform cubic B-spline pieces
///
///     B_m   = (1 − u)³ / 6
///     B_m+1 = (3u³ − 6u² + 4) / 6
///     B_m+2 = (−3u³ + 3u² + 3u + 1) / 6
///     B_m+3 = u³ / 6
///
/// Properties (tested): the functions are non-negative, sum to one everywhere
/// in `[lo, hi]` (partition of unity), and reproduce every cubic polynomial
/// exactly; they agree with the Cox–de Boor recursion.
public struct BSplineBasis: Sendable, Equatable {
    /// Number of basis functions `K` (≥ 4).
    public let count: Int
    public let lower: Double
    public let upper: Double

    /// Minimum number of cubic B-spline functions: one interval.
    public static let minimumCount = 4

    public init(count: Int, lower: Double, upper: Double) throws {
        guard count >= Self.minimumCount else { throw SplineError.tooFewBasisFunctions(count) }
        guard lower.isFinite, upper.isFinite, upper > lower else { throw SplineError.emptyRange(lower: lower, upper: upper) }
        self.count = count
        self.lower = lower
        self.upper = upper
    }

    /// Knot spacing `h`.
    @inlinable
    public var spacing: Double { (upper - lower) / Double(count - 3) }

    /// All `K + 4` knots `t_0 … t_{K+3}`.
    public var knots: [Double] { (0..<(count + 4)).map { lower + Double($0 - 3) * spacing } }

    /// The four possibly non-zero basis values at `x`: `B_first … B_first+3`.
    /// `x` is clamped into `[lower, upper]`.
    @inlinable
    public func evaluate(_ x: Double) -> (first: Int, values: (Double, Double, Double, Double)) {
        let (m, u) = locate(x)
        let v = 1 - u
        let u2 = u * u
        let u3 = u2 * u
        return (m, (v * v * v / 6, (3 * u3 - 6 * u2 + 4) / 6, (-3 * u3 + 3 * u2 + 3 * u + 1) / 6, u3 / 6))
    }

    /// The four possibly non-zero first derivatives `dB_k/dx` at `x`.
    @inlinable
    public func derivative(_ x: Double) -> (first: Int, values: (Double, Double, Double, Double)) {
        let (m, u) = locate(x)
        let v = 1 - u
        let h = spacing
        return (m, (-0.5 * v * v / h, (1.5 * u * u - 2 * u) / h, (-1.5 * u * u + u + 0.5) / h, 0.5 * u * u / h))
    }

    /// Interval index `m ∈ 0 … K−4` and local coordinate `u ∈ [0, 1]` of `x`.
    @inlinable
    func locate(_ x: Double) -> (Int, Double) {
        let clamped = Swift.min(Swift.max(x, lower), upper)
        let position = (clamped - lower) / spacing
        let m = Swift.min(Int(position.rounded(.down)), count - 4)
        return (m, position - Double(m))
    }

    /// The dense row `(B_0(x), …, B_{K−1}(x))`.
    public func row(_ x: Double) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        let (m, v) = evaluate(x)
        out[m] = v.0; out[m + 1] = v.1; out[m + 2] = v.2; out[m + 3] = v.3
        return out
    }

    /// The dense row of derivatives `(B_0'(x), …, B_{K−1}'(x))`.
    public func derivativeRow(_ x: Double) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        let (m, v) = derivative(x)
        out[m] = v.0; out[m + 1] = v.1; out[m + 2] = v.2; out[m + 3] = v.3
        return out
    }

    /// Spline value `Σ_k β_k B_k(x)`.
    @inlinable
    public func value(_ x: Double, coefficients beta: [Double]) -> Double {
        let (m, v) = evaluate(x)
        return beta[m] * v.0 + beta[m + 1] * v.1 + beta[m + 2] * v.2 + beta[m + 3] * v.3
    }
}

/// Errors in setting up a spline.
public enum SplineError: Error, Equatable, CustomStringConvertible {
    case tooFewBasisFunctions(Int)
    case emptyRange(lower: Double, upper: Double)

    public var description: String {
        switch self {
        case let .tooFewBasisFunctions(k):
            return "a cubic B-spline needs at least 4 basis functions, got \(k)"
        case let .emptyRange(lower, upper):
            return "the spline range [\(lower), \(upper)] is empty: the series needs at least two distinct days"
        }
    }
}

/// The knot rule of the reference model (brms `s(dayi, k = ceiling(max(dayi)/8))`):
/// one basis function per 8 days of range, at least 4 (`K = max(4, ⌈maxDay/8⌉)`).
public enum KnotRule {
    /// Days of range per basis function.
    public static let daysPerBasisFunction = 8

    public static func basisCount(maxDay: Int) -> Int {
        let k = (maxDay + daysPerBasisFunction - 1) / daysPerBasisFunction
        return Swift.max(BSplineBasis.minimumCount, k)
    }
}
