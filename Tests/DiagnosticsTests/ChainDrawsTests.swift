import Testing
import Diagnostics

@Test func chainDrawsStoresChainsOneAfterAnother() throws {
    let draws = try ChainDraws([[1, 2, 3, 4], [5, 6, 7, 8]])
    #expect(draws.chainCount == 2)
    #expect(draws.drawCount == 4)
    #expect(draws.totalDrawCount == 8)
    #expect(draws.values == [1, 2, 3, 4, 5, 6, 7, 8])
    #expect(draws[1, 2] == 7)
    #expect(Array(draws.chain(1)) == [5, 6, 7, 8])
}

@Test func chainDrawsRejectsRaggedChains() {
    #expect(throws: DiagnosticsError.unequalChainLengths(chain: 1, count: 3, expected: 4)) {
        try ChainDraws([[1, 2, 3, 4], [1, 2, 3]])
    }
}

@Test func chainDrawsRejectsTooFewDrawsAndNoChains() {
    #expect(throws: DiagnosticsError.tooFewDraws(count: 3, minimum: 4)) { try ChainDraws([[1, 2, 3]]) }
    #expect(throws: DiagnosticsError.noChains) { try ChainDraws([]) }
    #expect(throws: DiagnosticsError.shapeMismatch(valueCount: 7, chainCount: 2, drawCount: 4)) {
        try ChainDraws(flattened: [1, 2, 3, 4, 5, 6, 7], chainCount: 2, drawCount: 4)
    }
}

@Test func shapeErrorsSayWhatToFix() {
    let message = DiagnosticsError.unequalChainLengths(chain: 2, count: 9, expected: 10).description
    #expect(message.contains("chain 2") && message.contains("same length"))
}
