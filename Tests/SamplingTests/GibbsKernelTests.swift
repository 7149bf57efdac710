import Testing
import NumericCore
import SplineModels
import Diagnostics
import Sampling

/// Posterior mean of `quantity` over chains of the Gibbs sampler with
/// `solver`, and its Monte Carlo standard error (ArviZ's `mcse_mean`).
private func posteriorMean(_ model: SplineModel, solver: ConjugateGibbs.CoefficientSolver,
                           quantity: (SplineParameters) -> Double) throws -> (mean: Double, mcse: Double) {
    let settings = SamplerSettings(sampler: .gibbs, chains: 4, warmup: 500, draws: 2000, seed: 31, threads: 1)
    let chains = try (0..<settings.chains).map { c -> [Double] in
        var rng = RandomStream(seed: settings.seed, stream: UInt64(c) + (solver == .band ? 100 : 0))
        let run = try ChainRunner.gibbs(model: model, settings: settings, rng: &rng, positions: false, solver: solver)
        return (run.parameters ?? []).map(quantity)
    }
    let draws = try ChainDraws(chains)
    return (draws.values.reduce(0, +) / Double(draws.values.count), mcseMean(draws))
}

/// The two Gibbs kernels — the band Cholesky sweep and the O(K)
/// Demmler–Reinsch sweep — are different transition kernels with the same
/// stationary distribution: on a small Gaussian-noise spline model their
/// independent chains agree on the posterior means of σ, τ, the intercept
/// and the trend within 4 Monte Carlo standard errors of the difference.
@Test func bothGibbsKernelsHaveTheSameStationaryDistribution() throws {
    let series = syntheticSeries(seed: 12, days: 30, runsPerDay: 2)
    let model = try SplineModel(days: series.days, values: series.values, noise: .gaussian)
    #expect(ConjugateGibbs.solver(for: model) == .diagonal)
    let quantities: [(String, (SplineParameters) -> Double)] = [
        ("sigma", { $0.sigma }), ("tau", { $0.tau }),
        ("alpha", { dot(model.design.levelRow, $0.coefficients) }),
        ("trend", { dot(model.design.trendRow, $0.coefficients) }),
    ]
    for (name, quantity) in quantities {
        let band = try posteriorMean(model, solver: .band, quantity: quantity)
        let diagonal = try posteriorMean(model, solver: .diagonal, quantity: quantity)
        let mcse = (band.mcse * band.mcse + diagonal.mcse * diagonal.mcse).squareRoot()
        #expect(abs(band.mean - diagonal.mean) < 4 * mcse,
                "\(name): band \(band.mean), diagonal \(diagonal.mean), MCSE of the difference \(mcse)")
    }
}
