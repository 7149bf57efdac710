import NumericCore
import RealModule
import SplineModels
import Testing

/// The noise likelihoods against densities computed point by point with
/// NumericCore's own normal and Student-t densities, and their derivatives
/// against central differences.
struct NoiseLikelihoodTests {
    private let model: SplineModel
    private let beta: [Double]

    init() throws {
        let series = syntheticSeries(dayCount: 40, seed: 5)
        model = try SplineModel(days: series.days, values: series.values)
        var rng = RandomStream(seed: 8)
        beta = (0..<model.basisCount).map { _ in 0.5 * rng.standardNormal() }
    }

    private var levels: [Double] { model.design.pointLevels(beta) }

    private func evaluate(_ noise: any NoiseLikelihood, beta: [Double], sigma: Double, shape: [Double])
        -> (terms: NoiseLogLikelihood?, gradientBeta: [Double]) {
        var gradient = [Double](repeating: 0, count: beta.count)
        let terms = noise.logLikelihood(design: model.design, values: model.scaledValues, beta: beta, sigma: sigma,
                                        logSigma: Double.log(sigma), shape: shape, gradientBeta: &gradient)
        return (terms, gradient)
    }

    @Test func gaussianIsTheSumOfNormalLogDensities() throws {
        let sigma = 0.7
        let terms = try #require(evaluate(GaussianNoise(), beta: beta, sigma: sigma, shape: []).terms)
        let expected = zip(model.scaledValues, levels).reduce(0.0) { $0 + normalLogDensity($1.0, mean: $1.1, sd: sigma) }
        #expect(terms.value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        #expect(terms.dShape.isEmpty)
        #expect(GaussianNoise().shapeParameterNames.isEmpty)
    }

    @Test(arguments: [1.5, 4.0, 60.0])
    func studentTIsTheSumOfStudentTLogDensities(nu: Double) throws {
        let sigma = 0.7
        let terms = try #require(evaluate(StudentTNoise(), beta: beta, sigma: sigma, shape: [nu]).terms)
        let expected = zip(model.scaledValues, levels).reduce(0.0) {
            $0 + studentTLogDensity($1.0, df: nu, location: $1.1, scale: sigma)
        }
        #expect(terms.value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        #expect(StudentTNoise().shapeParameterNames == ["nu"])
    }

    /// ∂ℓ/∂log σ, ∂ℓ/∂ν and one coefficient's ∂ℓ/∂β against central
    /// differences (step 1e-5: truncation error ~1e-10, far below 1e-6).
    @Test(arguments: [false, true])
    func derivativesMatchCentralDifferences(studentT: Bool) throws {
        let noise: any NoiseLikelihood = studentT ? StudentTNoise() : GaussianNoise()
        let sigma = 0.8, nu = 5.0, h = 1e-5
        let shape = studentT ? [nu] : []
        let base = evaluate(noise, beta: beta, sigma: sigma, shape: shape)
        let terms = try #require(base.terms)
        func value(sigma: Double = sigma, shape: [Double] = shape, beta: [Double] = beta) throws -> Double {
            try #require(evaluate(noise, beta: beta, sigma: sigma, shape: shape).terms).value
        }
        let dLogSigma = (try value(sigma: sigma * Double.exp(h)) - value(sigma: sigma * Double.exp(-h))) / (2 * h)
        #expect(terms.dLogSigma.isApproximatelyEqual(to: dLogSigma, relativeTolerance: 1e-6))
        if studentT {
            let dNu = (try value(shape: [nu + h]) - value(shape: [nu - h])) / (2 * h)
            #expect(terms.dShape[0].isApproximatelyEqual(to: dNu, relativeTolerance: 1e-6))
        }
        let j = model.basisCount / 2
        var up = beta, down = beta
        up[j] += h
        down[j] -= h
        let dBeta = (try value(beta: up) - value(beta: down)) / (2 * h)
        #expect(base.gradientBeta[j].isApproximatelyEqual(to: dBeta, relativeTolerance: 1e-6))
    }

    /// ν outside its domain gives no likelihood (the model's density is zero there).
    @Test func studentTOutsideItsDomainHasNoLikelihood() {
        #expect(evaluate(StudentTNoise(), beta: beta, sigma: 1, shape: [0]).terms == nil)
        #expect(evaluate(StudentTNoise(), beta: beta, sigma: 1, shape: [.infinity]).terms == nil)
    }

    /// Standardized Student-t noise from normals has the t variance
    /// `ν/(ν − 2)` within 4 standard errors (the fourth moment of t₁₀ is
    /// finite: `μ₄ = 3ν²/((ν−2)(ν−4))`).
    @Test func standardizedStudentTNoiseHasTheTVariance() {
        let n = 40_000, nu = 10.0
        var rng = RandomStream(seed: 17)
        var draws = (0..<n).map { _ in rng.standardNormal() }
        StudentTNoise().standardizeNoise(&draws, shapes: Array(repeating: nu, count: n), rng: &rng)
        let variance = draws.reduce(0) { $0 + $1 * $1 } / Double(n)
        let expected = nu / (nu - 2)
        let fourth = 3 * nu * nu / ((nu - 2) * (nu - 4))
        #expect(abs(variance - expected) < 4 * ((fourth - expected * expected) / Double(n)).squareRoot(),
                "variance \(variance) vs \(expected)")
    }
}
