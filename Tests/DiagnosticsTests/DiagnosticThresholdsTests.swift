import Testing
import Diagnostics

/// SPEC §6: R̂ > 1.01 by default, any divergence, E-BFMI < 0.2.
@Test func defaultThresholdsAreTheSpecs() {
    let thresholds = DiagnosticThresholds.default
    #expect(thresholds.maxRhat == 1.01)
    #expect(thresholds.maxDivergentTransitions == 0)
    #expect(thresholds.minBFMI == 0.2)
    #expect(thresholds.minESSBulk == 100 && thresholds.minESSTail == 100)
    #expect(thresholds.maxTreeDepthHits == nil)
}

@Test func thresholdsCanBeChangedOneAtATime() {
    var thresholds = DiagnosticThresholds(maxRhat: 1.05)
    #expect(thresholds.maxRhat == 1.05 && thresholds.minBFMI == DiagnosticThresholds.defaultMinBFMI)
    thresholds.minBFMI = 0.3
    #expect(thresholds != .default)
}
