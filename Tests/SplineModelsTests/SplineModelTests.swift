import Foundation
import NumericCore
import SplineModels
import Testing

/// The spline model's log density and gradient: equal to an independent
/// NumPy/SciPy implementation, gradient equal to finite differences, and
/// coordinates that round-trip.
struct SplineModelTests {
    /// A model configuration the tests run over.
    struct Configuration: Sendable, CustomTestStringConvertible {
        let noise: NoiseModel
        let parametrization: SplineModel.Parametrization
        var testDescription: String { "\(noise.rawValue), \(parametrization.rawValue)" }
    }

    static let configurations = [NoiseModel.gaussian, .studentT].flatMap { noise in
        [SplineModel.Parametrization.centred, .nonCentred, .partial].map { Configuration(noise: noise, parametrization: $0) }
    }

    static func model(_ configuration: Configuration) throws -> SplineModel {
        let series = syntheticSeries()
        // Partial exponents from estimates that leave some coordinates near
        // each end of 0…1, as a real fit does.
        return try SplineModel(days: series.days, values: series.values, noise: configuration.noise,
                               parametrization: configuration.parametrization).withNonCentring(sigma: 0.5, tau: 0.05)
    }

    /// A random point where a posterior could be: penalized coordinates of the
    /// prior's size, moderate scales and ν.
    static func randomTheta(_ model: SplineModel, rng: inout RandomStream) -> [Double] {
        var theta = [Double](repeating: 0, count: model.dimension)
        let logTau = -3 + 3 * rng.uniform()
        // z_j ~ Normal(0, τ^{1−a_j}) under the prior.
        for j in 0..<(model.basisCount - 2) {
            theta[j] = exp((1 - model.nonCentring[j]) * logTau) * rng.standardNormal()
        }
        theta[model.interceptIndex] = 0.5 * rng.standardNormal()
        theta[model.trendIndex] = 0.5 * rng.standardNormal()
        theta[model.logSigmaIndex] = -1.5 + 2 * rng.uniform()
        theta[model.logTauIndex] = logTau
        if let i = model.logNuIndex { theta[i] = 0.5 + 3.5 * rng.uniform() }
        return theta
    }

    // MARK: Density against the independent reference

