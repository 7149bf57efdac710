import NumericCore
import Testing

/// Special functions against SciPy (fixtures from make_numeric_fixtures.py).
struct SpecialFunctionsTests {
    @Test func logGammaMatchesSciPy() throws {
        let reference = try NumericReference.load()
        for pair in reference.specialFunctions.logGamma {
            // glibc lgamma is good to a few ulp; the absolute part covers the zeros at 1 and 2.
            #expect(isClose(logGamma(pair[0]), pair[1], relative: 1e-14, absolute: 1e-15), "logGamma(\(pair[0]))")
        }
    }

    @Test func digammaMatchesSciPy() throws {
        let reference = try NumericReference.load()
        for pair in reference.specialFunctions.digamma {
            // Asymptotic series error < 1e-14 plus rounding of the recurrence; the
            // absolute part covers the root near 1.4616 where ψ ≈ 0.
            #expect(isClose(digamma(pair[0]), pair[1], relative: 1e-13, absolute: 1e-14), "digamma(\(pair[0]))")
        }
    }

    @Test func digammaEdgeCases() {
        #expect(digamma(0).isNaN)
        #expect(digamma(-1.5).isNaN)
        #expect(digamma(.nan).isNaN)
        #expect(digamma(.infinity) == .infinity)
    }

    @Test func digammaIsTheDerivativeOfLogGamma() {
        for x in [0.3, 1.7, 4.2, 12.0, 150.0] {
            let h = 1e-5 * x
            let numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h)
            #expect(isClose(digamma(x), numeric, relative: 1e-7, absolute: 1e-8), "ψ(\(x))")
        }
    }

    @Test func inverseNormalCDFMatchesSciPy() throws {
        let reference = try NumericReference.load()
        for pair in reference.specialFunctions.inverseNormalCDF {
            #expect(isClose(inverseNormalCDF(pair[0]), pair[1], relative: 1e-14, absolute: 1e-15),
                    "Φ⁻¹(\(pair[0]))")
        }
    }

    @Test func inverseNormalCDFEdgeCases() {
        #expect(inverseNormalCDF(0) == -.infinity)
        #expect(inverseNormalCDF(1) == .infinity)
        #expect(inverseNormalCDF(-0.1).isNaN)
        #expect(inverseNormalCDF(1.1).isNaN)
        #expect(inverseNormalCDF(.nan).isNaN)
    }

    @Test func normalCDFMatchesSciPyAndInvertsInverse() throws {
        let reference = try NumericReference.load()
        for pair in reference.specialFunctions.normalCDF {
            // Φ's relative condition number in the lower tail is ≈ x², so the rounding
            // of x/√2 alone moves the result by ~x²·1e-16 (1.4e-13 at x = −37), in
            // SciPy as here: the tolerance is 4e-16·(4 + x²).
            let x = pair[0]
            #expect(isClose(normalCDF(x), pair[1], relative: 4e-16 * (4 + x * x)), "Φ(\(x))")
        }
        for p in stride(from: 0.001, through: 0.999, by: 0.0137) {
            #expect(isClose(normalCDF(inverseNormalCDF(p)), p, relative: 1e-14), "Φ(Φ⁻¹(\(p)))")
        }
    }

    @Test func logSumExpMatchesSciPy() throws {
        let reference = try NumericReference.load()
        for item in reference.specialFunctions.logSumExp {
            #expect(isClose(logSumExp(item.values), item.expected, relative: 1e-14, absolute: 1e-14),
                    "logSumExp(\(item.values.prefix(4))…)")
        }
    }

    @Test func logSumExpEdgeCases() {
        #expect(logSumExp([]) == -.infinity)
        #expect(logSumExp([-.infinity, -.infinity]) == -.infinity)
        #expect(isClose(logSumExp([-.infinity, 2.5]), 2.5, relative: 1e-15))
        #expect(logSumExp([1, .infinity]) == .infinity)
    }

    @Test func logAddExpMatchesNumPy() throws {
        let reference = try NumericReference.load()
        for triple in reference.specialFunctions.logAddExp {
            #expect(isClose(logAddExp(triple[0], triple[1]), triple[2], relative: 1e-15, absolute: 1e-15),
                    "logAddExp(\(triple[0]), \(triple[1]))")
        }
        #expect(logAddExp(-.infinity, -.infinity) == -.infinity)
        #expect(isClose(logAddExp(-.infinity, 3), 3, relative: 1e-15))
    }
}
