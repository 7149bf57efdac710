import Testing
import NumericCore
import SplineModels
import Diagnostics
import Sampling

/// Runs `chains` chains of a generic sampler on `target` through the chain
/// runner and returns draws per chain.
func sampleChains<M: LogDensityModel>(_ target: M, sampler: SamplerKind, warmup: Int, draws: Int,
                                      chains: Int = 4, seed: UInt64 = 11) async throws -> [[[Double]]] {
    let settings = SamplerSettings(sampler: sampler, chains: chains, warmup: warmup, draws: draws, seed: seed, threads: 2)
    return try await ChainRunner.chains(settings: settings) { rng in
        switch sampler {
        case .nuts: return try ChainRunner.nuts(model: target, settings: settings, rng: &rng).positions
        case .metropolis: return try ChainRunner.metropolis(model: target, settings: settings, rng: &rng).positions
        case .gibbs: throw SamplingError.samplerNotApplicable("Gibbs is specific to the spline model")
        }
    }
}

/// Checks every coordinate's posterior mean and variance against the truth
/// within 4 Monte Carlo standard errors (MCSE from the bulk ESS, as ArviZ).
func expectRecovered(_ chains: [[[Double]]], mean: [Double], covariance: Matrix,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    for j in mean.indices {
        let draws = try ChainDraws(chains.map { $0.map { $0[j] } })
        let values = draws.values
        let m = values.reduce(0, +) / Double(values.count)
        let sd = covariance[j, j].squareRoot()
        let ess = essMean(draws)
        let mcseMean = sd / ess.squareRoot()
        #expect(abs(m - mean[j]) < 4 * mcseMean, "coordinate \(j): mean \(m) vs \(mean[j]) (MCSE \(mcseMean))",
                sourceLocation: sourceLocation)
        // Variance: MCSE of the sample variance of a normal ≈ σ²√(2/ESS), ESS of the squares.
        let squares = try ChainDraws(chains.map { $0.map { ($0[j] - mean[j]) * ($0[j] - mean[j]) } })
        let v = squares.values.reduce(0, +) / Double(values.count)
        let mcseVar = covariance[j, j] * (2 / essMean(squares)).squareRoot()
        #expect(abs(v - covariance[j, j]) < 4 * mcseVar, "coordinate \(j): variance \(v) vs \(covariance[j, j])",
                sourceLocation: sourceLocation)
    }
}

@Test func nutsRecoversCorrelatedTenDimensionalGaussian() async throws {
    let (mean, cov) = try correlatedGaussian()
    let target = try GaussianTarget(mean: mean, covariance: cov)
    let chains = try await sampleChains(target, sampler: .nuts, warmup: 1000, draws: 1000)
    try expectRecovered(chains, mean: mean, covariance: cov)
}

@Test func metropolisRecoversCorrelatedTenDimensionalGaussian() async throws {
    let (mean, cov) = try correlatedGaussian()
    let target = try GaussianTarget(mean: mean, covariance: cov)
    let chains = try await sampleChains(target, sampler: .metropolis, warmup: 5000, draws: 20000)
    try expectRecovered(chains, mean: mean, covariance: cov)
}

@Test func nutsRecoversConjugateRegressionPosterior() async throws {
    let (target, mean, cov) = try conjugateRegression(seed: 3)
    let chains = try await sampleChains(target, sampler: .nuts, warmup: 1000, draws: 1000)
    try expectRecovered(chains, mean: mean, covariance: cov)
}

@Test func metropolisRecoversConjugateRegressionPosterior() async throws {
    let (target, mean, cov) = try conjugateRegression(seed: 3)
    let chains = try await sampleChains(target, sampler: .metropolis, warmup: 3000, draws: 10000)
    try expectRecovered(chains, mean: mean, covariance: cov)
}

@Test func nutsReportsNoDivergencesOnAWellConditionedTarget() throws {
    let (mean, cov) = try correlatedGaussian()
    let target = try GaussianTarget(mean: mean, covariance: cov)
    let settings = SamplerSettings(sampler: .nuts, chains: 1, warmup: 500, draws: 500, seed: 5, threads: 1)
    var rng = RandomStream(seed: 5)
    let result = try ChainRunner.nuts(model: target, settings: settings, rng: &rng)
    #expect(result.info.allSatisfy { !$0.divergent })
    let meanAcceptance = result.info.map(\.acceptance).reduce(0, +) / Double(result.info.count)
    // Dual averaging targets 0.8; the averaged step size lands close to it.
    #expect(meanAcceptance > 0.65 && meanAcceptance < 0.95, "mean acceptance \(meanAcceptance)")
}
