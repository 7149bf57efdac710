import NumericCore
import Foundation

/// Goodness-of-fit helpers for the distribution tests: the one-sample
/// Kolmogorov–Smirnov test and the CDFs it compares draws against. Each CDF
/// here is checked against SciPy in `DistributionsTests`.

/// `D_n = sup_x |F_n(x) − F(x)|`, evaluated at the jumps of the empirical CDF:
/// `max_i max(F(x₍ᵢ₎) − (i−1)/n, i/n − F(x₍ᵢ₎))`.
func kolmogorovSmirnovStatistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = sample.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, x) in sorted.enumerated() {
        let f = cdf(x)
        d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
    }
    return d
}

/// Asymptotic p-value `Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}` with Stephens'
/// (1970) small-sample correction `λ = (√n + 0.12 + 0.11/√n)·D`.
func kolmogorovSmirnovPValue(statistic d: Double, sampleSize n: Int) -> Double {
    let rootN = Double(n).squareRoot()
    let lambda = (rootN + 0.12 + 0.11 / rootN) * d
    if lambda < 0.2 { return 1 } // the series converges slowly there and Q(0.2) = 1 − 1e-20
    var sum = 0.0
    var sign = 1.0
    for k in 1...100 {
        let term = exp(-2 * Double(k * k) * lambda * lambda)
        sum += sign * term
        if term < 1e-16 * sum { break }
        sign = -sign
    }
    return min(1, max(0, 2 * sum))
}

/// Student-t CDF with 5 degrees of freedom in closed form: with
/// `θ = atan(t/√5)`, `F(t) = ½ + (θ + sin θ (cos θ + ⅔cos³θ))/π`
/// (Abramowitz & Stegun 26.7.3, odd ν).
func studentT5CDF(_ t: Double) -> Double {
    let theta = atan(t / 5.0.squareRoot())
    let c = cos(theta)
    return 0.5 + (theta + sin(theta) * (c + 2.0 / 3.0 * c * c * c)) / Double.pi
}

/// Beta CDF `I_x(a, b)` for the cases the tests use: integer `a`, `b` by the
/// binomial sum `Σ_{j=a}^{a+b−1} C(a+b−1, j) xʲ(1−x)^{a+b−1−j}`, and the
/// arcsine law `a = b = ½`: `(2/π) asin √x`.
func betaCDF(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    if a == 0.5, b == 0.5 { return 2 / Double.pi * asin(x.squareRoot()) }
    precondition(a == a.rounded() && b == b.rounded(), "betaCDF handles integer shapes and (½, ½) only")
    let n = Int(a + b) - 1
    var sum = 0.0
    for j in Int(a)...n {
        sum += binomial(n, j) * pow(x, Double(j)) * pow(1 - x, Double(n - j))
    }
    return sum
}

private func binomial(_ n: Int, _ k: Int) -> Double {
    var result = 1.0
    for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
    return result
}
