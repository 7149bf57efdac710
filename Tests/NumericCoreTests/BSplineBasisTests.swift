import Foundation
import NumericCore
import Testing

/// The cubic B-spline basis: partition of unity, non-negativity, exact cubic
/// reproduction, agreement with the Cox–de Boor recursion, derivatives, and
/// the knot rule.
struct BSplineBasisTests {
    /// Bases of the sizes slowreg meets: one interval, a few, a year of days,
    /// on ranges that do not start at zero.
    static let bases: [BSplineBasis] = [
        try! BSplineBasis(count: 4, lower: 0, upper: 1),
        try! BSplineBasis(count: 7, lower: 3, upper: 60),
        try! BSplineBasis(count: 46, lower: 0, upper: 364),
        try! BSplineBasis(count: 13, lower: -2.5, upper: 17.25),
    ]

    /// Evaluation points: a fine grid plus every knot inside the range.
    static func grid(_ basis: BSplineBasis, count: Int = 997) -> [Double] {
        let range = basis.upper - basis.lower
        var points = (0...count).map { basis.lower + range * Double($0) / Double(count) }
        points += basis.knots.filter { $0 >= basis.lower && $0 <= basis.upper }
        return points
    }

    @Test(arguments: bases)
    func partitionOfUnity(_ basis: BSplineBasis) {
        for x in Self.grid(basis) {
            let sum = basis.row(x).reduce(0, +)
            #expect(abs(sum - 1) <= 1e-14, "Σ B_k(\(x)) = \(sum)")
        }
    }

    @Test(arguments: bases)
    func nonNegativeWithFourNonZeros(_ basis: BSplineBasis) {
        for x in Self.grid(basis) {
            let row = basis.row(x)
            #expect(row.allSatisfy { $0 >= 0 }, "negative basis value at \(x)")
            #expect(row.filter { $0 != 0 }.count <= 4)
            let (first, _) = basis.evaluate(x)
            #expect(first >= 0 && first + 3 < basis.count)
        }
    }

    /// A cubic `p(t)`, `t = (x − lo)/(hi − lo)`, is in the span of the basis: the
    /// least-squares fit (normal equations solved by the Cholesky layer) is exact
    /// up to rounding (~1e-10, limited by the conditioning of BᵀB).
    @Test(arguments: bases)
    func reproducesCubicPolynomialsExactly(_ basis: BSplineBasis) throws {
        let cubic = { (t: Double) in 1.3 - 2 * t + 0.7 * t * t + 3.1 * t * t * t }
        let error = try Self.leastSquaresError(basis, cubic)
        #expect(error <= 1e-10, "max error \(error)")
    }

    /// The same check has teeth: a quartic is not reproduced (with few basis
    /// functions), so a broken basis cannot pass the cubic test by luck.
    @Test func doesNotReproduceAQuartic() throws {
        let basis = try BSplineBasis(count: 5, lower: 0, upper: 10)
        let error = try Self.leastSquaresError(basis) { t in t * t * t * t }
        #expect(error > 1e-4)
    }

    /// Max |p(x) − Σ β_k B_k(x)| over a fine grid after a least-squares fit on 500 points.
    static func leastSquaresError(_ basis: BSplineBasis, _ p: (Double) -> Double) throws -> Double {
        let k = basis.count
        let range = basis.upper - basis.lower
        let fitPoints = (0..<500).map { basis.lower + range * Double($0) / 499 }
        var design = Matrix(rows: fitPoints.count, columns: k)
        var target = [Double](repeating: 0, count: fitPoints.count)
        for (i, x) in fitPoints.enumerated() {
            let row = basis.row(x)
            for j in 0..<k { design[i, j] = row[j] }
            target[i] = p((x - basis.lower) / range)
        }
        let gram = design.multiply(design, transposeSelf: true)
        let beta = try CholeskyFactor(gram).solve(design.multiply(target, transpose: true))
        return grid(basis, count: 2_003).map { x in
            abs(basis.value(x, coefficients: beta) - p((x - basis.lower) / range))
        }.max()!
    }

    /// An independent evaluation: the Cox–de Boor recursion on the knots
    /// `t_j = lo + (j − 3)h`, `B_{j,0} = 1` on `[t_j, t_{j+1})` (the last interval
    /// inside the range, `[t_{K−1}, t_K]`, also holds its right end),
    /// `B_{j,p} = (x − t_j)/(t_{j+p} − t_j)·B_{j,p−1} + (t_{j+p+1} − x)/(t_{j+p+1} − t_{j+1})·B_{j+1,p−1}`.
    static func coxDeBoor(_ x: Double, knots t: [Double], basisCount k: Int) -> [Double] {
        let interval = min(k - 1, t.lastIndex(where: { $0 <= x })!)
        func b(_ j: Int, _ p: Int) -> Double {
            if p == 0 { return j == interval ? 1 : 0 }
            var value = 0.0
            if t[j + p] != t[j] { value += (x - t[j]) / (t[j + p] - t[j]) * b(j, p - 1) }
            if t[j + p + 1] != t[j + 1] { value += (t[j + p + 1] - x) / (t[j + p + 1] - t[j + 1]) * b(j + 1, p - 1) }
            return value
        }
        return (0..<k).map { b($0, 3) }
    }

