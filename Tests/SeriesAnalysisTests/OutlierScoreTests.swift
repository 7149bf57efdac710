import NumericCore
import SeriesAnalysis
import Testing

/// The outlier score of SPEC §4.3 on small hand-checked series.
struct OutlierScoreTests {
    /// A wiggling series without outliers: 100 + (i mod 5) − 2.
    static func wiggle(_ n: Int, level: Double = 100) -> [Double] {
        (0..<n).map { level + Double($0 % 5) - 2 }
    }

    @Test("Hand-computed z on 0…19 with a spike: first-window rule, backward residuals, MAD scale")
    func handComputed() {
        // y = 0, 1, …, 19 with y[15] = 1000.
        // Forward: the first 9 points use the first window's median 4.5, so
        // r_f = i − 4.5 for i ≤ 9; every later trailing window of consecutive
        // integers (the spike being its largest value) has median i − 4.5, so
        // r_f = 4.5, except r_f[15] = 1000 − 10.5. median(r_f) = 4.5 and
        // |r_f − 4.5| has ten zeros and then 1, 1, 2, …: MAD = 0.5, s = 0.5/0.6745.
        // Backward at 15: the reversed series' first full window is y[10…19],
        // median (14 + 16)/2 = 15, r_b = 985 — smaller than r_f = 989.5.
        // At 10: r_f = 4.5, r_b = 10 − 15 = −5, so z keeps the forward one.
        var values = (0..<20).map(Double.init)
        values[15] = 1000
        let z = OutlierScore().scores(values)
        let s = 0.5 / 0.6745
        #expect(abs(z[15] - 985 / s) < 1e-9)
        #expect(abs(z[0] - (-4.5 / s)) < 1e-12)
        #expect(abs(z[10] - 4.5 / s) < 1e-12)
        #expect(abs(z[4] - (-0.5 / s)) < 1e-12)
    }

    @Test("A spike far from both neighbourhoods is flagged; its neighbours are not")
    func spikeFlagged() {
        var values = Self.wiggle(40)
        values[20] = 160
        let score = OutlierScore()
        let z = score.scores(values)
        #expect(score.isOutlier(z[20]))
        #expect(z.indices.filter { score.isOutlier(z[$0]) } == [20])
    }

    @Test("A level shift is not flagged: the backward residual is small after the shift")
    func levelShiftNotFlagged() {
        let values = Self.wiggle(30, level: 100) + Self.wiggle(30, level: 140)
        let score = OutlierScore()
        let z = score.scores(values)
        #expect(z.allSatisfy { !score.isOutlier($0) })
        // The forward residual alone would flag the first points after the shift:
        // check that the chosen z there is the smaller-magnitude one (near 0).
        #expect(abs(z[30]) < 2)
    }

    @Test("z takes the smaller of |z_f|, |z_b| and keeps its sign")
    func smallerMagnitudeKeepsSign() {
        var values = Self.wiggle(40)
        values[20] = 40 // a drop: both residuals negative
        let z = OutlierScore().scores(values)
        #expect(z[20] < -5)
    }

    @Test("A constant stretch gives zero scale: nothing flagged, z = 0, no division")
    func zeroScale() {
        var values = [Double](repeating: 7, count: 30)
        values[12] = 9
        let z = OutlierScore().scores(values)
        #expect(z.count == 30)
        #expect(z.allSatisfy { $0 == 0 })
    }

    @Test("Shorter than the window: the window shrinks to n (whole-series median)")
    func shortSeries() {
        let values = [10.0, 11, 9, 10.5, 10, 9.5, 60]
        let z = OutlierScore().scores(values)
        let m = median(values)
        let residuals = values.map { $0 - m }
        let s = median(residuals.map { abs($0 - median(residuals)) }) / 0.6745
        for (zi, r) in zip(z, residuals) { #expect(abs(zi - r / s) < 1e-12) }
        #expect(OutlierScore().isOutlier(z[6]))
        #expect(OutlierScore().scores([5]) == [0])
        #expect(OutlierScore().scores([]).isEmpty)
    }

    @Test("Defaults are SPEC §4's window 10 and threshold 5")
    func defaults() {
        #expect(OutlierScore.defaultWindow == 10)
        #expect(OutlierScore.defaultThreshold == 5)
        #expect(!OutlierScore().isOutlier(5))
        #expect(OutlierScore().isOutlier(-5.000001))
    }
}
