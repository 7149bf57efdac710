import Foundation
import NumericCore
import Testing
import Diagnostics

private func fixtureParameters(_ names: [String]) throws -> [(name: String, draws: ChainDraws)] {
    try names.map { (name: $0, draws: try ArvizFixtures.drawSet($0).draws) }
}

private func goodEnergy() throws -> [[Double]] {
    try ArvizFixtures.energySet("good_energy").energy
}

private func noFlags(_ value: Bool = false) -> [[Bool]] {
    Array(repeating: Array(repeating: value, count: 500), count: 4)
}

@Test func wellMixedFitIsGood() throws {
    let fit = try FitDiagnostics(
        parameters: fixtureParameters(["iid_normal", "heavy_tails_cauchy"]),
        sampler: SamplerTransitionInfo(divergent: noFlags(), hitMaxTreeDepth: noFlags(), energy: goodEnergy()))
    #expect(fit.status == .good)
    #expect(fit.status.isGood && fit.status.reasons.isEmpty)
    #expect(fit.divergentCount == 0 && fit.treeDepthHitCount == 0)
    #expect(fit.totalDraws == 2000 && fit.chainCount == 4 && fit.drawsPerChain == 500)
}

@Test func summaryValuesAreTheExtremesOverParameters() throws {
    let names = ["iid_normal", "heavy_tails_cauchy", "shifted_chain"]
    let fit = try FitDiagnostics(parameters: fixtureParameters(names), sampler: .init(energy: goodEnergy()))
    let arviz = try names.map { try ArvizFixtures.drawSet($0).arviz }
    #expect(agreesWithArviz(fit.maxRhat, arviz.compactMap(\.rhat_rank).max()))
    #expect(fit.maxRhatParameter == "shifted_chain")
    #expect(agreesWithArviz(fit.minESSBulk, arviz.compactMap(\.ess_bulk).min()))
    #expect(agreesWithArviz(fit.minESSTail, arviz.compactMap(\.ess_tail).min()))
    #expect(fit.nEffRatio == fit.minESSBulk / 2000)
    let bfmi = try ArvizFixtures.energySet("good_energy").arviz_bfmi.compactMap { $0 }
    #expect(agreesWithArviz(try #require(fit.minBFMI), bfmi.min()))
    #expect(fit.parameters.map(\.name) == names)
}

@Test(arguments: ["shifted_chain", "stuck_constant_chain"])
func nonMixingFitIsFlaggedForRhat(_ name: String) throws {
    let fit = try FitDiagnostics(parameters: fixtureParameters(["iid_normal", name]))
    #expect(fit.maxRhat > 1.1)
    #expect(!fit.status.isGood)
    let rhatReason = try #require(fit.status.reasons.first { $0.contains("R̂") })
    #expect(rhatReason.contains("max R̂") && rhatReason.contains("> 1.01") && rhatReason.contains(name))
    #expect(fit.status.issues.contains { if case .rhatAboveLimit = $0 { true } else { false } })
}

@Test func reasonReadsLikeTheSpec() {
    let issue = FitIssue.rhatAboveLimit(parameter: "sigma", rhat: 1.1234, limit: 1.01, parametersAbove: 3, parameterCount: 50)
    #expect(issue.description.hasPrefix("max R̂ 1.123 > 1.01 (parameter 'sigma', 3 of 50 parameters above)"))
}

@Test func anyDivergenceFlagsTheFit() throws {
    var divergent = noFlags()
    divergent[2][17] = true
    divergent[3][400] = true
    let fit = try FitDiagnostics(
        parameters: fixtureParameters(["iid_normal"]), sampler: .init(divergent: divergent))
    #expect(fit.divergentCount == 2)
    #expect(fit.status == .flagged([.divergentTransitions(count: 2, limit: 0)]))
    #expect(fit.status.reasons == ["2 divergent transitions > 0 allowed: draws may be biased"])
}

@Test func lowBFMIFlagsEachBadChain() throws {
    let energy = try ArvizFixtures.energySet("mixed_energy").energy
    let fit = try FitDiagnostics(parameters: fixtureParameters(["iid_normal"]), sampler: .init(energy: energy))
    let flaggedChains = fit.status.issues.compactMap { issue -> Int? in
        if case let .bfmiBelowLimit(chain, _, limit) = issue, limit == 0.2 { return chain }
        return nil
    }
    #expect(flaggedChains == [2, 3])
    #expect(try #require(fit.minBFMI) < 0.2)
}

@Test func samplersWithoutEnergyHaveNoBFMI() throws {
    let fit = try FitDiagnostics(parameters: fixtureParameters(["iid_normal"]))
    #expect(fit.minBFMI == nil && fit.bfmiByChain == nil)
    #expect(fit.status == .good)
}

