import RealModule

/// The regularized incomplete beta function `I_x(a, b)`, its inverse in `x`
/// (the quantile function of the Beta(a, b) distribution), and `log B(a, b)`.
///
/// `I_x(a, b) = B(x; a, b) / B(a, b) = (1/B(a, b)) ∫₀ˣ t^{a−1} (1−t)^{b−1} dt`
/// is the CDF of Beta(a, b) at `x` (DLMF 8.17.2). Checked against SciPy's
/// `betainc` / `betaincinv` / `betaln` (`scripts/fixtures/incomplete_beta.py`).

/// `log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)` for `a, b > 0`.
///
/// When an argument is 10 or more, the Stirling parts of the three log-gammas
/// are cancelled analytically (only their small corrections
/// `δ(x) = log Γ(x) − (x − ½)log x + x − ½ log 2π` are subtracted), which keeps
/// full relative accuracy for large `a, b` where the plain difference of three
/// large log-gammas would lose digits. With `p = min(a, b)`, `q = max(a, b)`:
/// - `p ≥ 10`: `½log 2π − ½log q + (p − ½)log(p/(p+q)) + q·log(1 − p/(p+q)) + δ(p) + δ(q) − δ(p+q)`;
/// - `p < 10 ≤ q`: `log Γ(p) + p − p·log(p+q) + (q − ½)·log(1 − p/(p+q)) + δ(q) − δ(p+q)`.
/// Returns NaN unless `a, b > 0`.
public func logBeta(_ a: Double, _ b: Double) -> Double {
    guard a > 0, b > 0 else { return .nan }
    let p = Swift.min(a, b)
    let q = Swift.max(a, b)
    let sum = p + q
    if p >= stirlingThreshold {
        let ratio = p / sum
        return logSqrtTwoPi - 0.5 * Double.log(q) + (p - 0.5) * Double.log(ratio)
            + q * Double.log(onePlus: -ratio)
            + stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(sum)
    }
    if q >= stirlingThreshold {
        return logGamma(p) + p - p * Double.log(sum) + (q - 0.5) * Double.log(onePlus: -p / sum)
            + stirlingCorrection(q) - stirlingCorrection(sum)
    }
    return logGamma(p) + logGamma(q) - logGamma(sum)
}

/// Arguments at or above which `logBeta` uses the Stirling-corrected form:
/// there the series for `δ(x)` below is accurate to about 1e-17.
private let stirlingThreshold = 10.0

/// `δ(x) = log Γ(x) − [(x − ½)log x − x + ½ log 2π]` for `x ≥ 10`, by the
/// Stirling series `Σ B₂ₖ / (2k(2k−1) x^{2k−1})` to k = 7 (DLMF 5.11.1); the
/// first omitted term is below 1e-17 at `x = 10`.
private func stirlingCorrection(_ x: Double) -> Double {
    let inv = 1 / x
    let inv2 = inv * inv
    // B2/2 = 1/12, B4/12 = -1/360, B6/30 = 1/1260, B8/56 = -1/1680,
    // B10/90 = 1/1188, B12/132 = -691/360360, B14/182 = 1/156.
    let series = 1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
        - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360_360 - inv2 / 156)))))
    return series * inv
}

/// The regularized incomplete beta function `I_x(a, b)`, the CDF of Beta(a, b).
///
/// Evaluated by the continued fraction (DLMF 8.17.22)
/// `I_x(a,b) = x^a (1−x)^b / (a B(a,b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))` with
/// `d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))`,
/// `d_{2m} = m(b−m)x / ((a+2m−1)(a+2m))`,
/// summed by the modified Lentz method (Lentz 1976; Thompson & Barnett 1986).
/// The fraction converges quickly for `x < (a+1)/(a+b+2)`; above that the
/// symmetry `I_x(a,b) = 1 − I_{1−x}(b,a)` is used. Relative accuracy is about
/// 1e-14 in the tail that is computed directly.
///
/// Domain: `0 ≤ x ≤ 1` (values outside are clamped to 0 or 1), `a, b ≥ 0`.
/// As in R's `pbeta`, a zero parameter is the limiting point mass: `a = 0`
/// puts all mass at 0, `b = 0` at 1, and `a = b = 0` half at each end.
/// Returns NaN for NaN or negative parameters.
public func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    guard !x.isNaN, a >= 0, b >= 0, a.isFinite, b.isFinite else { return .nan }
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    if a == 0 || b == 0 {
        if a == 0 && b == 0 { return 0.5 }
        return a == 0 ? 1 : 0
    }
    // The prefactor x^a (1−x)^b / B(a, b) is the same for the direct and the
    // reflected fraction.
    let logKernel = logBetaKernel(x, a: a, b: b)
    if x < (a + 1) / (a + b + 2) {
        return scaledFraction(logKernel - Double.log(a), x, a: a, b: b)
    }
    return 1 - scaledFraction(logKernel - Double.log(b), 1 - x, a: b, b: a)
}

