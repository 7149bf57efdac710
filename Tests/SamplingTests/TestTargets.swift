import Foundation
import NumericCore
import SplineModels

/// A multivariate normal target `N(m, Σ)` given by `m` and the Cholesky factor of `Σ`.
struct GaussianTarget: LogDensityModel {
    let mean: [Double]
    let precision: Matrix
    var dimension: Int { mean.count }

    init(mean: [Double], covariance: Matrix) throws {
        self.mean = mean
        precision = try covariance.inverse()
    }

    func logDensity(_ theta: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        return logDensityAndGradient(theta, gradient: &g)
    }

    func logDensityAndGradient(_ theta: [Double], gradient: inout [Double]) -> Double {
        let centred = zip(theta, mean).map { $0 - $1 }
        let pc = precision.multiply(centred)
        for i in 0..<dimension { gradient[i] = -pc[i] }
        return -0.5 * dot(centred, pc)
    }
}

/// The correlated 10-dimensional Gaussian of the tests: standard deviations
/// from 0.5 to 5 and correlation 0.9^|i−j| (strong, like neighbouring spline
/// coefficients).
func correlatedGaussian() throws -> (mean: [Double], covariance: Matrix) {
    let d = 10
    let sds = (0..<d).map { 0.5 + 0.5 * Double($0) }
    var cov = Matrix(rows: d, columns: d)
    for i in 0..<d { for j in 0..<d { cov[i, j] = sds[i] * sds[j] * pow(0.9, Double(abs(i - j))) } }
    return ((0..<d).map { Double($0) - 4.5 }, cov)
}

/// Bayesian linear regression with known noise sd: `y = Xb + e`,
/// `e ~ N(0, s²)`, `b ~ N(0, s₀² I)`. The posterior is exactly
/// `N((XᵀX/s² + I/s₀²)⁻¹ Xᵀy/s², (XᵀX/s² + I/s₀²)⁻¹)`.
func conjugateRegression(seed: UInt64) throws -> (target: GaussianTarget, mean: [Double], covariance: Matrix) {
    var rng = RandomStream(seed: seed)
    let n = 60, p = 4, s = 0.7, s0 = 3.0
    var x = Matrix(rows: n, columns: p)
    var y = [Double](repeating: 0, count: n)
    let truth = [1.0, -2.0, 0.5, 3.0]
    for i in 0..<n {
        x[i, 0] = 1
        for j in 1..<p { x[i, j] = rng.normal() }
        y[i] = (0..<p).reduce(0) { $0 + x[i, $1] * truth[$1] } + s * rng.normal()
    }
    var precision = x.multiply(x, transposeSelf: true)
    for i in 0..<p { for j in 0..<p { precision[i, j] /= s * s } }
    for i in 0..<p { precision[i, i] += 1 / (s0 * s0) }
    let covariance = try precision.inverse()
    let mean = covariance.multiply(x.multiply(y, transpose: true).map { $0 / (s * s) })
    return (try GaussianTarget(mean: mean, covariance: covariance), mean, covariance)
}

