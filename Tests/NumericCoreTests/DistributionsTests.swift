import Foundation
import NumericCore
import Testing

/// The draws of `Distributions.swift`: first two moments within 4 standard
/// errors and a one-sample Kolmogorov–Smirnov test (p > 0.001) at fixed seeds;
/// and the log densities against SciPy.
struct DistributionsTests {
    /// Draws per distribution: the standard error of a mean is σ/√n ≈ 0.003σ.
    static let drawCount = 100_000
    /// A KS p-value below this rejects the draws (1 in 1,000 false alarms for a
    /// fixed seed that is anyway reproducible).
    static let ksThreshold = 0.001

    /// Every distribution slowreg draws from, with its exact moments and CDF.
    enum Drawn: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case standardNormal, normal, uniform, exponential
        case gammaShape01, gammaShape1, gammaShape2point5, gammaShape100
        case chiSquare, studentT5, betaTwoFive, betaArcsine
        case zigguratNormal, zigguratExponential

        var testDescription: String { rawValue }

        func draw(_ rng: inout RandomStream) -> Double {
            switch self {
            case .standardNormal: return rng.standardNormal()
            case .normal: return rng.normal(mean: 3, sd: 2)
            case .uniform: return rng.uniform()
            case .exponential: return rng.exponential(rate: 2.5)
            case .gammaShape01: return rng.gamma(shape: 0.1, rate: 1)
            case .gammaShape1: return rng.gamma(shape: 1, rate: 1)
            case .gammaShape2point5: return rng.gamma(shape: 2.5, rate: 2)
            case .gammaShape100: return rng.gamma(shape: 100, rate: 0.5)
            case .chiSquare: return rng.chiSquare(df: 3)
            case .studentT5: return rng.studentT(df: 5, location: 1, scale: 2)
            case .betaTwoFive: return rng.beta(2, 5)
            case .betaArcsine: return rng.beta(0.5, 0.5)
            case .zigguratNormal: return rng.zigguratNormal()
            case .zigguratExponential: return rng.zigguratExponential()
            }
        }

        /// Gamma shape and rate of the gamma-family cases.
        private var gammaParameters: (shape: Double, rate: Double)? {
            switch self {
            case .exponential: return (1, 2.5)
            case .zigguratExponential: return (1, 1)
            case .gammaShape01: return (0.1, 1)
            case .gammaShape1: return (1, 1)
            case .gammaShape2point5: return (2.5, 2)
            case .gammaShape100: return (100, 0.5)
            case .chiSquare: return (1.5, 0.5)
            default: return nil
            }
        }

        private var betaParameters: (a: Double, b: Double)? {
            switch self {
            case .betaTwoFive: return (2, 5)
            case .betaArcsine: return (0.5, 0.5)
            default: return nil
            }
        }

        /// `(mean, variance, fourth central moment μ₄)`.
        var moments: (mean: Double, variance: Double, fourth: Double) {
            if let (k, r) = gammaParameters {
                // Gamma: excess kurtosis 6/k, so μ₄ = (3k² + 6k)/r⁴.
                return (k / r, k / (r * r), (3 * k * k + 6 * k) / pow(r, 4))
            }
            if let (a, b) = betaParameters {
                let s = a + b
                let v = a * b / (s * s * (s + 1))
                let excess = 6 * ((a - b) * (a - b) * (s + 1) - a * b * (s + 2)) / (a * b * (s + 2) * (s + 3))
                return (a / s, v, (excess + 3) * v * v)
            }
            switch self {
            case .standardNormal, .zigguratNormal: return (0, 1, 3)
            case .normal: return (3, 4, 3 * 16)
            case .uniform: return (0.5, 1.0 / 12, 1.0 / 80)
            // t₅ scaled by 2: variance 4·5/3, μ₄ = 2⁴ · 3ν²/((ν−2)(ν−4)) = 16·25.
            case .studentT5: return (1, 4 * 5.0 / 3, 16 * 25)
            default: fatalError("moments of \(self) not listed")
            }
        }

