import Foundation
import NumericCore
import SplineModels
import Testing

/// The two-mode noise's quantiles, which the step-level fit reports its
/// level (the median) and watches its spread (the quartiles) with.
struct NoiseQuantileTests {
    static let settings: [(offset: Double, share: Double, sigma: Double, nu: Double)] = [
        (8, 0.35, 1, 30), (-5, 0.1, 2, 3), (300, 0.45, 10, 8), (3, 0.5, 1, 2), (0.5, 0.2, 1, 100),
    ]

    @Test func quantilesSolveTheDistributionFunction() {
        for s in Self.settings {
            for p in [0.01, 0.25, 0.5, 0.75, 0.99] {
                let q = StepLevelModel.noiseQuantile(p, offset: s.offset, share: s.share, sigma: s.sigma, nu: s.nu)
                let f = (1 - s.share) * studentTCDF(q / s.sigma, df: s.nu) + s.share * studentTCDF((q - s.offset) / s.sigma, df: s.nu)
                #expect(abs(f - p) < 1e-9, "\(s) p \(p): F(\(q)) = \(f)")
            }
        }
    }

    /// Relabelling — the level moved to the other mode, δ → −δ, π → 1 − π —
    /// describes the same runs: every quantile moves with the level.
    @Test func quantilesDoNotDependOnTheLabels() {
        for s in Self.settings {
            for p in [0.1, 0.5, 0.9] {
                let q = StepLevelModel.noiseQuantile(p, offset: s.offset, share: s.share, sigma: s.sigma, nu: s.nu)
                let relabelled = s.offset + StepLevelModel.noiseQuantile(p, offset: -s.offset, share: 1 - s.share,
                                                                         sigma: s.sigma, nu: s.nu)
                #expect(abs(q - relabelled) < 1e-7 * s.sigma, "\(s) p \(p): \(q) vs \(relabelled)")
            }
        }
    }

    @Test func oneModeIsTheStudentT() {
        #expect(StepLevelModel.noiseMedian(offset: 5, share: 0, sigma: 2, nu: 3) == 0)
        #expect(abs(StepLevelModel.noiseQuantile(0.975, offset: 0, share: 0, sigma: 2, nu: 3) - 2 * 3.1824463052837078) < 1e-8)
        // A minority mode pulls the median towards it, never past the majority's own upper quantile.
        let m = StepLevelModel.noiseMedian(offset: 8, share: 0.35, sigma: 1, nu: 100)
        #expect(m > 0 && m < studentTQuantile(0.5 / 0.65, df: 100) + 1e-9)
    }
}
