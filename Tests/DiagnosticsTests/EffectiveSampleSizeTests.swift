import Testing
import Diagnostics

@Test(arguments: ArvizFixtures.drawSetNames)
func essMatchesArviz(_ name: String) throws {
    let (draws, arviz) = try ArvizFixtures.drawSet(name)
    #expect(agreesWithArviz(essBulk(draws), arviz.ess_bulk), "bulk ESS of \(name)")
    #expect(agreesWithArviz(essTail(draws), arviz.ess_tail), "tail ESS of \(name)")
    #expect(agreesWithArviz(essMean(draws), arviz.ess_mean), "mean ESS of \(name)")
    #expect(agreesWithArviz(essSD(draws), arviz.ess_sd), "sd ESS of \(name)")
    for (p, expected) in zip(arviz.quantile_probs, arviz.ess_quantile) {
        #expect(agreesWithArviz(essQuantile(draws, probability: p), expected), "ESS of q\(p) of \(name)")
    }
}

/// ArviZ: az.ess(np.array([[1.,2,3,4,5,6,7,8],[2,1,4,3,6,5,8,7]]), method="mean").
@Test func essOfShortChainsMatchesArviz() throws {
    let draws = try ChainDraws([[1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 6, 5, 8, 7]])
    #expect(agreesWithArviz(essMean(draws), 19.265919722494797))
}

@Test func essOfIndependentDrawsIsNearTheirNumber() throws {
    let (draws, _) = try ArvizFixtures.drawSet("iid_normal")
    let ess = essBulk(draws)
    // 2000 iid draws: ESS estimates scatter by roughly ±10% around 2000.
    #expect(ess > 1600 && ess < 2400)
}

@Test func strongAutocorrelationShrinksESS() throws {
    let (draws, _) = try ArvizFixtures.drawSet("ar1_phi_0_9")
    // AR(1) with φ = 0.9: τ = (1 + φ)/(1 − φ) = 19, so ESS ≈ 4000/19 ≈ 210.
    let ess = essMean(draws)
    #expect(ess > 140 && ess < 320)
}

@Test func constantDrawsHaveESSEqualToTheirNumber() throws {
    let draws = try ChainDraws([[3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3]])
    #expect(essBulk(draws) == 12)
    #expect(essMean(draws) == 12)
}

@Test func essIsNaNForNaNDrawsAndBadProbabilities() throws {
    let draws = try ChainDraws([[1, 2, .nan, 4, 5], [1, 2, 3, 4, 5]])
    #expect(essBulk(draws).isNaN && essTail(draws).isNaN && essMean(draws).isNaN)
    let clean = try ChainDraws([[1, 2, 3, 4, 5], [2, 1, 3, 5, 4]])
    #expect(essQuantile(clean, probability: 1.5).isNaN)
}

@Test func tailProbabilitiesAreTheCentral90PercentInterval() {
    #expect(tailESSProbabilities.lower == 0.05 && tailESSProbabilities.upper == 0.95)
}
