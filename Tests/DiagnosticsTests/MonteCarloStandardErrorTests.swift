import Testing
import Diagnostics

@Test(arguments: ArvizFixtures.drawSetNames)
func mcseMatchesArviz(_ name: String) throws {
    let (draws, arviz) = try ArvizFixtures.drawSet(name)
    #expect(agreesWithArviz(mcseMean(draws), arviz.mcse_mean), "MCSE of the mean of \(name)")
    #expect(agreesWithArviz(mcseSD(draws), arviz.mcse_sd), "MCSE of the sd of \(name)")
    for (p, expected) in zip(arviz.quantile_probs, arviz.mcse_quantile) {
        #expect(agreesWithArviz(mcseQuantile(draws, probability: p), expected), "MCSE of q\(p) of \(name)")
    }
}

@Test func mcseOfTheMeanShrinksLikeOneOverRootESS() throws {
    let (draws, _) = try ArvizFixtures.drawSet("iid_normal")
    // The draws are N(1, 2²): MCSE ≈ 2/√ESS.
    let expected = 2 / essMean(draws).squareRoot()
    #expect(abs(mcseMean(draws) - expected) < 0.1 * expected)
}

@Test func mcseIsNaNForNaNDraws() throws {
    let draws = try ChainDraws([[1, 2, .nan, 4, 5], [1, 2, 3, 4, 5]])
    #expect(mcseMean(draws).isNaN && mcseSD(draws).isNaN && mcseQuantile(draws, probability: 0.5).isNaN)
}

@Test func quantileIntervalIsPlusMinusOneStandardDeviation() {
    #expect(abs(mcseQuantileIntervalProbabilities.lower - 0.15865525393145707) < 1e-7)
    #expect(abs(mcseQuantileIntervalProbabilities.upper - 0.8413447460685429) < 1e-7)
}
