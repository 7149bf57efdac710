import Testing
import Diagnostics

@Test func noSamplerInfoMeansNothingToCount() {
    let info = SamplerTransitionInfo.none
    #expect(info.divergent.isEmpty && info.hitMaxTreeDepth.isEmpty && info.energy == nil)
}

@Test func samplerInfoMustHaveOneEntryPerDraw() throws {
    let draws = try ChainDraws([[1, 2, 3, 4], [2, 3, 4, 5]])
    do {
        _ = try FitDiagnostics(parameters: [("a", draws)], sampler: .init(divergent: [[false, false, false, false]]))
        Issue.record("expected a shape error for one chain of flags")
    } catch let error as DiagnosticsError {
        #expect(error.description.contains("divergent") && error.description.contains("expected 2 chains of 4"))
    }
    #expect(throws: DiagnosticsError.self) {
        try FitDiagnostics(parameters: [("a", draws)], sampler: .init(energy: [[1, 2, 3], [1, 2, 3]]))
    }
    #expect(throws: DiagnosticsError.self) {
        try FitDiagnostics(parameters: [("a", draws)], sampler: .init(energy: []))
    }
}
