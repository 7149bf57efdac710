import Testing
import Diagnostics

@Test(arguments: ArvizFixtures.drawSetNames)
func parameterConvergenceMatchesArviz(_ name: String) throws {
    let (draws, arviz) = try ArvizFixtures.drawSet(name)
    let result = ParameterConvergence(name: name, draws: draws)
    #expect(result.name == name)
    #expect(agreesWithArviz(result.rhat, arviz.rhat_rank))
    #expect(agreesWithArviz(result.bulkRhat, arviz.rhat_z_scale))
    #expect(agreesWithArviz(result.tailRhat, arviz.rhat_folded))
    #expect(agreesWithArviz(result.essBulk, arviz.ess_bulk))
    #expect(agreesWithArviz(result.essTail, arviz.ess_tail))
}

/// The shared-sort path must give bit-for-bit the standalone functions' numbers.
@Test(arguments: ArvizFixtures.drawSetNames)
func parameterConvergenceEqualsStandaloneFunctions(_ name: String) throws {
    let (draws, _) = try ArvizFixtures.drawSet(name)
    let result = ParameterConvergence(draws: draws)
    #expect(result.rhat.isNaN ? rankNormalizedSplitRhat(draws).isNaN : result.rhat == rankNormalizedSplitRhat(draws))
    #expect(result.essBulk == essBulk(draws))
    #expect(result.essTail == essTail(draws))
}

@Test func parameterConvergenceOfNaNDrawsIsNaN() throws {
    let result = ParameterConvergence(draws: try ChainDraws([[1, .nan, 3, 4], [1, 2, 3, 4]]))
    #expect(result.rhat.isNaN && result.essBulk.isNaN && result.essTail.isNaN)
}
