import NumericCore
import RealModule
import SplineModels
import Testing

/// The P-spline level prior against its formulas written out term by term
/// with NumericCore's densities, its derivatives against central
/// differences, and its Gibbs pieces against a dense assembly and the Gamma
/// conditional's mean.
struct RandomWalkPenaltyPriorTests {
    private let design: SplineDesign
    private let priors = SplinePriors(studentDF: 3, interceptScale: 1.3, tauScale: 0.8, trendScale: 4)
    private let prior: RandomWalkPenaltyPrior

    init() throws {
        let series = syntheticSeries(dayCount: 60, seed: 11)
        design = try SplineDesign(days: series.days.map(Double.init))
        prior = RandomWalkPenaltyPrior(design: design, priors: priors)
    }

    /// A random point: coefficients, penalized coordinates, log τ, exponents
    /// `a_j` in [0, 1] and a likelihood gradient with respect to `w`.
    private func randomPoint(_ rng: inout RandomStream)
        -> (beta: [Double], z: [Double], logTau: Double, exponents: [Double], gradientW: [Double]) {
        let k = design.count
        let beta = (0..<k).map { _ in 1.5 * rng.standardNormal() }
        let z = (0..<(k - 2)).map { _ in rng.standardNormal() }
        let logTau = -2 + 2.5 * rng.uniform()
        let exponents = (0..<(k - 2)).map { _ in rng.uniform() }
        let gradientW = (0..<(k - 2)).map { _ in rng.standardNormal() }
        return (beta, z, logTau, exponents, gradientW)
    }

    private func multipliers(_ exponents: [Double], logTau: Double) -> [Double] {
        exponents.map { Double.exp($0 * logTau) }
    }

    /// The penalized-coordinate term with its returned ∂/∂log τ and gradient.
    private func penalty(z: [Double], logTau: Double, exponents: [Double], gradientW: [Double])
        -> (value: Double, dLogTau: Double, gradient: [Double]) {
        var value = 0.0
        var gradient = [Double](repeating: 0, count: z.count)
        let dLogTau = prior.addPenalizedCoordinatePrior(
            theta: z, multipliers: multipliers(exponents, logTau: logTau), exponents: exponents, logTau: logTau,
            gradientW: gradientW, logDensity: &value, gradient: &gradient)
        return (value, dLogTau, gradient)
    }

    /// The scale prior's value and derivative in log τ on their own.
    private func scalePrior(logTau: Double) -> (value: Double, derivative: Double) {
        var value = 0.0, derivative = 0.0
        prior.addScalePrior(logTau: logTau, logDensity: &value, dLogTau: &derivative)
        return (value, derivative)
    }