    @Test(arguments: bases)
    func agreesWithCoxDeBoorRecursion(_ basis: BSplineBasis) {
        let h = (basis.upper - basis.lower) / Double(basis.count - 3)
        let knots = (0..<(basis.count + 4)).map { basis.lower + Double($0 - 3) * h }
        for (a, b) in zip(basis.knots, knots) { #expect(isClose(a, b, relative: 1e-15, absolute: 1e-13)) }
        for x in Self.grid(basis) {
            let expected = Self.coxDeBoor(x, knots: knots, basisCount: basis.count)
            let difference = maxAbsDifference(basis.row(x), expected)
            #expect(difference <= 1e-12, "at x = \(x): max difference \(difference)")
        }
    }

    @Test(arguments: bases)
    func derivativeMatchesFiniteDifferences(_ basis: BSplineBasis) {
        let range = basis.upper - basis.lower
        // Central differences with step 1e-6·range stay inside the range; the
        // truncation error h²/6·B''' is ~1e-12/h_knot² and rounding ~1e-16/1e-6.
        let step = 1e-6 * range
        for x in Self.grid(basis, count: 311) where x - step >= basis.lower && x + step <= basis.upper {
            let plus = basis.row(x + step), minus = basis.row(x - step)
            let numeric = zip(plus, minus).map { ($0 - $1) / (2 * step) }
            let analytic = basis.derivativeRow(x)
            let scale = 1 / basis.spacing
            #expect(maxAbsDifference(analytic, numeric) <= 1e-7 * scale, "at x = \(x)")
            #expect(abs(analytic.reduce(0, +)) <= 1e-12 * scale, "derivatives of a partition of unity sum to 0")
        }
    }

    @Test func valueIsTheRowTimesTheCoefficients() throws {
        let basis = try BSplineBasis(count: 9, lower: 0, upper: 50)
        let beta = (0..<9).map { sin(Double($0)) + 2 }
        for x in stride(from: 0.0, through: 50.0, by: 0.37) {
            #expect(isClose(basis.value(x, coefficients: beta), dot(basis.row(x), beta), relative: 1e-14, absolute: 1e-14))
        }
    }

    @Test func pointsOutsideTheRangeAreClamped() throws {
        let basis = try BSplineBasis(count: 6, lower: 10, upper: 20)
        #expect(basis.row(5) == basis.row(10))
        #expect(basis.row(25) == basis.row(20))
        #expect(basis.evaluate(20).first == 2)
    }

    @Test func invalidBasesThrow() {
        #expect(throws: SplineError.tooFewBasisFunctions(3)) { try BSplineBasis(count: 3, lower: 0, upper: 1) }
        #expect(throws: SplineError.emptyRange(lower: 2, upper: 2)) { try BSplineBasis(count: 5, lower: 2, upper: 2) }
        #expect(throws: SplineError.self) { try BSplineBasis(count: 5, lower: 0, upper: .nan) }
        #expect(throws: SplineError.self) { try BSplineBasis(count: 5, lower: 0, upper: .infinity) }
        #expect(SplineError.emptyRange(lower: 2, upper: 2).description.contains("two distinct days"))
    }

    // MARK: Knot rule

    @Test func knotRuleIsOneBasisFunctionPerEightDaysAtLeastFour() {
        #expect(KnotRule.basisCount(maxDay: 364) == 46, "a year of days: ⌈364/8⌉ = 46")
        #expect(KnotRule.basisCount(maxDay: 368) == 46)
        #expect(KnotRule.basisCount(maxDay: 369) == 47)
        #expect(KnotRule.basisCount(maxDay: 0) == 4)
        #expect(KnotRule.basisCount(maxDay: 1) == 4)
        #expect(KnotRule.basisCount(maxDay: 32) == 4)
        #expect(KnotRule.basisCount(maxDay: 33) == 5)
        for maxDay in 0...2_000 {
            let expected = max(4, Int((Double(maxDay) / 8).rounded(.up)))
            #expect(KnotRule.basisCount(maxDay: maxDay) == expected, "maxDay \(maxDay)")
        }
    }
}

extension BSplineBasis: CustomTestStringConvertible {
    public var testDescription: String { "K=\(count) on [\(lower), \(upper)]" }
}
