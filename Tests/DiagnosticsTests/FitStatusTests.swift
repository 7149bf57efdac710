import Testing
import Diagnostics

@Test func goodStatusHasNoReasons() {
    #expect(FitStatus.good.isGood)
    #expect(FitStatus.good.reasons.isEmpty)
    #expect(FitStatus.good.description == "good")
}

@Test func flaggedStatusListsEveryReason() {
    let status = FitStatus.flagged([
        .divergentTransitions(count: 4, limit: 0),
        .bfmiBelowLimit(chain: 1, bfmi: 0.1234, limit: 0.2),
    ])
    #expect(!status.isGood)
    #expect(status.reasons == [
        "4 divergent transitions > 0 allowed: draws may be biased",
        "E-BFMI 0.123 < 0.2 in chain 1: poor energy exploration",
    ])
    #expect(status.description.hasPrefix("flagged: 4 divergent"))
}

@Test func essReasonsNameTheParameter() {
    let issue = FitIssue.essTailBelowLimit(parameter: "tau", ess: 42.04, limit: 100)
    #expect(issue.description == "min tail ESS 42 < 100.0 (parameter 'tau')")
}
