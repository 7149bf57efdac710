import Testing
import SplineModels
import Sampling

/// Reduced simulation-based calibration (the full run is `scripts/sbc.sh`):
/// rank histograms of the true parameters among posterior draws must be
/// uniform, χ² p > 0.001 for every quantity.
@Test(arguments: [NoiseModel.gaussian, .studentT], [SamplerKind.gibbs, .nuts])
func rankHistogramsAreUniform(_ noise: NoiseModel, _ sampler: SamplerKind) async throws {
    let config = SimulationBasedCalibration.Configuration(
        noise: noise, sampler: sampler, replicates: 100, days: 40, runsPerDay: 2,
        chains: 2, warmup: 250, draws: 250, rankedDraws: 49, bins: 10, seed: 12, threads: 2)
    let result = try await SimulationBasedCalibration.run(config)
    for (q, name) in result.quantities.enumerated() {
        #expect(result.pValues[q] > 0.001, "\(noise)/\(sampler) \(name): ranks \(result.histograms[q]), p = \(result.pValues[q])")
    }
}