/// `exp(logPrefactor) · fraction(x; a, b)`, 0 when the prefactor underflows.
private func scaledFraction(_ logPrefactor: Double, _ x: Double, a: Double, b: Double) -> Double {
    if logPrefactor < -745 { return 0 } // below the smallest subnormal
    return Double.exp(logPrefactor) * incompleteBetaFraction(x, a: a, b: b)
}

/// `log[x^a (1−x)^b / B(a, b)]` for `0 < x < 1`.
///
/// For `a, b ≥ 10` the terms `a log x`, `b log(1−x)` and `log B(a, b)` are each
/// of order `a + b` and cancel to something of order 1 near the mean, so the
/// plain sum would lose `log₁₀(a + b)` digits. Instead, with `x₀ = a/(a+b)`,
/// `y₀ = b/(a+b)`, `s = (x − x₀)/x₀` and `r = (x − x₀)/y₀` (both from one fused
/// multiply–add `x(a+b) − a`, so that `a s = b r`),
/// `log[x^a y^b / B] = a·λ(s) + b·λ(−r) + ½ log(ab/(a+b)) − ½ log 2π − δ(a) − δ(b) + δ(a+b)`,
/// where `λ(z) = log(1+z) − z` and `δ` is the Stirling correction of `logBeta`:
/// the first-order terms `a s − b r` cancel analytically instead of numerically
/// (the decomposition DiDonato & Morris use, ACM TOMS 18 (1992), Algorithm 708).
private func logBetaKernel(_ x: Double, a: Double, b: Double) -> Double {
    if Swift.min(a, b) >= stirlingThreshold {
        let sum = a + b
        let centered = (-a).addingProduct(x, sum) // x·(a+b) − a, rounded once
        let s = centered / a
        let r = centered / b
        return a * logOnePlusMinusIdentity(s) + b * logOnePlusMinusIdentity(-r)
            + 0.5 * Double.log(a / sum * b) - logSqrtTwoPi
            - stirlingCorrection(a) - stirlingCorrection(b) + stirlingCorrection(sum)
    }
    return a * Double.log(x) + b * Double.log(onePlus: -x) - logBeta(a, b)
}

/// `λ(z) = log(1 + z) − z` for `z > −1`, accurate also for small `|z|`.
///
/// For `|z| ≤ ½`, with `w = z/(2 + z)` (so `log(1+z) = 2 artanh w` and
/// `2w − z = −z w`): `λ(z) = −z w + 2w³(1/3 + w²/5 + w⁴/7 + …)`, `|w| ≤ ⅓`,
/// summed until the terms stop mattering; otherwise `log1p(z) − z` directly.
private func logOnePlusMinusIdentity(_ z: Double) -> Double {
    guard abs(z) <= 0.5 else { return Double.log(onePlus: z) - z }
    let w = z / (2 + z)
    let w2 = w * w
    var power = 1.0
    var series = 0.0
    var k = 3.0
    while true {
        let term = power / k
        series += term
        if term < 1e-17 * series { break }
        power *= w2
        k += 2
    }
    return -z * w + 2 * w * w2 * series
}

/// Largest number of continued-fraction terms; convergence needs about
/// √max(a, b) terms, so this covers parameters up to about 10⁸.
private let maximumFractionTerms = 20_000

/// `1/(1+ d₁/(1+ d₂/(1+ …)))` by the modified Lentz method.
private func incompleteBetaFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    let epsilon = 1e-16
    // f = 1 / (1 + d₁/(1 + …)): start the Lentz recursion with b₀ = 0, a₁ = 1.
    var c = 1.0
    var d = 1.0 - (a + b) * x / (a + 1) // 1 + d₁
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var f = d
    for m in 1...maximumFractionTerms {
        let dm = Double(m)
        // Even term d_{2m}.
        let even = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm))
        d = 1 + even * d
        if abs(d) < tiny { d = tiny }
        c = 1 + even / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        f *= d * c
        // Odd term d_{2m+1}.
        let odd = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1))
        d = 1 + odd * d
        if abs(d) < tiny { d = tiny }
        c = 1 + odd / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        f *= delta
        if abs(delta - 1) < epsilon { break }
    }
    return f
}

