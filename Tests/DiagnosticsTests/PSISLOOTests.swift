import Foundation
import Testing
import Diagnostics
import NumericCore

/// PSIS-LOO (Vehtari, Gelman & Gabry 2017) against ArviZ 0.23.4 on the same
/// pointwise log-likelihoods, plus a known answer and the edge cases.
///
/// Tolerance against ArviZ: 1e-8 relative (1e-10 absolute for values near 0,
/// such as a k̂ near 0 or the best model's zero difference). Both codes are
/// deterministic and do the same operations; only summation order differs
/// (NumPy sums pairwise), which moves results by ~1e-14 relative. k̂ depends
/// smoothly on the tail values, so it meets the same bound.
@Suite struct PSISLOOTests {
    static let relative = 1e-8
    static let absolute = 1e-10

    // MARK: - Against ArviZ

    @Test func fixtureFileHoldsEveryCase() throws {
        let file = try LOOFixtures.file()
        #expect(file.sets.map(\.name) == LOOFixtures.setNames)
        #expect(file.comparisons.map(\.name) == LOOFixtures.comparisonNames)
        #expect(file.psislw_cases.map(\.name) == LOOFixtures.psisCaseNames)
    }

    @Test(arguments: LOOFixtures.setNames)
    func relativeEfficiencyMatchesArviz(_ name: String) throws {
        let set = try LOOFixtures.set(name)
        let reff = try LOORelativeEfficiency.posteriorMeanESS(LOOFixtures.posterior(set))
            .resolved(totalDrawCount: set.chains * set.draws)
        #expect(isClose(reff, set.arviz.reff, relative: Self.relative), "r_eff of \(name)")
    }

