import Testing
import NumericCore
import RealModule
import Sampling

/// Invariance of one slice-sampling step: starting from independent exact
/// draws of a density and applying one step to each leaves independent
/// draws of the same density, so the mean and variance of the stepped
/// sample match the density's within Monte Carlo error of an iid sample
/// (4 × the standard error; the variance's standard error from the fourth
/// central moment, `√((μ₄ − σ⁴)/n)`).
private func expectInvariant(count n: Int, width: Double, mean: Double, variance: Double, fourthMoment: Double,
                             exactDraw: (inout RandomStream) -> Double, logDensity: (Double) -> Double) {
    var rng = RandomStream(seed: 21)
    var moments = RunningMoments()
    var moved = 0
    for _ in 0..<n {
        let x = exactDraw(&rng)
        let next = SliceSampler.step(from: x, current: logDensity(x), width: width, rng: &rng, logDensity: logDensity)
        #expect(next.logDensity.isApproximatelyEqual(to: logDensity(next.x), absoluteTolerance: 1e-12))
        if next.x != x { moved += 1 }
        moments.add(next.x)
    }
    let nD = Double(n)
    #expect(moved > n * 99 / 100, "the step moved only \(moved) of \(n) points")
    #expect(abs(moments.mean - mean) < 4 * (variance / nD).squareRoot(), "mean \(moments.mean) vs \(mean)")
    #expect(abs(moments.variance - variance) < 4 * ((fourthMoment - variance * variance) / nD).squareRoot(),
            "variance \(moments.variance) vs \(variance)")
}

@Test(arguments: [0.3, 2.5, 20])
func sliceStepLeavesAStandardNormalInvariant(width: Double) {
    expectInvariant(count: 20_000, width: width, mean: 0, variance: 1, fourthMoment: 3,
                    exactDraw: { $0.standardNormal() }, logDensity: { -0.5 * $0 * $0 })
}

/// A skewed density: Gamma(k = 2, rate 1) on x > 0: mean 2, variance 2,
/// fourth central moment `(3 + 6/k)·σ⁴ = 24`.
@Test func sliceStepLeavesAGammaDensityInvariant() {
    expectInvariant(count: 20_000, width: 2, mean: 2, variance: 2, fourthMoment: 24,
                    exactDraw: { $0.gamma(shape: 2, rate: 1) },
                    logDensity: { $0 > 0 ? Double.log($0) - $0 : -.infinity })
}
