import RealModule

/// Special functions: log-gamma, digamma, log-sum-exp, and the normal CDF and
/// its inverse.

/// `log Γ(x)` for `x > 0` (swift-numerics `Double.logGamma`, which wraps the C
/// library's `lgamma`; relative error a few ulp).
@inlinable
public func logGamma(_ x: Double) -> Double {
    Double.logGamma(x)
}

/// Where the digamma asymptotic series takes over (truncation error < 1e-15 from here on).
let digammaAsymptoticThreshold = 10.0

/// Digamma `ψ(x) = d/dx log Γ(x)` for `x > 0`.
///
/// Recurrence `ψ(x) = ψ(x + 1) − 1/x` lifts `x` to at least 10, then the
/// asymptotic series `ψ(x) ≈ log x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ)` with the Bernoulli
/// numbers up to B₁₂ (Abramowitz & Stegun 6.3.18); the first omitted term,
/// `B₁₄/(14x¹⁴) = 1/(12x¹⁴)`, is below 1e-15 for `x ≥ 10` (at 6 it would be
/// 1e-12). Returns NaN for `x ≤ 0` (poles and the negative axis are not needed).
public func digamma(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
    var value = 0.0
    var z = x
    while z < digammaAsymptoticThreshold {
        value -= 1 / z
        z += 1
    }
    let inv = 1 / z
    let inv2 = inv * inv
    // B2/2 = 1/12, B4/4 = -1/120, B6/6 = 1/252, B8/8 = -1/240, B10/10 = 1/132, B12/12 = -691/32760
    let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * 691.0 / 32760)))))
    return value + Double.log(z) - 0.5 * inv - series
}

/// `log Σ exp(xᵢ)` computed stably as `m + log Σ exp(xᵢ − m)` with `m = max xᵢ`.
/// Returns `-∞` for an empty input or when every term is `-∞`.
public func logSumExp(_ values: [Double]) -> Double {
    guard let m = values.max(), m > -.infinity else { return -.infinity }
    if m == .infinity { return .infinity }
    var sum = 0.0
    for v in values { sum += Double.exp(v - m) }
    return m + Double.log(sum)
}

/// `log(exp(a) + exp(b))` without overflow.
@inlinable
public func logAddExp(_ a: Double, _ b: Double) -> Double {
    let m = Swift.max(a, b)
    if m == -.infinity { return -.infinity }
    return m + Double.log(onePlus: Double.exp(-abs(a - b)))
}

/// Standard normal cumulative distribution `Φ(x) = ½ erfc(−x/√2)`.
@inlinable
public func normalCDF(_ x: Double) -> Double {
    0.5 * Double.erfc(-x / 2.0.squareRoot())
}

/// Inverse of the standard normal CDF, `Φ⁻¹(p)` for `0 < p < 1`
/// (±∞ at 0 and 1, NaN outside).
///
/// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988), relative
/// accuracy about 1e-16 — the same method R's `qnorm` uses.
public func inverseNormalCDF(_ p: Double) -> Double {
    if p.isNaN || p < 0 || p > 1 { return .nan }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    let q = p - 0.5
    if abs(q) <= 0.425 {
        let r = 0.180625 - q * q
        let num = (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
            + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
            + 133.14166789178437745) * r + 3.387132872796366608)
        let den = (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
            + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
            + 42.313330701600911252) * r + 1.0)
        return q * num / den
    }
    var r = q < 0 ? p : 1 - p
    r = (-Double.log(r)).squareRoot()
    var value: Double
    if r <= 5 {
        r -= 1.6
        let num = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
            + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
            + 4.6303378461565452959) * r + 1.42343711074968357734)
        let den = (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
            + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
            + 2.05319162663775882187) * r + 1.0)
        value = num / den
    } else {
        r -= 5
        let num = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
            + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
            + 5.4637849111641143699) * r + 6.6579046435011037772)
        let den = (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
            + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
            + 0.59983220655588793769) * r + 1.0)
        value = num / den
    }
    return q < 0 ? -value : value
}
