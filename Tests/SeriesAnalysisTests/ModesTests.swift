import Foundation
import NumericCore
import SeriesAnalysis
import Testing

/// Kernel-density modes (SPEC §7).
///
/// Tolerances come from a simulation of the same estimator (NumPy, 300
/// replicates, direct Gaussian KDE on a 2048-point grid):
/// - mixture 0.6·N(0, 1) + 0.4·N(6, 1), n = 1000: always 2 counted modes; the
///   located modes have mean −0.003 and 6.000, sd 0.057 and 0.072 — so 0.3
///   is over 4 sd;
/// - N(0, 1), n = 500: 1 counted mode in 98.7% of samples (a wiggle near the
///   top occasionally makes a second peak above half the highest).
struct ModesTests {
    static func mixture(n: Int, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        return (0..<n).map { _ in rng.uniform() < 0.6 ? rng.normal(mean: 0, sd: 1) : rng.normal(mean: 6, sd: 1) }
    }

    @Test("Bandwidth is 1.059·min(sd, IQR/1.349)·n^(−1/5)")
    func bandwidth() {
        // 1…10: sd = √(110/12) = 3.0277, IQR (type 7) = 7.75 − 3.25 = 4.5 → 3.3358; min = sd.
        let values = (1...10).map(Double.init)
        let expected = 1.059 * (110.0 / 12).squareRoot() * Foundation.pow(10, -0.2)
        #expect(abs(KernelDensity.normalReferenceBandwidth(values) - expected) < 1e-12)
        // Heavy tail: IQR/1.349 is the smaller.
        let skewed = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 1000]
        let q = quantiles(skewed, [0.25, 0.75])
        let robust = 1.059 * (q[1] - q[0]) / 1.349 * Foundation.pow(10, -0.2)
        #expect(abs(KernelDensity.normalReferenceBandwidth(skewed) - robust) < 1e-12)
    }

    @Test("The density integrates to 1 on its grid")
    func densityIntegrates() throws {
        let kde = try #require(KernelDensity(values: Self.mixture(n: 400, seed: 1)))
        let step = kde.grid[1] - kde.grid[0]
        // Mass beyond the ±3h padding is ≈ 0.13% of a value's kernel at the extremes only.
        #expect(abs(kde.density.reduce(0, +) * step - 1) < 0.005)
    }

    @Test("Separated two-component mixture: 2 modes near 0 and 6, 60/40 split")
    func bimodal() throws {
        let analysis = try ModeAnalysis(values: Self.mixture(n: 1000, seed: 42))
        #expect(analysis.count == 2)
        #expect(analysis.locations.count == 2)
        guard analysis.locations.count == 2 else { return }
        #expect(abs(analysis.locations[0] - 0) < 0.3)
        #expect(abs(analysis.locations[1] - 6) < 0.3)
        // Share of the first component: 0.6 ± 0.0155 (binomial sd), 4 sd.
        #expect(abs(analysis.shares[0] - 0.6) < 0.062)
        #expect(abs(analysis.shares[0] + analysis.shares[1] - 1) < 1e-12)
        let percent1 = Int((analysis.shares[0] * 100).rounded())
        #expect(analysis.summary == "2 modes found; \(percent1)% in mode 1; \(100 - percent1)% in mode 2")
    }

    @Test("A far outlier does not coarsen the grid: still 2 modes near 0 and 6, grid step ≤ h/4")
    func farOutlier() throws {
        let values = Self.mixture(n: 1000, seed: 42) + [1000]
        let kde = try #require(KernelDensity(values: values))
        #expect(kde.grid[1] - kde.grid[0] <= kde.bandwidth / 4 * (1 + 1e-12))
        let analysis = try ModeAnalysis(values: values)
        #expect(analysis.count == 2)
        #expect(analysis.locations.count == 2)
        guard analysis.locations.count == 2 else { return }
        #expect(abs(analysis.locations[0] - 0) < 0.3)
        #expect(abs(analysis.locations[1] - 6) < 0.3)
    }

    @Test("Unimodal normal samples count 1 mode (at least 17 of 20 seeds)")
    func unimodal() throws {
        // With P(1 mode) ≈ 0.987 per sample, P(≤ 16 of 20) ≈ 2e-5.
        var single = 0
        for seed in 0..<20 {
            var rng = RandomStream(seed: 1000 + UInt64(seed))
            let values = (0..<500).map { _ in rng.normal(mean: 50, sd: 3) }
            if try ModeAnalysis(values: values).count == 1 { single += 1 }
        }
        #expect(single >= 17)
    }

    @Test("At most 5 distinct values: one mode at their median, whatever their spacing")
    func fewDistinct() throws {
        let values: [Double] = [1, 1, 1, 100, 100, 100, 200, 200, 300, 400]
        let analysis = try ModeAnalysis(values: values)
        #expect(analysis.count == 1)
        #expect(analysis.locations == [100])
        #expect(analysis.assignment == Array(repeating: 0, count: 10))
        #expect(analysis.summary == "1 mode found; 100% in mode 1")
        // Six distinct values fall back to the density.
        let six = try ModeAnalysis(values: values + [500])
        #expect(six.locations.count >= 1)
    }

    @Test("Counting uses half the highest peak, locating a tenth: a 15% bump is located but not counted")
    func countingVersusLocating() throws {
        var rng = RandomStream(seed: 9)
        let values = (0..<1000).map { _ in rng.uniform() < 0.85 ? rng.normal(mean: 0, sd: 1) : rng.normal(mean: 8, sd: 1) }
        let analysis = try ModeAnalysis(values: values)
        #expect(analysis.count == 1)
        #expect(analysis.locations.count == 2)
        #expect(analysis.summary.hasPrefix("2 modes found; "))
    }

    @Test("Nearest-mode assignment; ties go to the lower mode")
    func assignment() throws {
        let analysis = try ModeAnalysis(values: Self.mixture(n: 600, seed: 5) + [3.0])
        guard analysis.locations.count == 2 else { Issue.record("expected 2 modes"); return }
        let (a, b) = (analysis.locations[0], analysis.locations[1])
        let midpoint = (a + b) / 2
        let probe = try ModeAnalysis(values: Self.mixture(n: 600, seed: 5) + [midpoint - 0.01, midpoint + 0.01])
        #expect(probe.assignment[600] == 0)
        #expect(probe.assignment[601] == 1)
    }

    @Test("Mode counts per major version")
    func perMajorVersion() throws {
        var rows: [(major: Int, value: Double)] = []
        var rng = RandomStream(seed: 77)
        for _ in 0..<400 { rows.append((76, rng.normal(mean: 10, sd: 1))) }
        for v in Self.mixture(n: 800, seed: 78) { rows.append((77, v)) }
        rows.append((75, 3))
        let counts = try modeCountsByMajorVersion(rows)
        #expect(counts.map(\.major) == [75, 76, 77])
        #expect(counts.map(\.modeCount) == [1, 1, 2])
        #expect(counts.map(\.valueCount) == [1, 400, 800])
    }

    @Test("Empty input has no modes; non-finite values are an error")
    func edges() throws {
        let empty = try ModeAnalysis(values: [])
        #expect(empty.count == 0 && empty.locations.isEmpty && empty.summary == "no values: no modes")
        #expect(throws: ModeError.nonFiniteValue(index: 1, value: .infinity)) {
            try ModeAnalysis(values: [1, .infinity])
        }
    }
}