    /// log t(a) + log t(s) + Σ_j [log N(w_j; 0, τ) + a_j log τ] + log half-t(τ) + log τ,
    /// with `w_j = τ^{a_j} z_j` (the Jacobian of `w ↦ z` is `Π τ^{a_j}`).
    @Test func logDensityIsTheWrittenOutPrior() {
        var rng = RandomStream(seed: 31)
        for _ in 0..<20 {
            let p = randomPoint(&rng)
            let tau = Double.exp(p.logTau)
            let a = dot(design.levelRow, p.beta), s = dot(design.trendRow, p.beta)
            var expected = studentTLogDensity(a, df: 3, location: 0, scale: 1.3)
                + studentTLogDensity(s, df: 3, location: 0, scale: 4)
            for j in p.z.indices {
                let w = Double.exp(p.exponents[j] * p.logTau) * p.z[j]
                expected += normalLogDensity(w, mean: 0, sd: tau) + p.exponents[j] * p.logTau
            }
            expected += halfStudentTLogDensity(tau, df: 3, scale: 0.8) + p.logTau

            var gradientBeta = [Double](repeating: 0, count: p.beta.count)
            let value = prior.logCoefficientPrior(beta: p.beta, gradientBeta: &gradientBeta)
                + penalty(z: p.z, logTau: p.logTau, exponents: p.exponents, gradientW: p.gradientW).value
                + scalePrior(logTau: p.logTau).value
            #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        }
    }

    /// Every derivative against central differences of
    /// `F = gᵀw(z, log τ) + log p` (a likelihood linear in `w` with gradient
    /// `g`, so that its route through `w` is checked too); step 1e-5:
    /// truncation error ~1e-10, far below the 1e-6 tolerance.
    @Test func derivativesMatchCentralDifferences() {
        var rng = RandomStream(seed: 32)
        let h = 1e-5
        for _ in 0..<5 {
            let p = randomPoint(&rng)
            func total(beta: [Double], z: [Double], logTau: Double) -> Double {
                var unused = [Double](repeating: 0, count: beta.count)
                let m = multipliers(p.exponents, logTau: logTau)
                let linear = p.z.indices.reduce(0.0) { $0 + p.gradientW[$1] * m[$1] * z[$1] }
                return linear + prior.logCoefficientPrior(beta: beta, gradientBeta: &unused)
                    + penalty(z: z, logTau: logTau, exponents: p.exponents, gradientW: p.gradientW).value
                    + scalePrior(logTau: logTau).value
            }
            var gradientBeta = [Double](repeating: 0, count: p.beta.count)
            _ = prior.logCoefficientPrior(beta: p.beta, gradientBeta: &gradientBeta)
            let terms = penalty(z: p.z, logTau: p.logTau, exponents: p.exponents, gradientW: p.gradientW)
            let dLogTau = terms.dLogTau + scalePrior(logTau: p.logTau).derivative

            for j in prior.functionalFirst..<(prior.functionalFirst + 4) {
                var up = p.beta, down = p.beta
                up[j] += h
                down[j] -= h
                let numeric = (total(beta: up, z: p.z, logTau: p.logTau) - total(beta: down, z: p.z, logTau: p.logTau)) / (2 * h)
                #expect(gradientBeta[j].isApproximatelyEqual(to: numeric, absoluteTolerance: 1e-6, relativeTolerance: 1e-6))
            }
            for j in [0, p.z.count / 2, p.z.count - 1] {
                var up = p.z, down = p.z
                up[j] += h
                down[j] -= h
                let numeric = (total(beta: p.beta, z: up, logTau: p.logTau) - total(beta: p.beta, z: down, logTau: p.logTau)) / (2 * h)
                #expect(terms.gradient[j].isApproximatelyEqual(to: numeric, absoluteTolerance: 1e-6, relativeTolerance: 1e-6))
            }
            let numeric = (total(beta: p.beta, z: p.z, logTau: p.logTau + h)
                           - total(beta: p.beta, z: p.z, logTau: p.logTau - h)) / (2 * h)
            #expect(dLogTau.isApproximatelyEqual(to: numeric, absoluteTolerance: 1e-6, relativeTolerance: 1e-6))
        }
    }

    /// The precision added into band storage equals the dense
    /// `DᵀD/τ² + (λ_a/A²) b bᵀ + (λ_s/S²) g gᵀ`, with `D`'s rows
    /// `(1, −2, 1)` written out; nothing of it lies outside bandwidth 3.
    @Test func gibbsPrecisionIsTheDenseAssembly() {
        let k = design.count, kd = 3, tau = 0.37
        let lambda = [1.7, 0.45]
        var band = [Double](repeating: 0, count: (kd + 1) * k)
        band.withUnsafeMutableBufferPointer { prior.addPrecision(into: $0, tau: tau, mixtureWeights: lambda) }
        let b = design.levelRow, g = design.trendRow
        for i in 0..<k {
            for j in i..<k {
                var dtd = 0.0
                for r in 0..<(k - 2) {
                    func d(_ c: Int) -> Double { c == r ? 1 : (c == r + 1 ? -2 : (c == r + 2 ? 1 : 0)) }
                    dtd += d(i) * d(j)
                }
                let dense = dtd / (tau * tau) + lambda[0] * b[i] * b[j] / (1.3 * 1.3)
                    + lambda[1] * g[i] * g[j] / (4.0 * 4.0)
                if j - i <= kd {
                    #expect(band[kd + i - j + j * (kd + 1)].isApproximatelyEqual(to: dense, absoluteTolerance: 1e-12,
                                                                                 relativeTolerance: 1e-12))
                } else {
                    #expect(dense == 0)
                }
            }
        }
        #expect(prior.penaltyRank == k - 2)
        #expect(prior.mixtureWeightCount == lambda.count)
    }

    /// The τ kernel differs from the half-t log density by a constant.
    @Test func scaleKernelIsTheHalfTUpToAConstant() {
        let taus = [0.05, 0.3, 1, 2.5, 9]
        let offsets = taus.map { prior.scalePriorKernel($0) - halfStudentTLogDensity($0, df: 3, scale: 0.8) }
        for offset in offsets { #expect(offset.isApproximatelyEqual(to: offsets[0], relativeTolerance: 1e-12)) }
    }

    /// Mixture-weight draws have the conditional mean `(df+1)/(df + (x/scale)²)`
    /// of `Gamma((df+1)/2, (df + (x/scale)²)/2)`, within 4 Monte Carlo standard
    /// errors (sd `√shape/rate`, 20,000 draws, fixed seed).
    @Test func mixtureWeightsHaveTheirConditionalMean() {
        var rng = RandomStream(seed: 33)
        var beta = [Double](repeating: 0, count: design.count)
        for j in beta.indices { beta[j] = 0.8 + 0.1 * Double(j) }
        let a = dot(design.levelRow, beta), s = dot(design.trendRow, beta)
        let draws = 20_000
        var sums = [0.0, 0.0]
        for _ in 0..<draws {
            let lambda = prior.drawMixtureWeights(beta: beta, rng: &rng)
            sums[0] += lambda[0]
            sums[1] += lambda[1]
        }
        for (index, (x, scale)) in [(a, 1.3), (s, 4.0)].enumerated() {
            let shape = 2.0, rate = (3 + (x / scale) * (x / scale)) / 2
            let mcse = shape.squareRoot() / rate / Double(draws).squareRoot()
            #expect(abs(sums[index] / Double(draws) - shape / rate) < 4 * mcse)
        }
    }

    /// The model uses this prior with its own design and priors.
    @Test func splineModelCarriesTheRandomWalkPrior() throws {
        let series = syntheticSeries(dayCount: 60, seed: 11)
        let model = try SplineModel(days: series.days, values: series.values, priors: priors)
        let carried = try #require(model.levelPrior as? RandomWalkPenaltyPrior)
        #expect(carried == prior)
    }
}
