import Testing
import NumericCore

@Test func chiSquareUpperTailMatchesKnownValues() {
    // SciPy 1.17: scipy.stats.chi2.sf([9, 16.92, 27.88], 9)
    #expect(abs(chiSquareUpperTail(9, degreesOfFreedom: 9) - 0.43727418891386693) < 1e-12)
    #expect(abs(chiSquareUpperTail(16.92, degreesOfFreedom: 9) - 0.04998360638750561) < 1e-12)
    #expect(abs(chiSquareUpperTail(27.88, degreesOfFreedom: 9) - 0.0009989111107288188) < 1e-14)
}