    @Test(arguments: LOOFixtures.setNames)
    func looMatchesArviz(_ name: String) throws {
        let set = try LOOFixtures.set(name)
        let loo = try PSISLOO.compute(
            logLikelihood: set.log_likelihood,
            relativeEfficiency: .posteriorMeanESS(LOOFixtures.posterior(set)))
        let arviz = set.arviz
        #expect(loo.drawCount == arviz.n_samples)
        #expect(loo.pointCount == arviz.n_data_points)
        #expect(isClose(loo.elpd, arviz.elpd_loo, relative: Self.relative), "elpd of \(name)")
        #expect(isClose(loo.standardError, arviz.se, relative: Self.relative), "se of \(name)")
        #expect(isClose(loo.effectiveParameterCount, arviz.p_loo, relative: Self.relative), "p_loo of \(name)")
        #expect(isClose(loo.goodParetoKThreshold, arviz.good_k, relative: 1e-14), "good_k of \(name)")
        #expect(loo.warning == arviz.warning, "warning of \(name)")
        for i in 0..<arviz.n_data_points {
            #expect(isClose(loo.pointwiseElpd[i], arviz.loo_i[i], relative: Self.relative, absolute: Self.absolute),
                    "elpd_i of point \(i) of \(name)")
            #expect(isClose(loo.paretoK[i], arviz.pareto_k[i].value, relative: Self.relative, absolute: Self.absolute),
                    "k̂ of point \(i) of \(name)")
        }
        let expectedHigh = arviz.pareto_k.filter { $0.value > 0.7 }.count
        #expect(loo.highParetoKCount == expectedHigh)
    }

    @Test func heavyTailsFixtureFlagsHighParetoK() throws {
        let set = try LOOFixtures.set("normal_heavy_tails")
        let loo = try PSISLOO.compute(
            logLikelihood: set.log_likelihood, relativeEfficiency: .posteriorMeanESS(LOOFixtures.posterior(set)))
        // The gross outliers (points 5 and 30, |y| ≈ 20 under a Normal fit) are the points
        // importance sampling cannot leave out.
        #expect(loo.highParetoKCount >= 1)
        let worst = try #require(loo.paretoK.indices.max { loo.paretoK[$0] < loo.paretoK[$1] })
        #expect([5, 30].contains(worst))
        #expect(loo.warning)
        let clean = try LOOFixtures.set("normal_clean_three_chains")
        let cleanLoo = try PSISLOO.compute(
            logLikelihood: clean.log_likelihood, relativeEfficiency: .posteriorMeanESS(LOOFixtures.posterior(clean)))
        #expect(cleanLoo.highParetoKCount == 0)
        #expect(!cleanLoo.warning)
    }

    @Test(arguments: LOOFixtures.comparisonNames)
    func comparisonMatchesArviz(_ name: String) throws {
        let file = try LOOFixtures.file()
        let comparison = try #require(file.comparisons.first { $0.name == name })
        let models = try comparison.models.map { model -> (name: String, loo: LOOResult) in
            let set = try LOOFixtures.set(model)
            let loo = try PSISLOO.compute(
                logLikelihood: set.log_likelihood, relativeEfficiency: .posteriorMeanESS(LOOFixtures.posterior(set)))
            return (model, loo)
        }
        let result = try LOOComparison(models)
        #expect(result.entries.map(\.name) == comparison.arviz.map(\.name))
        for (entry, row) in zip(result.entries, comparison.arviz) {
            #expect(entry.rank == row.rank)
            #expect(isClose(entry.loo.elpd, row.elpd_loo, relative: Self.relative), "elpd of \(row.name)")
            #expect(isClose(entry.loo.effectiveParameterCount, row.p_loo, relative: Self.relative), "p_loo of \(row.name)")
            #expect(isClose(entry.loo.standardError, row.se, relative: Self.relative), "se of \(row.name)")
            #expect(isClose(entry.elpdDifference, row.elpd_diff, relative: Self.relative, absolute: Self.absolute),
                    "elpd_diff of \(row.name)")
            #expect(isClose(entry.differenceStandardError, row.dse, relative: Self.relative, absolute: Self.absolute),
                    "dse of \(row.name)")
            #expect(entry.loo.warning == row.warning)
        }
    }

    @Test(arguments: LOOFixtures.psisCaseNames)
    func smoothedWeightsMatchArviz(_ name: String) throws {
        let file = try LOOFixtures.file()
        let psisCase = try #require(file.psislw_cases.first { $0.name == name })
        let smoothed = try ParetoSmoothedWeights(logRatios: psisCase.log_ratios, relativeEfficiency: psisCase.reff)
        #expect(isClose(smoothed.paretoK, psisCase.arviz.k.value, relative: Self.relative, absolute: Self.absolute),
                "k̂ of \(name)")
        try #require(smoothed.logWeights.count == psisCase.arviz.log_weights.count)
        // Tied ratios (a rejected Metropolis proposal repeats its draw) share the tail's
        // smoothed values in an order that depends on NumPy's unstable argsort, so the
        // weights are compared as sorted lists within each group of equal ratios.
        let groups = Dictionary(grouping: psisCase.log_ratios.indices) { psisCase.log_ratios[$0] }
        for (ratio, draws) in groups {
            let actual = draws.map { smoothed.logWeights[$0] }.sorted()
            let expected = draws.map { psisCase.arviz.log_weights[$0] }.sorted()
            for (a, e) in zip(actual, expected) {
                #expect(isClose(a, e, relative: Self.relative, absolute: Self.absolute),
                        "log weight of ratio \(ratio) (\(draws.count) draws) of \(name)")
            }
        }
    }

    // MARK: - Known answer

    /// Normal data with known σ = 1 and a flat prior on μ: the posterior is
    /// N(ȳ, 1/n) and the exact leave-one-out predictive density is
    /// `N(yᵢ; ȳ₋ᵢ, 1 + 1/(n−1))`, so elpd_loo is known in closed form, and so is
    /// lppd (`Σ log N(yᵢ; ȳ, 1 + 1/n)`) and hence p_loo. With 4,000 exact
    /// posterior draws PSIS-LOO must land within 4 Monte Carlo standard errors.
    /// Each point's MCSE is the delta-method error of the plain importance
    /// sampling estimate (`sd(rₛ)/(mean(rₛ)·√S)` for ratios `rₛ = 1/p(yᵢ|μˢ)`),
    /// which PSIS does not exceed when k̂ is small; the points' errors are summed
    /// (they share draws, so they can be fully correlated).
    @Test func exactPosteriorGivesTheAnalyticLeaveOneOutDensity() throws {
        var rng = RandomStream(seed: 20_261_129)
        let n = 50, draws = 4000
        let y = (0..<n).map { _ in rng.normal(mean: 2, sd: 1) }
        let mean = y.reduce(0, +) / Double(n)
        let mu = (0..<draws).map { _ in rng.normal(mean: mean, sd: (1 / Double(n)).squareRoot()) }
        let logLikelihood = mu.map { m in y.map { normalLogDensity($0, mean: m, sd: 1) } }

        var exactElpd = 0.0, exactLppd = 0.0, elpdError = 0.0, lppdError = 0.0
        for i in 0..<n {
            let meanWithout = (mean * Double(n) - y[i]) / Double(n - 1)
            exactElpd += normalLogDensity(y[i], mean: meanWithout, sd: (1 + 1 / Double(n - 1)).squareRoot())
            exactLppd += normalLogDensity(y[i], mean: mean, sd: (1 + 1 / Double(n)).squareRoot())
            let densities = logLikelihood.map { Foundation.exp($0[i]) }
            elpdError += relativeMonteCarloError(densities.map { 1 / $0 })
            lppdError += relativeMonteCarloError(densities)
        }

        let loo = try PSISLOO.compute(logLikelihood: logLikelihood)
        #expect(abs(loo.elpd - exactElpd) <= 4 * elpdError, "elpd \(loo.elpd) vs exact \(exactElpd) ± \(elpdError)")
        let exactPLoo = exactLppd - exactElpd
        #expect(abs(loo.effectiveParameterCount - exactPLoo) <= 4 * (elpdError + lppdError),
                "p_loo \(loo.effectiveParameterCount) vs exact \(exactPLoo)")
        // One free parameter: p_loo ≈ 1.
        #expect(abs(exactPLoo - 1) < 0.2)
        // No point is influential enough to break importance sampling.
        #expect(loo.paretoK.allSatisfy { $0 < 0.5 })
        #expect(!loo.warning)
    }

    /// `sd(x)/(mean(x)·√S)`: the standard error of `log mean(x)` by the delta method.
    private func relativeMonteCarloError(_ x: [Double]) -> Double {
        let count = Double(x.count)
        let mean = x.reduce(0, +) / count
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        return variance.squareRoot() / (mean * count.squareRoot())
    }

    // MARK: - Shapes and relative efficiency

    @Test func chainsAreDrawsStackedChainAfterChain() throws {
        let set = try LOOFixtures.set("normal_outliers")
        let stacked = Array(set.log_likelihood.joined())
        let fromChains = try PSISLOO.compute(logLikelihood: set.log_likelihood, relativeEfficiency: .value(0.4))
        let fromDraws = try PSISLOO.compute(logLikelihood: stacked, relativeEfficiency: .value(0.4))
        #expect(fromChains == fromDraws)
        #expect(fromChains.relativeEfficiency == 0.4)
    }

    @Test func relativeEfficiencySetsTheTailLength() throws {
        let set = try LOOFixtures.set("normal_outliers")
        let independent = try PSISLOO.compute(logLikelihood: set.log_likelihood)
        let correlated = try PSISLOO.compute(logLikelihood: set.log_likelihood, relativeEfficiency: .value(0.1))
        #expect(independent.relativeEfficiency == 1)
        // 600 draws: M = ⌈min(120, 3√600)⌉ = 74 at r_eff = 1 and 120 at r_eff = 0.1, so k̂ changes.
        #expect(independent.paretoK != correlated.paretoK)
    }

    @Test func singleChainPosteriorMeansIndependentDraws() throws {
        let posterior = try ChainDraws([(0..<40).map { Double($0 % 7) }])
        #expect(try LOORelativeEfficiency.posteriorMeanESS([posterior]).resolved(totalDrawCount: 40) == 1)
    }

    // MARK: - Edge cases: errors, never a crash

    @Test func singleDrawIsAClearError() {
        #expect(throws: LOOError.tooFewDraws(count: 1, minimum: 2)) {
            try PSISLOO.compute(logLikelihood: [[-1.0, -2.0]])
        }
        #expect(throws: LOOError.tooFewDraws(count: 0, minimum: 2)) {
            try PSISLOO.compute(logLikelihood: [[Double]]())
        }
        #expect(throws: LOOError.tooFewDraws(count: 1, minimum: 2)) {
            try ParetoSmoothedWeights(logRatios: [0.5])
        }
    }

    @Test func impossiblePointIsAClearError() {
        let logLikelihood: [[Double]] = [[-1, -2], [-1.5, -.infinity], [-0.5, -2.5]]
        #expect(throws: LOOError.nonFiniteLogLikelihood(point: 1, draw: 1, value: -.infinity)) {
            try PSISLOO.compute(logLikelihood: logLikelihood)
        }
        #expect(throws: LOOError.self) { try PSISLOO.compute(logLikelihood: [[-1, .nan], [-1, -2]]) }
        #expect(throws: LOOError.self) { try ParetoSmoothedWeights(logRatios: [0, 1, .infinity]) }
        let message = LOOError.nonFiniteLogLikelihood(point: 1, draw: 1, value: -.infinity).description
        #expect(message.contains("point 1") && message.contains("-inf"))
    }

    @Test func malformedInputsAreClearErrors() throws {
        #expect(throws: LOOError.raggedLogLikelihood(chain: 0, draw: 1, count: 1, expected: 2)) {
            try PSISLOO.compute(logLikelihood: [[-1, -2], [-1]])
        }
        #expect(throws: LOOError.unequalChainLengths(chain: 1, count: 1, expected: 2)) {
            try PSISLOO.compute(logLikelihood: [[[-1.0], [-2]], [[-1]]])
        }
        #expect(throws: LOOError.noPoints) { try PSISLOO.compute(logLikelihood: [[Double](), []]) }
        #expect(throws: LOOError.shapeMismatch(valueCount: 5, chainCount: 1, drawCount: 3, pointCount: 2)) {
            try PointwiseLogLikelihood(pointMajor: [1, 2, 3, 4, 5], chainCount: 1, drawCount: 3, pointCount: 2)
        }
        #expect(throws: LOOError.self) {
            try PointwiseLogLikelihood(pointMajor: [1, 2], chainCount: Int.max, drawCount: 2, pointCount: 1)
        }
        #expect(throws: LOOError.self) {
            try PointwiseLogLikelihood(pointMajor: [1, 2], chainCount: 1, drawCount: 2, pointCount: Int.max)
        }
        for reff in [0.0, -1, .nan, .infinity] {
            // NaN is not equal to itself, so match the error by its message.
            let error = #expect(throws: LOOError.self) {
                try PSISLOO.compute(logLikelihood: [[-1.0], [-2]], relativeEfficiency: .value(reff))
            }
            #expect(error?.description == LOOError.invalidRelativeEfficiency(reff).description)
        }
        let posterior = try ChainDraws([[1, 2, 3, 4], [2, 3, 4, 5]])
        #expect(throws: LOOError.posteriorShapeMismatch(parameter: 0, totalDraws: 8, expectedTotalDraws: 3)) {
            try PSISLOO.compute(logLikelihood: [[-1.0], [-2], [-3]], relativeEfficiency: .posteriorMeanESS([posterior]))
        }
    }

    /// A log-likelihood that does not vary over the draws: every weight is
    /// equal, so elpd_loo,ᵢ = lppdᵢ = log p(yᵢ), p_loo = 0, and the tail is empty
    /// (no ratio exceeds the cutoff), so k̂ = +∞ as in ArviZ (checked:
    /// `az.loo` gives elpd −3.8, p_loo 0, k̂ = [inf, inf, inf] for these values).
    @Test func constantLogLikelihoodIsExactAndUnfitted() throws {
        let row: [Double] = [-1.0, -2.5, -0.3]
        let loo = try PSISLOO.compute(logLikelihood: Array(repeating: row, count: 100))
        for (actual, expected) in zip(loo.pointwiseElpd, row) {
            #expect(isClose(actual, expected, relative: 1e-14))
        }
        #expect(isClose(loo.elpd, -3.8, relative: 1e-14))
        #expect(abs(loo.effectiveParameterCount) < 1e-13)
        #expect(loo.paretoK.allSatisfy { $0 == .infinity })
        #expect(loo.warning)
    }

    @Test func fewDrawsGiveAnInfiniteParetoKWithoutCrashing() throws {
        // 10 draws: a tail of ⌈min(2, 3√10)⌉ = 2 draws, too short to fit.
        let logLikelihood = (0..<10).map { s in [-Double(s) * 0.1, -1 - Double(s % 3)] }
        let loo = try PSISLOO.compute(logLikelihood: logLikelihood)
        #expect(loo.paretoK.allSatisfy { $0 == .infinity })
        #expect(loo.elpd.isFinite)
        let twoDraws = try PSISLOO.compute(logLikelihood: [[-1.0, -3.0], [-2.0, -3.5]])
        #expect(twoDraws.elpd.isFinite)
    }

    @Test func extremeButFiniteLogLikelihoodStaysFinite() throws {
        var rng = RandomStream(seed: 7)
        let logLikelihood = (0..<400).map { _ in [rng.normal(mean: -1e4, sd: 3e3), rng.normal(mean: 0, sd: 1)] }
        let loo = try PSISLOO.compute(logLikelihood: logLikelihood)
        #expect(loo.elpd.isFinite && loo.standardError.isFinite && loo.effectiveParameterCount.isFinite)
        #expect(loo.paretoK[0] > 0.7)
    }

    @Test func smoothedWeightsAreNormalizedAndKeepTheOrder() throws {
        var rng = RandomStream(seed: 11)
        let ratios = (0..<500).map { _ in rng.normal(mean: 0, sd: 2) }
        let smoothed = try ParetoSmoothedWeights(logRatios: ratios)
        let total = smoothed.logWeights.reduce(0) { $0 + Foundation.exp($1) }
        #expect(abs(total - 1) < 1e-12)
        // Smoothing keeps the ranks of the ratios (ties aside) and never raises a weight above the largest raw one.
        let order = ratios.indices.sorted { ratios[$0] < ratios[$1] }
        for (a, b) in zip(order, order.dropFirst()) { #expect(smoothed.logWeights[a] <= smoothed.logWeights[b]) }
        #expect(smoothed.paretoK.isFinite)
    }

    /// `compute` selects only each point's tail and sums the body at once;
    /// ``ParetoSmoothedWeights`` sorts everything and returns every weight.
    /// Both must give the same `elpd_loo,ᵢ = log Σ exp(log wˢ + log p(yᵢ | θˢ))`
    /// and `k̂ᵢ`, also on inputs full of ties and of very different spreads
    /// (1e-12 relative: the two sum the same terms in different orders).
    @Test func tailSelectionAgreesWithFullSmoothing() throws {
        var rng = RandomStream(seed: 20_261_130)
        for trial in 0..<40 {
            let draws = [2, 5, 21, 30, 100, 257, 1000][trial % 7]
            let points = 1 + trial % 5
            let spread = [1e-9, 0.1, 1, 30, 3e3][trial % 5]
            let tied = trial % 3 == 0
            let logLikelihood: [[Double]] = (0..<draws).map { _ in
                (0..<points).map { _ in
                    let v = spread * rng.normal() - spread * spread * abs(rng.normal())
                    return tied ? (v / spread).rounded() * spread : v
                }
            }
            let reff = [1, 0.3, 2.5][trial % 3]
            let loo = try PSISLOO.compute(logLikelihood: logLikelihood, relativeEfficiency: .value(reff))
            for point in 0..<points {
                let column = logLikelihood.map { $0[point] }
                let smoothed = try ParetoSmoothedWeights(logRatios: column.map { -$0 }, relativeEfficiency: reff)
                let terms = zip(smoothed.logWeights, column).map { $0 + $1 }
                let expected = logSumExp(terms)
                #expect(isClose(loo.pointwiseElpd[point], expected, relative: 1e-12, absolute: 1e-12),
                        "elpd of point \(point), trial \(trial)")
                #expect(loo.paretoK[point] == smoothed.paretoK
                        || isClose(loo.paretoK[point], smoothed.paretoK, relative: 1e-12, absolute: 1e-12),
                        "k̂ of point \(point), trial \(trial)")
            }
        }
    }

    // MARK: - Comparison

    @Test func comparisonRejectsMismatchedModels() throws {
        let a = try PSISLOO.compute(logLikelihood: [[-1.0, -2], [-1.5, -2.5], [-1.2, -2.2]])
        let b = try PSISLOO.compute(logLikelihood: [[-1.0], [-1.5], [-1.2]])
        #expect(throws: LOOError.tooFewModels(count: 1)) { try LOOComparison([("a", a)]) }
        #expect(throws: LOOError.pointCountMismatch(model: "b", count: 1, expected: 2)) {
            try LOOComparison([("a", a), ("b", b)])
        }
        #expect(throws: LOOError.duplicateModelName("a")) { try LOOComparison([("a", a), ("a", a)]) }
    }

    @Test func comparisonOfAModelWithItselfShiftedIsExact() throws {
        // Point i's shift: 0.5 for even i, 0.6 for odd i.
        let shifts: [Double] = (0..<8).map { 0.5 + 0.1 * Double($0 % 2) }
        var base = [[Double]]()
        for s in 0..<50 {
            base.append((0..<8).map { i in -1.0 - 0.01 * Double(s) - 0.1 * Double(i) })
        }
        let shifted: [[Double]] = base.map { row in zip(row, shifts).map { $0 - $1 } }
        let comparison = try LOOComparison([
            ("shifted", try PSISLOO.compute(logLikelihood: shifted)),
            ("base", try PSISLOO.compute(logLikelihood: base)),
        ])
        #expect(comparison.best.name == "base")
        let worse = try #require(comparison.entry(named: "shifted"))
        // Differences alternate 0.5 and 0.6 over 8 points: sum 4.4, population sd 0.05, dse = √8 · 0.05.
        #expect(isClose(worse.elpdDifference, 4.4, relative: 1e-12))
        #expect(isClose(worse.differenceStandardError, 8.0.squareRoot() * 0.05, relative: 1e-9))
        #expect(comparison.best.elpdDifference == 0 && comparison.best.differenceStandardError == 0)
    }
}
