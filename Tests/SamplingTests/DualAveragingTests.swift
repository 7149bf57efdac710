import Testing
import RealModule
import Sampling

/// On a toy acceptance function `a(ε) = exp(−ε)`, decreasing in the step
/// size like a real sampler's, dual averaging drives the averaged step size
/// to the root of `a(ε) = 0.8`, `ε* = −log 0.8 ≈ 0.223`, from far above and
/// from far below.
@Test(arguments: [10.0, 1e-3])
func dualAveragingConvergesToTheTargetAcceptance(initialStepSize: Double) {
    var adaptation = DualAveraging(target: 0.8, initialStepSize: initialStepSize)
    var epsilon = initialStepSize
    for _ in 0..<5000 { epsilon = adaptation.update(acceptance: Double.exp(-epsilon)) }
    let root = -Double.log(0.8)
    #expect(adaptation.finalStepSize.isApproximatelyEqual(to: root, relativeTolerance: 0.02),
            "ε̄ = \(adaptation.finalStepSize)")
    #expect(epsilon.isApproximatelyEqual(to: root, relativeTolerance: 0.05), "ε = \(epsilon)")
}

/// A non-finite acceptance statistic counts as 0 (the step is too large),
/// so the next step size shrinks instead of becoming NaN.
@Test func nonFiniteAcceptanceShrinksTheStepSize() {
    var adaptation = DualAveraging(target: 0.8, initialStepSize: 1)
    let afterNaN = adaptation.update(acceptance: .nan)
    #expect(afterNaN.isFinite)
    var reference = DualAveraging(target: 0.8, initialStepSize: 1)
    #expect(afterNaN.isApproximatelyEqual(to: reference.update(acceptance: 0), relativeTolerance: 1e-15))
    var accepting = DualAveraging(target: 0.8, initialStepSize: 1)
    #expect(afterNaN < accepting.update(acceptance: 1))
}
