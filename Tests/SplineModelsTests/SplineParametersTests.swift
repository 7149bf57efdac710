import NumericCore
import SplineModels
import Testing

/// Original-scale quantities of a draw.
struct SplineParametersTests {
    @Test func namedQuantitiesAreOnTheOriginalScale() throws {
        let series = syntheticSeries()
        let model = try SplineModel(days: series.days, values: series.values, noise: .studentT)
        var rng = RandomStream(seed: 3)
        let beta = (0..<model.basisCount).map { _ in 0.3 * rng.standardNormal() }
        let p = SplineParameters(coefficients: beta, sigma: 0.8, tau: 0.2, nu: 7)
        let q = model.namedQuantities(p)
        #expect(Array(q.names.prefix(5)) == ["alpha", "trend", "sigma", "tau", "nu"])
        #expect(q.names.count == 5 + model.basisCount && q.names.last == "beta[\(model.basisCount)]")
        #expect(q.values.count == q.names.count)
        #expect(isClose(q.values[0], model.level(atDay: model.design.centre, p), relative: 1e-14), "alpha = μ(x_c)")
        #expect(isClose(q.values[2], model.scale * 0.8, relative: 1e-15))
        #expect(isClose(q.values[3], model.scale * 0.2, relative: 1e-15))
        #expect(q.values[4] == 7)
        #expect(isClose(q.values[5], model.location + model.scale * beta[0], relative: 1e-15))
        // The trend is the change of a straight line across the range.
        let range = model.design.basis.upper - model.design.basis.lower
        let line = SplineParameters(coefficients: (0..<model.basisCount).map { 2 * Double($0) / Double(model.basisCount - 3) },
                                    sigma: 1, tau: 1)
        #expect(isClose(model.namedQuantities(line).values[1], 2 * model.scale, relative: 1e-12))
        #expect(isClose(model.level(atDay: model.design.basis.upper, line) - model.level(atDay: 0, line),
                        2 * model.scale, relative: 1e-12), "over \(range) days")
        let gaussian = try SplineModel(days: series.days, values: series.values)
        #expect(!gaussian.namedQuantities(SplineParameters(coefficients: beta, sigma: 1, tau: 1)).names.contains("nu"))
    }
}
