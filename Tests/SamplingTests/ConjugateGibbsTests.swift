import Testing
import Foundation
import NumericCore
import SplineModels
import Sampling

/// A small synthetic series: 40 days, 3 runs a day, a smooth curve plus noise.
func syntheticSeries(seed: UInt64, days: Int = 40, runsPerDay: Int = 3) -> (days: [Int], values: [Double]) {
    var rng = RandomStream(seed: seed)
    var d: [Int] = [], v: [Double] = []
    for day in 0..<days {
        for _ in 0..<runsPerDay {
            d.append(day)
            v.append(100 + 0.05 * Double(day) + 2 * sin(Double(day) / 6) + rng.normal(sd: 1.5))
        }
    }
    return (d, v)
}

/// The coefficient conditional built densely and independently: X = dense
/// B-spline design, prior precision DᵀD/τ² + b bᵀ/A² + g gᵀ/S².
func denseConditional(model: SplineModel, sigma: Double, tau: Double) throws -> (mean: [Double], covariance: Matrix) {
    let k = model.design.count
    let n = model.design.pointCount
    var x = Matrix(rows: n, columns: k)
    for i in 0..<n { for a in 0..<4 { x[i, model.design.first[i] + a] = model.design.weights[4 * i + a] } }
    let d = DifferencePenalty.matrix(order: k)
    var q = x.multiply(x, transposeSelf: true)
    let dtd = d.multiply(d, transposeSelf: true)
    let b = model.design.levelRow, g = model.design.trendRow
    let a2 = model.priors.interceptScale * model.priors.interceptScale
    let s2 = model.priors.trendScale * model.priors.trendScale
    for i in 0..<k {
        for j in 0..<k {
            q[i, j] = q[i, j] / (sigma * sigma) + dtd[i, j] / (tau * tau) + b[i] * b[j] / a2 + g[i] * g[j] / s2
        }
    }
    let chol = try CholeskyFactor(q)
    let rhs = x.multiply(model.scaledValues, transpose: true).map { $0 / (sigma * sigma) }
    return (chol.solve(rhs), chol.solve(Matrix.identity(k)))
}

@Test func coefficientConditionalMatchesDenseComputation() throws {
    let series = syntheticSeries(seed: 1)
    let model = try SplineModel(days: series.days, values: series.values)
    let (mean, _) = ConjugateGibbs.conditionalCoefficients(model: model, sigma: 0.8, tau: 0.3)
    let dense = try denseConditional(model: model, sigma: 0.8, tau: 0.3)
    for j in mean.indices {
        #expect(abs(mean[j] - dense.mean[j]) < 1e-9 * (1 + abs(dense.mean[j])))
    }
}

/// Both ways of drawing the coefficients — the band Cholesky and the
/// diagonal-plus-rank-2 form of the Demmler–Reinsch coordinates — draw from
/// the same dense conditional.
@Test(arguments: ConjugateGibbs.CoefficientSolver.allCases)
func exactCoefficientDrawsHaveTheConditionalMomentsWithinMonteCarloError(_ solver: ConjugateGibbs.CoefficientSolver) throws {
    let series = syntheticSeries(seed: 2)
    let model = try SplineModel(days: series.days, values: series.values)
    let dense = try denseConditional(model: model, sigma: 0.6, tau: 0.2)
    var rng = RandomStream(seed: 99)
    let n = 4000
    var moments = Array(repeating: RunningMoments(), count: model.design.count)
    for _ in 0..<n {
        let beta = try #require(
            ConjugateGibbs.drawConditionalCoefficients(model: model, sigma: 0.6, tau: 0.2, solver: solver, rng: &rng))
        for j in beta.indices { moments[j].add(beta[j]) }
    }
    for j in moments.indices {
        let sd = dense.covariance[j, j].squareRoot()
        // Independent draws: MCSE of the mean is sd/√n, of the variance ≈ var·√(2/n).
        #expect(abs(moments[j].mean - dense.mean[j]) < 4 * sd / Double(n).squareRoot(), "mean of β[\(j)]")
        #expect(abs(moments[j].variance - dense.covariance[j, j]) < 4 * dense.covariance[j, j] * (2 / Double(n)).squareRoot(),
                "variance of β[\(j)]")
    }
}

/// The collapsed density of log τ that step 1 slice-samples is the same
/// function (up to a constant) whichever solver evaluates it: its
/// differences between τ values agree to rounding over four orders of τ.
@Test func collapsedTauDensityIsTheSameForBothSolvers() throws {
    let series = syntheticSeries(seed: 3)
    let model = try SplineModel(days: series.days, values: series.values)
    for sigma in [0.3, 0.8, 2.0] {
        let logTaus = stride(from: -7.0, through: 2.0, by: 0.75).map { $0 }
        let band = logTaus.map { ConjugateGibbs.collapsedLogTauDensity(model: model, sigma: sigma, logTau: $0, solver: .band)! }
        let diagonal = logTaus.map {
            ConjugateGibbs.collapsedLogTauDensity(model: model, sigma: sigma, logTau: $0, solver: .diagonal)!
        }
        for i in 1..<logTaus.count {
            let expected = band[i] - band[0]
            #expect(abs((diagonal[i] - diagonal[0]) - expected) <= 1e-8 * (1 + abs(expected)),
                    "σ = \(sigma), log τ = \(logTaus[i])")
        }
    }
}

/// The O(K) path serves Gaussian noise; Student-t weights change BᵀWB every
/// sweep, so those chains keep the band solver.
@Test func theDiagonalSolverIsUsedExactlyWhenTheNoiseIsGaussian() throws {
    let series = syntheticSeries(seed: 4)
    let gaussian = try SplineModel(days: series.days, values: series.values, noise: .gaussian)
    let student = try SplineModel(days: series.days, values: series.values, noise: .studentT)
    #expect(ConjugateGibbs.solver(for: gaussian) == .diagonal)
    #expect(ConjugateGibbs.solver(for: student) == .band)
    #expect(ConjugateGibbs.collapsedLogTauDensity(model: student, sigma: 1, logTau: 0, solver: .diagonal) == nil)
}

/// A coefficient precision that does not factor is reported, not hidden:
/// with σ = τ = ∞ only the rank-2 intercept and trend priors are left in
/// `Q`, which is singular, so the band solver's draw is nil (in a sweep the
/// step information says `failedFactorization`) instead of stale coefficients.
@Test func aPrecisionThatDoesNotFactorGivesNoDraw() throws {
    let series = syntheticSeries(seed: 5)
    let model = try SplineModel(days: series.days, values: series.values)
    var rng = RandomStream(seed: 1)
    #expect(ConjugateGibbs.drawConditionalCoefficients(model: model, sigma: .infinity, tau: .infinity, solver: .band,
                                                        rng: &rng) == nil)
    #expect(ConjugateGibbs.drawConditionalCoefficients(model: model, sigma: 0.6, tau: 0.2, solver: .band,
                                                        rng: &rng) != nil)
}
