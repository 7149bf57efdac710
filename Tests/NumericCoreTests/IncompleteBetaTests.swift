import Foundation
import NumericCore
import Testing

/// `regularizedIncompleteBeta`, its inverse and `logBeta` against reference
/// values from `scripts/fixtures/incomplete_beta.py` (`Fixtures/incomplete_beta.csv`):
/// SciPy's `betainc` / `betaincinv` / `betaln`, and the same quantities at 60
/// digits with mpmath by an independent series. Shapes 0.05 … 40 000, both tails.
///
/// Probabilities and quantiles are compared relative to the smaller tail,
/// `min(v, 1 − v)`, plus a floor of two ulps of 1 (4.5e-16): a value near 1
/// cannot be represented more closely than that.
struct IncompleteBetaTests {
    struct ReferenceValue {
        let a: Double
        let b: Double
        let argument: Double
        let scipy: Double
        let exact: Double
    }

    static func referenceValues(_ kind: String) throws -> [ReferenceValue] {
        let url = try #require(Bundle.module.url(forResource: "incomplete_beta", withExtension: "csv",
                                                 subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        return try lines.compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f[0] == kind else { return nil }
            return ReferenceValue(a: try #require(Double(f[1])), b: try #require(Double(f[2])),
                                  argument: try #require(Double(f[3])), scipy: try #require(Double(f[4])),
                                  exact: try #require(Double(f[5])))
        }
    }

    static let unitFloor = 4.5e-16

    static func tailTolerance(_ relative: Double, _ value: Double) -> Double {
        relative * Swift.min(value, 1 - value) + unitFloor
    }

    @Test("I_x(a, b) matches the 60-digit values to 1e-12 and SciPy's betainc to 1e-9, relative in the smaller tail")
    func cdfMatchesReference() throws {
        let cases = try Self.referenceValues("cdf")
        #expect(cases.count == 729)
        for c in cases {
            let ours = regularizedIncompleteBeta(c.argument, a: c.a, b: c.b)
            #expect(abs(ours - c.exact) <= Self.tailTolerance(1e-12, c.exact),
                    "I_\(c.argument)(\(c.a), \(c.b)) = \(ours), exact \(c.exact)")
            #expect(abs(ours - c.scipy) <= Self.tailTolerance(1e-9, c.scipy),
                    "I_\(c.argument)(\(c.a), \(c.b)) = \(ours), SciPy \(c.scipy)")
        }
    }

    @Test("The Beta quantile matches the 60-digit values to 1e-11 and SciPy's betaincinv to 1e-9")
    func quantileMatchesReference() throws {
        let cases = try Self.referenceValues("quantile")
        #expect(cases.count == 648)
        for c in cases {
            let ours = inverseRegularizedIncompleteBeta(c.argument, a: c.a, b: c.b)
            #expect(abs(ours - c.exact) <= Self.tailTolerance(1e-11, c.exact),
                    "quantile \(c.argument) of Beta(\(c.a), \(c.b)) = \(ours), exact \(c.exact)")
            #expect(abs(ours - c.scipy) <= Self.tailTolerance(1e-9, c.scipy),
                    "quantile \(c.argument) of Beta(\(c.a), \(c.b)) = \(ours), SciPy \(c.scipy)")
        }
    }

    @Test("log B(a, b) matches the 60-digit values to 1e-14 and SciPy's betaln to 1e-10 (relative, absolute below 1)")
    func logBetaMatchesReference() throws {
        let cases = try Self.referenceValues("logbeta")
        #expect(cases.count == 81)
        for c in cases {
            let ours = logBeta(c.a, c.b)
            let scale = Swift.max(1, abs(c.exact))
            #expect(abs(ours - c.exact) <= 1e-14 * scale, "log B(\(c.a), \(c.b)) = \(ours), exact \(c.exact)")
            // SciPy's betaln is off by up to 1.2e-11 relative when one shape is 40 000.
            #expect(abs(ours - c.scipy) <= 1e-10 * scale, "log B(\(c.a), \(c.b)) = \(ours), SciPy \(c.scipy)")
        }
    }

    @Test("The inverse undoes I_x: I at the p-quantile gives back p")
    func inverseRoundTrip() {
        for (a, b) in [(0.3, 7.0), (4.0, 4.0), (120.0, 3.0), (0.8, 0.8)] {
            for p in stride(from: 0.01, through: 0.99, by: 0.07) {
                let x = inverseRegularizedIncompleteBeta(p, a: a, b: b)
                #expect(abs(regularizedIncompleteBeta(x, a: a, b: b) - p) <= 1e-12, "a=\(a) b=\(b) p=\(p)")
            }
        }
    }

    @Test("Closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b")
    func closedForms() {
        for x in [0.001, 0.2, 0.5, 0.77, 0.999] {
            #expect(abs(regularizedIncompleteBeta(x, a: 1, b: 1) - x) <= 1e-15)
            #expect(abs(regularizedIncompleteBeta(x, a: 3.5, b: 1) - Foundation.pow(x, 3.5)) <= 1e-14)
            #expect(abs(regularizedIncompleteBeta(x, a: 1, b: 2.5) - (1 - Foundation.pow(1 - x, 2.5))) <= 1e-14)
        }
    }

    @Test("Edges: clamping outside [0, 1], point masses for zero shapes, NaN for bad input")
    func edges() {
        #expect(regularizedIncompleteBeta(-0.5, a: 2, b: 3) == 0)
        #expect(regularizedIncompleteBeta(1.5, a: 2, b: 3) == 1)
        #expect(regularizedIncompleteBeta(0.3, a: 0, b: 3) == 1)
        #expect(regularizedIncompleteBeta(0.3, a: 3, b: 0) == 0)
        #expect(regularizedIncompleteBeta(0.3, a: -1, b: 3).isNaN)
        #expect(regularizedIncompleteBeta(.nan, a: 1, b: 3).isNaN)
        #expect(inverseRegularizedIncompleteBeta(0, a: 2, b: 3) == 0)
        #expect(inverseRegularizedIncompleteBeta(1, a: 2, b: 3) == 1)
        #expect(inverseRegularizedIncompleteBeta(0.05, a: 0, b: 9) == 0)
        #expect(inverseRegularizedIncompleteBeta(0.95, a: 9, b: 0) == 1)
        #expect(inverseRegularizedIncompleteBeta(0.2, a: 0, b: 0) == 0)
        #expect(inverseRegularizedIncompleteBeta(0.8, a: 0, b: 0) == 1)
        #expect(inverseRegularizedIncompleteBeta(0.5, a: 2, b: -3).isNaN)
        #expect(logBeta(0, 2).isNaN)
    }
}