    @Test func logDensityMatchesTheNumPyReference() throws {
        for item in try ModelReference.load().cases {
            let noise = try #require(NoiseModel(rawValue: item.noise))
            for parametrization in [SplineModel.Parametrization.centred, .nonCentred] {
                let model = try SplineModel(days: item.days, values: item.values, noise: noise,
                                            parametrization: parametrization)
                #expect(model.basisCount == item.basisCount, "\(item.name): knot rule")
                #expect(isClose(model.location, item.location, relative: 1e-14))
                #expect(isClose(model.scale, item.scale, relative: 1e-12))
                for point in item.points {
                    let parameters = SplineParameters(coefficients: point.coefficients, sigma: point.sigma,
                                                      tau: point.tau, nu: point.nu)
                    let theta = model.unconstrained(parameters)
                    let expected = parametrization == .centred ? point.logDensityCentred : point.logDensityNonCentred
                    let got = model.logDensity(theta)
                    #expect(isClose(got, expected, relative: 1e-8),
                            "\(item.name), \(parametrization.rawValue): \(got) vs reference \(expected)")
                }
            }
        }
    }

    /// Partial non-centring changes coordinates only: at the same parameters
    /// its density is the centred one plus the log-Jacobian `Σ a_j log τ` of
    /// `w_j = τ^{a_j} z_j`; its exponents are the prior's share of the
    /// information, smallest for the data-pinned (smooth) coordinates.
    @Test func partialNonCentringIsTheCentredDensityPlusItsJacobian() throws {
        for item in try ModelReference.load().cases {
            let noise = try #require(NoiseModel(rawValue: item.noise))
            let centred = try SplineModel(days: item.days, values: item.values, noise: noise)
            let partial = try SplineModel(days: item.days, values: item.values, noise: noise, parametrization: .partial)
                .withNonCentring(sigma: 0.4, tau: 0.03)
            let h = partial.design.penalizedDataPrecision
            for j in h.indices {
                let expected = (1 / 0.03 / 0.03) / (1 / 0.03 / 0.03 + h[j] / 0.4 / 0.4)
                #expect(isClose(partial.nonCentring[j], expected, relative: 1e-12))
            }
            // h ascends, so the exponents descend: the least-informed coordinates are the most non-centred.
            #expect(zip(partial.nonCentring, partial.nonCentring.dropFirst()).allSatisfy { $0 >= $1 })
            #expect(partial.nonCentring.allSatisfy { $0 > 0 && $0 < 1 })
            for point in item.points {
                let parameters = SplineParameters(coefficients: point.coefficients, sigma: point.sigma,
                                                  tau: point.tau, nu: point.nu)
                let jacobian = partial.nonCentring.reduce(0, +) * log(point.tau)
                let expected = centred.logDensity(centred.unconstrained(parameters)) + jacobian
                #expect(isClose(partial.logDensity(partial.unconstrained(parameters)), expected, relative: 1e-10),
                        "\(item.name)")
            }
        }
    }

    // MARK: Gradient

    /// The analytic gradient equals a five-point central difference
    /// `(8[f(θ+h) − f(θ−h)] − [f(θ+2h) − f(θ−2h)])/(12h)` with `h = 1e-4·max(1, |θⱼ|)`:
    /// truncation O(h⁴) ≈ 1e-16 and rounding ≈ 1e-16·|f|/h ≈ 1e-9, so a relative
    /// error of 1e-6 (absolute 1e-6 for components near zero) is far outside both.
    @Test(arguments: configurations)
    func gradientMatchesFiniteDifferences(_ configuration: Configuration) throws {
        let model = try Self.model(configuration)
        var rng = RandomStream(seed: 99, stream: stableHash(configuration.testDescription))
        var gradient = [Double](repeating: .nan, count: model.dimension)
        for pointIndex in 0..<20 {
            let theta = Self.randomTheta(model, rng: &rng)
            let value = model.logDensityAndGradient(theta, gradient: &gradient)
            #expect(value.isFinite)
            #expect(isClose(model.logDensity(theta), value, relative: 1e-15), "logDensity agrees with the pair")
            for j in 0..<model.dimension {
                let h = 1e-4 * max(1, abs(theta[j]))
                func f(_ offset: Double) -> Double {
                    var shifted = theta
                    shifted[j] += offset
                    return model.logDensity(shifted)
                }
                let numeric = (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h)
                #expect(isClose(gradient[j], numeric, relative: 1e-6, absolute: 1e-6),
                        "point \(pointIndex), component \(j): analytic \(gradient[j]) vs numeric \(numeric)")
            }
        }
    }

    @Test(arguments: configurations)
    func nonFiniteScalesGiveMinusInfinity(_ configuration: Configuration) throws {
        let model = try Self.model(configuration)
        var theta = [Double](repeating: 0, count: model.dimension)
        var gradient = [Double](repeating: 1, count: model.dimension)
        theta[model.logSigmaIndex] = 1_000 // σ = e¹⁰⁰⁰ overflows
        #expect(model.logDensityAndGradient(theta, gradient: &gradient) == -.infinity)
        #expect(gradient.allSatisfy { $0 == 0 })
        theta[model.logSigmaIndex] = 0
        theta[model.logTauIndex] = -1_000 // τ underflows to 0
        #expect(model.logDensity(theta) == -.infinity)
    }

    // MARK: Coordinates

    @Test(arguments: configurations)
    func parametersAndUnconstrainedAreInverses(_ configuration: Configuration) throws {
        let model = try Self.model(configuration)
        var rng = RandomStream(seed: 5, stream: stableHash(configuration.testDescription))
        for _ in 0..<10 {
            let theta = Self.randomTheta(model, rng: &rng)
            let parameters = model.parameters(theta)
            #expect(parameters.coefficients.count == model.basisCount)
            #expect((parameters.nu != nil) == (configuration.noise == .studentT))
            let back = model.unconstrained(parameters)
            #expect(maxAbsDifference(back, theta) <= 1e-10, "θ → parameters → θ")
            let again = model.parameters(back)
            #expect(maxAbsDifference(again.coefficients, parameters.coefficients) <= 1e-10, "parameters → θ → parameters")
            #expect(isClose(again.sigma, parameters.sigma, relative: 1e-14))
            #expect(isClose(again.tau, parameters.tau, relative: 1e-14))
        }
    }

    /// θ's intercept and trend coordinates move the level and the slope only:
    /// a constant shift of β changes c₁ alone and leaves the density's
    /// penalty unchanged.
    @Test func constantShiftMovesOnlyTheLevelCoordinate() throws {
        let model = try Self.model(Configuration(noise: .gaussian, parametrization: .centred))
        var rng = RandomStream(seed: 8)
        let theta = Self.randomTheta(model, rng: &rng)
        var p = model.parameters(theta)
        p.coefficients = p.coefficients.map { $0 + 0.75 }
        let shifted = model.unconstrained(p)
        for j in 0..<model.dimension where j != model.interceptIndex {
            #expect(abs(shifted[j] - theta[j]) <= 1e-10, "component \(j)")
        }
        #expect(abs(shifted[model.interceptIndex] - theta[model.interceptIndex] - 0.75) <= 1e-10)
    }

    @Test func dimensionAndIndices() throws {
        let gaussian = try Self.model(Configuration(noise: .gaussian, parametrization: .centred))
        let student = try Self.model(Configuration(noise: .studentT, parametrization: .centred))
        #expect(gaussian.basisCount == KnotRule.basisCount(maxDay: 89))
        #expect(gaussian.dimension == gaussian.basisCount + 2 && gaussian.logNuIndex == nil)
        #expect(student.dimension == student.basisCount + 3 && student.logNuIndex == student.basisCount + 2)
        #expect(Set([student.interceptIndex, student.trendIndex, student.logSigmaIndex, student.logTauIndex,
                     student.logNuIndex!]).count == 5)
    }

    // MARK: Working scale

    @Test func workingScaleIsMedianAndMAD() throws {
        let values = [3.0, 9, 4, 4, 7, 1, 12]
        let (location, scale) = SplineModel.workingScale(values)
        #expect(location == 4)
        #expect(isClose(scale, 1.4826 * 3, relative: 1e-15))
        let model = try SplineModel(days: Array(0..<7), values: values)
        for (y, scaled) in zip(values, model.scaledValues) {
            #expect(isClose(model.location + model.scale * scaled, y, relative: 1e-15))
        }
    }

    @Test func workingScaleFallsBackWhenMADIsZero() {
        // MAD 0 but not constant: the standard deviation.
        let mostlyEqual = [5.0, 5, 5, 5, 9]
        #expect(isClose(SplineModel.workingScale(mostlyEqual).scale, variance(mostlyEqual).squareRoot(), relative: 1e-15))
        // Constant: 1 (nothing divides by zero).
        #expect(SplineModel.workingScale([2, 2, 2]).scale == 1)
        #expect(SplineModel.workingScale([7]).scale == 1)
    }

    @Test func aFixedWorkingScaleIsUsedAsGiven() throws {
        let series = syntheticSeries()
        let model = try SplineModel(days: series.days, values: series.values, workingScale: (100, 10))
        #expect(model.location == 100 && model.scale == 10)
        #expect(isClose(model.scaledValues[0], (series.values[0] - 100) / 10, relative: 1e-15))
    }
}
