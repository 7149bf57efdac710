import Testing
import NumericCore
import SplineModels
import Sampling
import Diagnostics

@Test(arguments: [SamplerKind.gibbs, .nuts, .metropolis])
func sameSeedGivesIdenticalDrawsWhateverTheThreadCount(_ sampler: SamplerKind) async throws {
    let series = syntheticSeries(seed: 4)
    func fit(threads: Int) async throws -> SplineFit {
        let settings = SamplerSettings(sampler: sampler, chains: 4, warmup: 200, draws: 200, seed: 77, threads: threads)
        return try await SplineFitter.fit(days: series.days, values: series.values,
                                          options: FitOptions(sampler: settings, keptDraws: 400))
    }
    let one = try await fit(threads: 1)
    let four = try await fit(threads: 4)
    #expect(one.level.values == four.level.values)
    #expect(one.predictive.values == four.predictive.values)
    let other = try await SplineFitter.fit(
        days: series.days, values: series.values,
        options: FitOptions(sampler: SamplerSettings(sampler: sampler, chains: 4, warmup: 200, draws: 200, seed: 78, threads: 1),
                            keptDraws: 400))
    #expect(one.level.values != other.level.values, "a different seed must give different draws")
}

@Test func perDayDrawsCoverEveryDayIncludingDaysWithoutRuns() async throws {
    // Runs on even days only: odd days still get level and predictive draws.
    let days = (0..<30).map { 2 * $0 }
    let values = days.map { 50 + 0.1 * Double($0) + Double($0 % 3) }
    let fit = try await SplineFitter.fit(days: days, values: values,
                                         options: FitOptions(sampler: SamplerSettings(warmup: 300, draws: 250)))
    #expect(fit.firstDay == 0 && fit.lastDay == 58)
    #expect(fit.level.dayCount == 59)
    #expect(fit.level.drawCount == 1000)
    for d in 0..<fit.level.dayCount {
        let level = fit.level.quantiles(day: d, [0.05, 0.95])
        let predictive = fit.predictive.quantiles(day: d, [0.05, 0.95])
        #expect(predictive[0] < level[0] && level[1] < predictive[1], "predictive band contains the level band on day \(d)")
    }
}

@Test func gibbsAndNutsAgreeOnTheSplinePosterior() async throws {
    let series = syntheticSeries(seed: 8, days: 60, runsPerDay: 2)
    func fit(_ sampler: SamplerKind) async throws -> SplineFit {
        try await SplineFitter.fit(days: series.days, values: series.values,
                                   options: FitOptions(noise: .studentT, sampler: SamplerSettings(sampler: sampler, seed: 3)))
    }
    let gibbs = try await fit(.gibbs)
    let nuts = try await fit(.nuts)
    for name in ["alpha", "trend", "sigma", "tau", "nu"] {
        let gi = gibbs.quantityNames.firstIndex(of: name)!
        let g = gibbs.quantityDraws.flatMap { $0.map { $0[gi] } }
        let n = nuts.quantityDraws.flatMap { $0.map { $0[gi] } }
        let gm = mcseMean(try ChainDraws(gibbs.quantityDraws.map { $0.map { $0[gi] } }))
        let nm = mcseMean(try ChainDraws(nuts.quantityDraws.map { $0.map { $0[gi] } }))
        let mcse = (gm * gm + nm * nm).squareRoot()
        let diff = abs(mean(g) - mean(n))
        #expect(diff < 4 * mcse, "\(name): gibbs \(mean(g)) nuts \(mean(n)) (MCSE of difference \(mcse))")
    }
}

@Test func badSettingsAndBadDataAreErrorsNotTraps() async throws {
    await #expect(throws: ModelError.self) {
        _ = try await SplineFitter.fit(days: [], values: [])
    }
    await #expect(throws: ModelError.self) {
        _ = try await SplineFitter.fit(days: [3, 3, 3], values: [1, 2, 3])
    }
    await #expect(throws: ModelError.self) {
        _ = try await SplineFitter.fit(days: [0, 1, 2], values: [1, .nan, 3])
    }
    await #expect(throws: SamplingError.self) {
        _ = try await SplineFitter.fit(days: [0, 1, 2, 3], values: [1, 2, 3, 4],
                                       options: FitOptions(sampler: SamplerSettings(chains: 0)))
    }
}
