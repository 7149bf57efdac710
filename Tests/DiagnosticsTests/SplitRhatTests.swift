import Foundation
import Testing
import Diagnostics

@Test(arguments: ArvizFixtures.drawSetNames)
func rhatMatchesArviz(_ name: String) throws {
    let (draws, arviz) = try ArvizFixtures.drawSet(name)
    #expect(agreesWithArviz(rankNormalizedSplitRhat(draws), arviz.rhat_rank), "rank R̂ of \(name)")
    #expect(agreesWithArviz(bulkSplitRhat(draws), arviz.rhat_z_scale), "bulk R̂ of \(name)")
    #expect(agreesWithArviz(foldedSplitRhat(draws), arviz.rhat_folded), "folded R̂ of \(name)")
    #expect(agreesWithArviz(splitRhat(draws), arviz.rhat_split), "split R̂ of \(name)")
    #expect(agreesWithArviz(unsplitRhat(draws), arviz.rhat_identity), "unsplit R̂ of \(name)")
}

@Test(arguments: ["shifted_chain", "stuck_constant_chain"])
func nonMixingChainsGiveLargeRhat(_ name: String) throws {
    let (draws, _) = try ArvizFixtures.drawSet(name)
    #expect(rankNormalizedSplitRhat(draws) > 1.1)
}

@Test func rankRhatIsTheLargerOfBulkAndFolded() throws {
    let (draws, _) = try ArvizFixtures.drawSet("stuck_nearly_constant_chain")
    let rank = rankNormalizedSplitRhat(draws)
    #expect(rank == max(bulkSplitRhat(draws), foldedSplitRhat(draws)))
    // The near-constant chain differs in scale, which only the folded R̂ sees.
    #expect(foldedSplitRhat(draws) > bulkSplitRhat(draws))
}

@Test func splittingCatchesATrendWithinChains() throws {
    // Both chains drift the same way: unsplit R̂ sees identical chains, split R̂ the drift.
    let trend = (0..<200).map { Double($0) / 20 + sin(Double($0)) }
    let draws = try ChainDraws([trend, trend.map { $0 + 0.01 }])
    #expect(unsplitRhat(draws) < 1.01)
    #expect(rankNormalizedSplitRhat(draws) > 1.5)
}

@Test func rhatIsNaNWithOneChainOrNaNDraws() throws {
    #expect(rankNormalizedSplitRhat(try ChainDraws([[1, 2, 3, 4, 5]])).isNaN)
    #expect(rankNormalizedSplitRhat(try ChainDraws([[1, 2, .nan, 4], [1, 2, 3, 4]])).isNaN)
    #expect(rhatMinimumChainCount == 2)
}
