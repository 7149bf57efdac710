import NumericCore
import SplineModels
import Testing

/// The design's documented structure: the knot rule, the basis rows at the
/// points, and the Demmler–Reinsch coordinates `β = G[w; c]`.
struct SplineDesignTests {
    static func design(dayCount: Int = 90) throws -> SplineDesign {
        try SplineDesign(days: syntheticSeries(dayCount: dayCount).days.map(Double.init))
    }

    /// `BᵀB` over the data points, densely, from the basis itself.
    static func dataGram(_ design: SplineDesign, days: [Double]) -> Matrix {
        var b = Matrix(rows: days.count, columns: design.count)
        for (i, x) in days.enumerated() {
            let row = design.basis.row(x)
            for k in 0..<design.count { b[i, k] = row[k] }
        }
        return b.multiply(b, transposeSelf: true)
    }

    static func column(_ m: Matrix, _ j: Int) -> [Double] { (0..<m.rows).map { m[$0, j] } }

    @Test func knotRuleAndRange() throws {
        let year = try SplineDesign(days: (0..<365).flatMap { [Double($0), Double($0)] })
        #expect(year.count == 46, "365 days: K = ⌈364/8⌉")
        #expect(year.basis.lower == 0 && year.basis.upper == 364)
        #expect(isClose(year.centre, 182, relative: 1e-15))
        #expect(try SplineDesign(days: [0, 3]).count == 4)
        #expect(try SplineDesign(days: [0, 100], basisCount: 9).count == 9)
        #expect(throws: ModelError.emptySeries) { try SplineDesign(days: []) }
        #expect(throws: ModelError.singleDay(day: 4)) { try SplineDesign(days: [4, 4]) }
    }

    @Test func pointRowsAndFunctionals() throws {
        let days = syntheticSeries().days.map(Double.init)
        let design = try Self.design()
        #expect(design.pointCount == days.count)
        var rng = RandomStream(seed: 1)
        let beta = (0..<design.count).map { _ in rng.standardNormal() }
        let levels = design.pointLevels(beta)
        for (i, x) in days.enumerated() {
            #expect(isClose(levels[i], design.basis.value(x, coefficients: beta), relative: 1e-14, absolute: 1e-14))
        }
        let range = design.basis.upper - design.basis.lower
        #expect(maxAbsDifference(design.levelRow, design.basis.row(design.centre)) <= 1e-15)
        #expect(maxAbsDifference(design.trendRow, design.basis.derivativeRow(design.centre).map { $0 * range }) <= 1e-12)
        let f0 = design.functionalFirst
        for k in 0..<design.count where k < f0 || k > f0 + 3 {
            #expect(design.levelRow[k] == 0 && design.trendRow[k] == 0)
        }
        // A straight line through the coefficients has trend = its rise across the range.
        let line = (0..<design.count).map { Double($0) / Double(design.count - 3) }
        #expect(isClose(dot(design.trendRow, line), 1, relative: 1e-12))
    }

    @Test func weightedCrossProductsMatchDenseProducts() throws {
        let series = syntheticSeries()
        let days = series.days.map(Double.init)
        let design = try Self.design()
        let w = (0..<days.count).map { 0.5 + Double($0 % 3) }
        let (btwb, btwy) = design.weightedCrossProducts(values: series.values, pointWeights: w)
        var expected = Matrix(rows: design.count, columns: design.count)
        var expectedRHS = [Double](repeating: 0, count: design.count)
        for (i, x) in days.enumerated() {
            let row = design.basis.row(x)
            for a in 0..<design.count {
                expectedRHS[a] += w[i] * row[a] * series.values[i]
                for b in 0..<design.count { expected[a, b] += w[i] * row[a] * row[b] }
            }
        }
        #expect(maxAbsDifference(btwb.dense.storage, expected.storage) <= 1e-12)
        #expect(maxAbsDifference(btwy, expectedRHS) <= 1e-9)
        let (unweighted, _) = design.weightedCrossProducts(values: series.values, pointWeights: nil)
        #expect(maxAbsDifference(unweighted.dense.storage, Self.dataGram(design, days: days).storage) <= 1e-12)
    }

    @Test func reparametrizationIsInvertible() throws {
        let design = try Self.design()
        let k = design.count
        let product = design.reparametrization.multiply(design.inverseReparametrization)
        #expect(maxAbsDifference(product.storage, Matrix.identity(k).storage) <= 1e-10)
        var rng = RandomStream(seed: 2)
        let beta = (0..<k).map { _ in rng.standardNormal() }
        #expect(maxAbsDifference(design.coefficients(reparametrized: design.reparametrized(coefficients: beta)), beta) <= 1e-10)
    }

    /// `n₁ = 1`, `n₂` a line (zero second differences), `VᵀDᵀDV = I`.
    @Test func nullSpaceAndPenaltyNormalization() throws {
        let design = try Self.design()
        let k = design.count
        let g = design.reparametrization
        #expect(Self.column(g, k - 2).allSatisfy { abs($0 - 1) <= 1e-15 }, "n₁ = 1")
        #expect(DifferencePenalty.apply(Self.column(g, k - 1)).allSatisfy { abs($0) <= 1e-12 }, "n₂ is a line")
        var v = Matrix(rows: k, columns: k - 2)
        for j in 0..<(k - 2) { for i in 0..<k { v[i, j] = g[i, j] } }
        let dv = DifferencePenalty.matrix(order: k).multiply(v)
        let penaltyGram = dv.multiply(dv, transposeSelf: true)
        #expect(maxAbsDifference(penaltyGram.storage, Matrix.identity(k - 2).storage) <= 1e-9, "VᵀDᵀDV = I")
    }

    /// Over the data, `V ⟂ N` and `VᵀBᵀBV` is diagonal; `n₁ ⟂ n₂`.
    @Test func dataOrthogonality() throws {
        let days = syntheticSeries().days.map(Double.init)
        let design = try Self.design()
        let k = design.count
        let h = Self.dataGram(design, days: days)
        let g = design.reparametrization
        let inner = g.multiply(h.multiply(g), transposeSelf: true) // GᵀHG
        let largest = (0..<k).map { inner[$0, $0] }.max()!
        for i in 0..<k {
            for j in 0..<k where i != j {
                #expect(abs(inner[i, j]) <= 1e-9 * largest, "GᵀBᵀBG[\(i), \(j)] = \(inner[i, j])")
            }
        }
        // Its penalized diagonal is what the design reports, ascending.
        #expect(design.penalizedDataPrecision.count == k - 2)
        for j in 0..<(k - 2) {
            #expect(abs(design.penalizedDataPrecision[j] - inner[j, j]) <= 1e-9 * largest, "h[\(j)]")
        }
        #expect(zip(design.penalizedDataPrecision, design.penalizedDataPrecision.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