@Test func lowESSFlagsTheFit() throws {
    let fit = try FitDiagnostics(parameters: fixtureParameters(["ar1_phi_0_99"]))
    #expect(fit.status.issues.contains { if case .essBulkBelowLimit(parameter: "ar1_phi_0_99", _, 100) = $0 { true } else { false } })
    #expect(fit.status.reasons.contains { $0.hasPrefix("min bulk ESS 6.5 < 100") })
}

@Test func thresholdsAreConfigurable() throws {
    let lenient = DiagnosticThresholds(maxRhat: 2, minESSBulk: 5, minESSTail: 5)
    let fit = try FitDiagnostics(parameters: fixtureParameters(["shifted_chain"]), thresholds: lenient)
    #expect(fit.status == .good)
    #expect(fit.thresholds == lenient)
    let strict = fit.rejudged(under: .default)
    #expect(!strict.status.isGood && strict.thresholds == .default)
    // Rejudging equals diagnosing afresh under the new limits (not a
    // comparison of `status(under:)` with itself, which `rejudged` calls).
    let fresh = try FitDiagnostics(parameters: fixtureParameters(["shifted_chain"]), thresholds: .default)
    #expect(strict.status == fresh.status)
}

@Test func treeDepthHitsAreCountedAndFlaggedOnlyWithALimit() throws {
    var hits = noFlags()
    for i in 0..<30 { hits[1][i] = true }
    let parameters = try fixtureParameters(["iid_normal"])
    let fit = try FitDiagnostics(parameters: parameters, sampler: .init(hitMaxTreeDepth: hits))
    #expect(fit.treeDepthHitCount == 30 && fit.status == .good)
    let limited = fit.rejudged(under: DiagnosticThresholds(maxTreeDepthHits: 10))
    #expect(limited.status == .flagged([.treeDepthHits(count: 30, limit: 10)]))
}

/// An iteration whose update could not factor the matrix it needed did not
/// make the transition the sampler is proven for: any such iteration flags
/// the fit, whatever the thresholds; none leaves it good.
@Test func failedFactorizationsAreCountedAndAlwaysFlagged() throws {
    var failed = noFlags()
    failed[2][7] = true
    failed[3][0] = true
    let parameters = try fixtureParameters(["iid_normal"])
    let fit = try FitDiagnostics(parameters: parameters, sampler: .init(failedFactorization: failed))
    #expect(fit.failedFactorizationCount == 2)
    #expect(fit.status == .flagged([.failedFactorizations(count: 2)]))
    let lenient = DiagnosticThresholds(maxRhat: 2, maxDivergentTransitions: 1000, minBFMI: 0, minESSBulk: 5,
                                       minESSTail: 5, maxTreeDepthHits: nil)
    #expect(fit.rejudged(under: lenient).status == .flagged([.failedFactorizations(count: 2)]))
    let clean = try FitDiagnostics(parameters: parameters, sampler: .init(failedFactorization: noFlags()))
    #expect(clean.failedFactorizationCount == 0 && clean.status == .good)
    #expect(throws: DiagnosticsError.self) {
        try FitDiagnostics(parameters: parameters, sampler: .init(failedFactorization: [[false]]))
    }
}

@Test func singleChainFitIsFlaggedBecauseRhatIsUndefined() throws {
    let fit = try FitDiagnostics(parameters: fixtureParameters(["single_chain"]))
    #expect(fit.maxRhat.isNaN)
    #expect(fit.status.reasons.contains { $0.contains("R̂ undefined with 1 chain") })
}

@Test func dictionaryInputIsReportedInNameOrder() throws {
    let chains = try ArvizFixtures.drawSet("iid_normal").draws
    let split = (0..<chains.chainCount).map { Array(chains.chain($0)) }
    let fit = try FitDiagnostics(parameters: ["tau": split, "alpha": split, "sigma": split])
    #expect(fit.parameters.map(\.name) == ["alpha", "sigma", "tau"])
}

@Test func mismatchedShapesAreRejectedWithActionableErrors() throws {
    let a = try ChainDraws([[1, 2, 3, 4], [2, 3, 4, 5]])
    let b = try ChainDraws([[1, 2, 3, 4, 5], [2, 3, 4, 5, 6]])
    #expect(throws: DiagnosticsError.parameterShapeMismatch(parameter: "b", chains: 2, draws: 5, expectedChains: 2, expectedDraws: 4)) {
        try FitDiagnostics(parameters: [("a", a), ("b", b)])
    }
    #expect(throws: DiagnosticsError.noParameters) { try FitDiagnostics(parameters: []) }
}
