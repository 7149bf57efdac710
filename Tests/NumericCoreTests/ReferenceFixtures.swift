import Foundation
import Testing

/// The SciPy/NumPy reference values written by
/// `scripts/fixtures/make_numeric_fixtures.py` (regenerate with that script,
/// never by hand).
struct NumericReference: Decodable {
    struct SpecialFunctions: Decodable {
        /// `[x, log Γ(x)]` (scipy.special.gammaln).
        let logGamma: [[Double]]
        /// `[x, ψ(x)]` (scipy.special.digamma).
        let digamma: [[Double]]
        /// `[p, Φ⁻¹(p)]` (scipy.stats.norm.ppf).
        let inverseNormalCDF: [[Double]]
        /// `[x, Φ(x)]` (scipy.stats.norm.cdf).
        let normalCDF: [[Double]]
        let logSumExp: [LogSumExpCase]
        /// `[a, b, log(eᵃ + eᵇ)]` (numpy.logaddexp).
        let logAddExp: [[Double]]
    }

    struct LogSumExpCase: Decodable {
        let values: [Double]
        let expected: Double
    }

    struct LogDensities: Decodable {
        let normal: [NormalCase]
        let studentT: [StudentTCase]
        let halfStudentT: [HalfStudentTCase]
        let gamma: [GammaCase]
    }

    struct NormalCase: Decodable { let x, mean, sd, expected: Double }
    struct StudentTCase: Decodable { let x, df, location, scale, expected: Double }
    struct HalfStudentTCase: Decodable { let x, df, scale, expected: Double }
    struct GammaCase: Decodable { let x, shape, rate, expected: Double }

    /// CDF values that validate the CDFs the distribution tests write themselves.
    struct CDFs: Decodable {
        /// `[x, F(x)]` of Student-t with 5 degrees of freedom.
        let studentT5: [[Double]]
        /// `[a, x, P(a, x)]` (scipy.special.gammainc).
        let regularizedLowerGamma: [[Double]]
        /// `[a, b, x, I_x(a, b)]` (scipy.stats.beta.cdf).
        let beta: [[Double]]
    }

    struct StatisticsCase: Decodable {
        let values: [Double]
        let ps: [Double]
        /// numpy.quantile(method="linear"), i.e. R type 7.
        let quantiles: [Double]
        let median: Double
        /// scipy.stats.median_abs_deviation(scale=1/1.4826), i.e. R's mad().
        let normalizedMAD: Double
        let mean: Double
        /// numpy.var(ddof=1) and ddof=0 (absent for a single value).
        let variance: Double?
        let populationVariance: Double?
    }

    let specialFunctions: SpecialFunctions
    let logDensities: LogDensities
    let cdfs: CDFs
    let statistics: [StatisticsCase]

    static func load() throws -> NumericReference {
        let url = try #require(Bundle.module.url(forResource: "numeric_reference", withExtension: "json",
                                                 subdirectory: "Fixtures"),
                               "run scripts/fixtures/make_numeric_fixtures.py")
        return try JSONDecoder().decode(NumericReference.self, from: Data(contentsOf: url))
    }
}

/// `|actual − expected| ≤ absolute + relative·|expected|` — the comparison every
/// floating-point check in these tests uses (never `==`).
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0) -> Bool {
    if actual == expected { return true } // equal infinities
    return abs(actual - expected) <= absolute + relative * abs(expected)
}

/// Largest absolute elementwise difference of two equally long vectors.
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
