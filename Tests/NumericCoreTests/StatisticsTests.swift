import NumericCore
import Testing

/// Quantiles (R type 7), median, normalized MAD and running moments against
/// NumPy/SciPy (fixtures from make_numeric_fixtures.py).
struct StatisticsTests {
    /// Relative tolerance of variances (see `meanAndVarianceMatchNumPy`).
    static let varianceTolerance = 1e-5

    @Test func quantilesMatchNumPyLinearMethod() throws {
        let reference = try NumericReference.load()
        for item in reference.statistics {
            let spread = (item.values.max()! - item.values.min()!) + 1
            let got = quantiles(item.values, item.ps)
            for (k, p) in item.ps.enumerated() {
                #expect(isClose(got[k], item.quantiles[k], relative: 1e-14, absolute: 1e-14 * spread),
                        "q(\(p)) of \(item.values.count) values")
                #expect(isClose(quantile(item.values, p), item.quantiles[k], relative: 1e-14, absolute: 1e-14 * spread))
            }
            let sorted = item.values.sorted()
            #expect(isClose(quantile(sorted: sorted, item.ps[0]), item.quantiles[0], relative: 1e-14))
        }
    }

    @Test func quantileInterpolatesBetweenOrderStatistics() {
        // h = (n − 1)p = 3·0.5 = 1.5 → halfway between the 2nd and 3rd values.
        #expect(isClose(quantile([10, 20, 30, 40], 0.5), 25, relative: 1e-15))
        // h = 3·0.1 = 0.3 → 10 + 0.3·10.
        #expect(isClose(quantile([40, 30, 20, 10], 0.1), 13, relative: 1e-15))
    }

    @Test func medianAndMADMatchNumPy() throws {
        let reference = try NumericReference.load()
        for item in reference.statistics {
            let spread = (item.values.max()! - item.values.min()!) + 1
            #expect(isClose(median(item.values), item.median, relative: 1e-14, absolute: 1e-14 * spread))
            #expect(isClose(normalizedMAD(item.values), item.normalizedMAD, relative: 1e-12, absolute: 1e-12 * spread),
                    "mad of \(item.values.count) values")
        }
    }

    @Test func madIsZeroWhenMostValuesAreEqual() {
        #expect(normalizedMAD([5, 5, 5, 1, 9]) == 0)
        #expect(isClose(madNormalizingConstant, 1 / inverseNormalCDF(0.75), relative: 1e-5))
    }

    @Test func meanAndVarianceMatchNumPy() throws {
        let reference = try NumericReference.load()
        for item in reference.statistics {
            let scale = item.values.map(abs).max()! + 1
            #expect(isClose(mean(item.values), item.mean, relative: 1e-14, absolute: 1e-14 * scale))
            if let v = item.variance {
                // The last case sits at 1e9 with spread 1e-2: rounding the running mean
                // to half an ulp of 1e9 (6e-8) perturbs each deviation by up to 6e-6
                // relative, so Welford is good to ~1e-6 and 1e-5 is the bound; the
                // one-pass Σx² − n·x̄² would be off by ≈ 1e2 ≫ v.
                #expect(isClose(variance(item.values), v, relative: Self.varianceTolerance),
                        "variance of \(item.values.count) values")
            }
        }
    }

    @Test func runningMomentsMatchNumPy() throws {
        let reference = try NumericReference.load()
        for item in reference.statistics {
            var moments = RunningMoments()
            for x in item.values { moments.add(x) }
            let scale = item.values.map(abs).max()! + 1
            #expect(moments.count == item.values.count)
            #expect(isClose(moments.mean, item.mean, relative: 1e-14, absolute: 1e-14 * scale))
            if let v = item.variance, let pv = item.populationVariance {
                #expect(isClose(moments.variance, v, relative: Self.varianceTolerance))
                #expect(isClose(moments.populationVariance, pv, relative: Self.varianceTolerance))
                #expect(isClose(moments.standardDeviation, v.squareRoot(), relative: Self.varianceTolerance))
            } else {
                #expect(moments.variance.isNaN, "variance of one value is undefined")
                #expect(moments.populationVariance == 0)
            }
        }
    }

    @Test func emptyRunningMomentsAreUndefined() {
        let moments = RunningMoments()
        #expect(moments.count == 0)
        #expect(moments.variance.isNaN)
        #expect(moments.populationVariance.isNaN)
    }
}