        func cdf(_ x: Double) -> Double {
            if let (k, r) = gammaParameters { return regularizedLowerGamma(k, r * x) }
            if let (a, b) = betaParameters { return betaCDF(x, a: a, b: b) }
            switch self {
            case .standardNormal, .zigguratNormal: return normalCDF(x)
            case .normal: return normalCDF((x - 3) / 2)
            case .uniform: return min(1, max(0, x))
            case .studentT5: return studentT5CDF((x - 1) / 2)
            default: fatalError("CDF of \(self) not listed")
            }
        }
    }

    static func sample(_ distribution: Drawn, count: Int = drawCount) -> [Double] {
        var rng = RandomStream(seed: 20_240_601, stream: UInt64(Drawn.allCases.firstIndex(of: distribution)!))
        return (0..<count).map { _ in distribution.draw(&rng) }
    }

    @Test(arguments: Drawn.allCases)
    func firstTwoMomentsWithinFourStandardErrors(_ distribution: Drawn) {
        let draws = Self.sample(distribution)
        let n = Double(draws.count)
        let (mu, sigma2, mu4) = distribution.moments
        var moments = RunningMoments()
        for x in draws { moments.add(x) }
        // SE of the mean √(σ²/n); SE of the sample variance √((μ₄ − σ⁴)/n).
        let meanError = (sigma2 / n).squareRoot()
        let varianceError = ((mu4 - sigma2 * sigma2) / n).squareRoot()
        #expect(abs(moments.mean - mu) <= 4 * meanError,
                "\(distribution): mean \(moments.mean) vs \(mu) (SE \(meanError))")
        #expect(abs(moments.variance - sigma2) <= 4 * varianceError,
                "\(distribution): variance \(moments.variance) vs \(sigma2) (SE \(varianceError))")
    }

    @Test(arguments: Drawn.allCases)
    func kolmogorovSmirnovAcceptsTheDraws(_ distribution: Drawn) {
        let draws = Self.sample(distribution)
        let d = kolmogorovSmirnovStatistic(draws) { distribution.cdf($0) }
        let p = kolmogorovSmirnovPValue(statistic: d, sampleSize: draws.count)
        #expect(p > Self.ksThreshold, "\(distribution): KS D = \(d), p = \(p)")
    }

    /// The ziggurat's tails (beyond its base layer's r, where a draw takes
    /// the tail method, and further out) and its layers' areas: counts of
    /// 4,000,000 draws within 4 Poisson standard errors of their expectation.
    @Test func zigguratTailsHaveTheirProbability() {
        var rng = RandomStream(seed: 20_240_602)
        let n = 4_000_000
        var normalBeyond = [0, 0, 0], exponentialBeyond = [0, 0, 0]
        let normalCuts = [1.0, ZigguratTable.normal.r, 4.5], exponentialCuts = [1.0, ZigguratTable.exponential.r, 10]
        for _ in 0..<n {
            let z = abs(rng.zigguratNormal()), e = rng.zigguratExponential()
            for k in 0..<3 {
                if z > normalCuts[k] { normalBeyond[k] += 1 }
                if e > exponentialCuts[k] { exponentialBeyond[k] += 1 }
            }
        }
        for k in 0..<3 {
            let normalExpected = Double(n) * 2 * (1 - normalCDF(normalCuts[k]))
            let exponentialExpected = Double(n) * exp(-exponentialCuts[k])
            #expect(abs(Double(normalBeyond[k]) - normalExpected) <= 4 * normalExpected.squareRoot(),
                    "|Z| > \(normalCuts[k]): \(normalBeyond[k]) vs \(normalExpected)")
            #expect(abs(Double(exponentialBeyond[k]) - exponentialExpected) <= 4 * exponentialExpected.squareRoot(),
                    "E > \(exponentialCuts[k]): \(exponentialBeyond[k]) vs \(exponentialExpected)")
        }
        // Every layer has the same area v: the top layer's x₂₅₅(1 − f(x₂₅₅)) equals the base's x₀ f(r).
        for table in [ZigguratTable.normal, ZigguratTable.exponential] {
            let base = table.x[0] * table.f[1], top = table.x[255] * (1 - table.f[255])
            #expect(abs(top - base) <= 1e-9 * base, "layer areas \(base) and \(top)")
        }
    }

    @Test func drawsStayInTheirSupport() {
        var rng = RandomStream(seed: 3)
        for _ in 0..<20_000 {
            let u = rng.uniform()
            #expect(u > 0 && u < 1)
            let g = rng.gamma(shape: 0.01)
            #expect(g >= 0 && g.isFinite)
            let b = rng.beta(0.5, 0.5)
            #expect(b >= 0 && b <= 1)
            #expect(rng.exponential() > 0)
        }
    }

    /// Bulk normals come in pairs: each coordinate is standard normal (moments,
    /// KS), and the two of a pair are independent — no correlation between
    /// them, nor between their squares (a shared radius would correlate the
    /// squares), within 4 standard errors. An odd count fills the last slot too.
    @Test func filledStandardNormalsAreIndependentStandardNormals() {
        var rng = RandomStream(seed: 20_240_602)
        var draws = [Double](repeating: .nan, count: Self.drawCount + 1)
        draws.withUnsafeMutableBufferPointer { rng.fillStandardNormals($0) }
        #expect(draws.allSatisfy { $0.isFinite })
        var moments = RunningMoments()
        for x in draws { moments.add(x) }
        let n = Double(draws.count)
        #expect(abs(moments.mean) <= 4 / n.squareRoot())
        #expect(abs(moments.variance - 1) <= 4 * (2 / n).squareRoot())
        let d = kolmogorovSmirnovStatistic(draws) { normalCDF($0) }
        #expect(kolmogorovSmirnovPValue(statistic: d, sampleSize: draws.count) > Self.ksThreshold)

        let pairs = draws.count / 2
        var cross = 0.0, crossSquares = 0.0
        for i in 0..<pairs {
            let a = draws[2 * i], b = draws[2 * i + 1]
            cross += a * b
            crossSquares += (a * a - 1) * (b * b - 1)
        }
        // E[ab] = 0 with sd 1; E[(a²−1)(b²−1)] = 0 with sd 2 under independence.
        let m = Double(pairs)
        #expect(abs(cross / m) <= 4 / m.squareRoot(), "correlation within pairs")
        #expect(abs(crossSquares / m) <= 4 * 2 / m.squareRoot(), "correlation of squares within pairs")
    }

    // MARK: The test's own tools

    /// The KS test has power: a 0.03σ shift in 100,000 normal draws is rejected.
    @Test func kolmogorovSmirnovRejectsAShiftedNormal() {
        let draws = Self.sample(.standardNormal)
        let d = kolmogorovSmirnovStatistic(draws) { normalCDF($0 - 0.03) }
        #expect(kolmogorovSmirnovPValue(statistic: d, sampleSize: draws.count) < Self.ksThreshold)
    }

    /// `Q_KS(λ)` against scipy.stats.kstwobign.sf (n so large that the
    /// small-sample correction vanishes).
    @Test func kolmogorovSmirnovPValueMatchesTheLimitDistribution() {
        let n = 1_000_000_000_000_000_000
        let rootN = Double(n).squareRoot()
        for (lambda, expected) in [(0.5, 0.9639452436648751), (1.0, 0.26999967167735456),
                                   (1.3581, 0.0499996304316674), (1.9495, 0.0009998019790258981)] {
            let p = kolmogorovSmirnovPValue(statistic: lambda / rootN, sampleSize: n)
            #expect(isClose(p, expected, relative: 1e-6), "Q(\(lambda))")
        }
    }

    @Test func testCDFsMatchSciPy() throws {
        let cdfs = try NumericReference.load().cdfs
        for pair in cdfs.studentT5 {
            #expect(isClose(studentT5CDF(pair[0]), pair[1], relative: 1e-13, absolute: 1e-15), "t₅ CDF(\(pair[0]))")
        }
        for triple in cdfs.regularizedLowerGamma {
            #expect(isClose(regularizedLowerGamma(triple[0], triple[1]), triple[2], relative: 1e-12, absolute: 1e-15),
                    "P(\(triple[0]), \(triple[1]))")
        }
        for item in cdfs.beta {
            #expect(isClose(betaCDF(item[2], a: item[0], b: item[1]), item[3], relative: 1e-12, absolute: 1e-15),
                    "I_\(item[2])(\(item[0]), \(item[1]))")
        }
    }

    // MARK: Log densities

    @Test func normalLogDensityMatchesSciPy() throws {
        for c in try NumericReference.load().logDensities.normal {
            #expect(isClose(normalLogDensity(c.x, mean: c.mean, sd: c.sd), c.expected, relative: 1e-14, absolute: 1e-14))
        }
    }

    @Test func studentTLogDensityMatchesSciPy() throws {
        for c in try NumericReference.load().logDensities.studentT {
            #expect(isClose(studentTLogDensity(c.x, df: c.df, location: c.location, scale: c.scale), c.expected,
                            relative: 1e-13, absolute: 1e-13), "t(\(c.x); ν=\(c.df), \(c.location), \(c.scale))")
        }
    }

    @Test func halfStudentTLogDensityMatchesSciPy() throws {
        for c in try NumericReference.load().logDensities.halfStudentT {
            #expect(isClose(halfStudentTLogDensity(c.x, df: c.df, scale: c.scale), c.expected,
                            relative: 1e-13, absolute: 1e-13))
        }
        #expect(halfStudentTLogDensity(-0.1, df: 3, scale: 1) == -.infinity)
    }

    @Test func gammaLogDensityMatchesSciPy() throws {
        for c in try NumericReference.load().logDensities.gamma {
            #expect(isClose(gammaLogDensity(c.x, shape: c.shape, rate: c.rate), c.expected, relative: 1e-13, absolute: 1e-13),
                    "Gamma(\(c.x); \(c.shape), \(c.rate))")
        }
        #expect(gammaLogDensity(-1, shape: 2, rate: 1) == -.infinity)
        #expect(gammaLogDensity(0, shape: 2, rate: 1) == -.infinity)
        #expect(isClose(gammaLogDensity(0, shape: 1, rate: 3), log(3), relative: 1e-15))
    }

    /// The analytic gradients equal central differences of the log densities.
    @Test func logDensityGradientsMatchFiniteDifferences() {
        for (x, df, location, scale) in [(0.3, 3.0, 0.0, 1.0), (-4.0, 5.0, 1.0, 2.0), (12.0, 1.5, -2.0, 0.7)] {
            let h = 1e-6 * max(1, abs(x))
            let numeric = (studentTLogDensity(x + h, df: df, location: location, scale: scale)
                - studentTLogDensity(x - h, df: df, location: location, scale: scale)) / (2 * h)
            #expect(isClose(studentTLogDensityGradient(x, df: df, location: location, scale: scale), numeric,
                            relative: 1e-7, absolute: 1e-8))
        }
        for (x, shape, rate) in [(0.5, 2.0, 0.1), (20.0, 2.0, 0.1), (3.0, 0.3, 1.5)] {
            let h = 1e-6 * x
            let numeric = (gammaLogDensity(x + h, shape: shape, rate: rate)
                - gammaLogDensity(x - h, shape: shape, rate: rate)) / (2 * h)
            #expect(isClose(gammaLogDensityGradient(x, shape: shape, rate: rate), numeric, relative: 1e-7, absolute: 1e-8))
        }
    }
}