/// The inverse of `I_x(a, b)` in `x`: the `p`-quantile of Beta(a, b), the `x`
/// with `I_x(a, b) = p`.
///
/// Computed in the lower tail (for `p > ½` by the symmetry
/// `x = 1 − I⁻¹_{1−p}(b, a)`, where `1 − p` is exact) from a starting value —
/// the normal approximation of Abramowitz & Stegun 26.5.22 when `a, b ≥ 1`,
/// else the leading term of the small-`x` (or small-`1−x`) expansion
/// `I_x ≈ x^a / (a B(a,b))` chosen by which tail holds `p` — refined by
/// Newton's method on `I_x(a, b) − p` (derivative: the Beta density) inside a
/// bracket that every step narrows; a step that would leave the bracket is
/// replaced by bisection (geometric when the bracket spans decades).
/// Relative accuracy is close to that of `regularizedIncompleteBeta`.
///
/// `p ≤ 0` gives 0, `p ≥ 1` gives 1; zero parameters are the point masses of
/// `regularizedIncompleteBeta` (R's `qbeta` convention: `a = 0` → 0, `b = 0` → 1,
/// `a = b = 0` → 0 for `p < ½`, 1 for `p > ½`, ½ at `p = ½`).
/// NaN for NaN `p` or negative parameters.
public func inverseRegularizedIncompleteBeta(_ p: Double, a: Double, b: Double) -> Double {
    guard !p.isNaN, a >= 0, b >= 0, a.isFinite, b.isFinite else { return .nan }
    if p <= 0 { return 0 }
    if p >= 1 { return 1 }
    if a == 0 || b == 0 {
        if a == 0 && b == 0 { return p < 0.5 ? 0 : (p > 0.5 ? 1 : 0.5) }
        return a == 0 ? 0 : 1
    }
    if p > 0.5 {
        return 1 - lowerTailBetaQuantile(1 - p, a: b, b: a)
    }
    return lowerTailBetaQuantile(p, a: a, b: b)
}

/// Largest number of refinement steps; Newton needs a handful, bisection in
/// double precision at most about 2 100 halvings of exponent and mantissa, and
/// the bracket usually makes either unnecessary.
private let maximumInversionSteps = 2_200

/// The `p`-quantile for `0 < p ≤ ½` (so the answer is not close to 1 unless
/// the distribution is piled up there).
private func lowerTailBetaQuantile(_ p: Double, a: Double, b: Double) -> Double {
    let logB = logBeta(a, b)
    var x = betaQuantileStartingValue(p, a: a, b: b, logB: logB)
    var lo = 0.0
    var hi = 1.0
    for _ in 0..<maximumInversionSteps {
        let f = regularizedIncompleteBeta(x, a: a, b: b) - p
        if f == 0 { return x }
        if f < 0 { lo = x } else { hi = x }
        let logDensity = (a - 1) * Double.log(x) + (b - 1) * Double.log(onePlus: -x) - logB
        let density = Double.exp(logDensity)
        var next = density > 0 && density.isFinite ? x - f / density : .nan
        if !(next > lo && next < hi) {
            // Bisect; geometrically when the bracket spans decades so that tiny
            // quantiles (a ≪ 1) are reached in few steps.
            next = lo > 0 && hi / lo > 16 ? (lo * hi).squareRoot() : (lo == 0 && hi < 0.5 ? hi / 16 : 0.5 * (lo + hi))
        }
        if abs(next - x) <= 2 * Double.ulpOfOne * Swift.max(x, next) || next == lo || next == hi {
            return next
        }
        if hi - lo <= 2 * Double.ulpOfOne * hi { return 0.5 * (lo + hi) }
        x = next
    }
    return x
}

/// A starting point for the quantile search (any value in (0, 1) works; a
/// good one saves steps).
private func betaQuantileStartingValue(_ p: Double, a: Double, b: Double, logB: Double) -> Double {
    var x: Double
    if a >= 1 && b >= 1 {
        // Abramowitz & Stegun 26.5.22, with y the upper-tail normal point of p.
        let y = -inverseNormalCDF(p)
        let lambda = (y * y - 3) / 6
        let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
        let w = y * (h + lambda).squareRoot() / h
            - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (lambda + 5.0 / 6 - 2 / (3 * h))
        x = a / (a + b * Double.exp(2 * w))
    } else {
        // Leading terms of the two tails: I_x ≈ x^a/(a B) near 0 and
        // 1 − I_x ≈ (1−x)^b/(b B) near 1; their values at the mean split p.
        let mean = a / (a + b)
        let lowerMass = Double.exp(a * Double.log(mean) - Double.log(a) - logB)
        if p < lowerMass {
            x = Double.exp((Double.log(p) + Double.log(a) + logB) / a)
        } else {
            x = 1 - Double.exp((Double.log(1 - p) + Double.log(b) + logB) / b)
        }
    }
    if !(x > 0 && x < 1) || !x.isFinite { x = 0.5 }
    return x
}