/// The truncated draws of the two-mode noise's sampler and the Student-t
/// distribution function and quantiles its level and spread are computed with.
struct TruncatedDrawTests {
    static let count = 20_000

    @Test func studentTDistributionFunctionAndQuantilesMatchSciPy() {
        // scipy.stats.t.cdf / t.ppf.
        #expect(abs(studentTCDF(1, df: 3) - 0.8044988905221148) < 1e-12)
        #expect(abs(studentTCDF(-2.5, df: 8) - 0.01847101885681206) < 1e-12)
        #expect(abs(studentTQuantile(0.975, df: 3) - 3.1824463052837078) < 1e-9)
        #expect(abs(studentTQuantile(0.01, df: 30) - -2.4572615424005915) < 1e-9)
        #expect(abs(studentTQuantile(0.999, df: 2) - 22.327124770119866) < 1e-7)
        #expect(studentTQuantile(0.5, df: 5) == 0)
        for p in [0.001, 0.1, 0.3, 0.7, 0.95] {
            #expect(abs(studentTCDF(studentTQuantile(p, df: 4), df: 4) - p) < 1e-10)
        }
    }

    /// Gamma truncated to [lower, ∞), below and past the mode: KS against
    /// `(P(k, r x) − P(k, r L)) / (1 − P(k, r L))`, and every draw in its support.
    @Test(arguments: [(3.0, 2.0, 0.5), (3.0, 2.0, 4.0), (50.0, 10.0, 9.0), (1.0, 1.0, 20.0)])
    func truncatedGammaHasItsDistribution(_ setting: (shape: Double, rate: Double, lower: Double)) throws {
        var rng = RandomStream(seed: 31, stream: UInt64(setting.lower * 10))
        var draws: [Double] = []
        for _ in 0..<Self.count {
            let draw = rng.truncatedGamma(shape: setting.shape, rate: setting.rate, lower: setting.lower)
            draws.append(try #require(draw))
        }
        #expect(draws.allSatisfy { $0 >= setting.lower })
        let below = regularizedLowerGamma(setting.shape, setting.rate * setting.lower)
        let d = kolmogorovSmirnovStatistic(draws) { x in
            (regularizedLowerGamma(setting.shape, setting.rate * x) - below) / (1 - below)
        }
        let p = kolmogorovSmirnovPValue(statistic: d, sampleSize: draws.count)
        #expect(p > 0.001, "\(setting): KS D = \(d), p = \(p)")
    }

    /// Normal outside (−bound, bound): both tails with their masses, one
    /// tail far beyond the other, and the mean inside the gap.
    @Test(arguments: [(0.0, 1.0, 1.0), (2.5, 1.0, 2.0), (-0.3, 0.2, 1.0), (10.0, 3.0, 0.5)])
    func normalOutsideHasItsDistribution(_ setting: (mean: Double, sd: Double, bound: Double)) {
        var rng = RandomStream(seed: 37, stream: UInt64(setting.bound * 10))
        let draws = (0..<Self.count).map { _ in rng.normalOutside(mean: setting.mean, sd: setting.sd, bound: setting.bound) }
        #expect(draws.allSatisfy { abs($0) >= setting.bound })
        let lowerMass = normalCDF((-setting.bound - setting.mean) / setting.sd)
        let gapMass = normalCDF((setting.bound - setting.mean) / setting.sd) - lowerMass
        let d = kolmogorovSmirnovStatistic(draws) { x in
            let f = normalCDF((x - setting.mean) / setting.sd)
            let inside = x <= -setting.bound ? f : x < setting.bound ? lowerMass : f - gapMass
            return inside / (1 - gapMass)
        }
        let p = kolmogorovSmirnovPValue(statistic: d, sampleSize: draws.count)
        #expect(p > 0.001, "\(setting): KS D = \(d), p = \(p)")
    }
}
