import NumericCore

/// The fixed linear structure of the spline model for one series: the
/// B-spline basis over the observed day range, its sparse rows at the data
/// points, and a reparametrization of the coefficients in which the
/// posterior is close to uncorrelated.
///
/// The level is `μ(x) = Σ_k β_k B_k(x)` (the B-splines sum to one, so the
/// intercept lives inside β). The coefficients are written
///
///     β = G [w; c] = V w + n₁ c₁ + n₂ c₂
///
/// - `n₁ = 1` and `n₂` (a straight line in k, normalized to rise by 1 across
///   the range) span the null space of the difference matrix `D`: level and
///   trend, which the penalty leaves free; `n₂` is made orthogonal to `n₁` over
///   the data points.
/// - `V` spans the penalized part with `VᵀDᵀDV = I` (so `Dβ = Ow` with `O`
///   orthogonal, and the random-walk prior `Dβ ~ Normal(0, τ²I)` is exactly
///   `w ~ Normal(0, τ²I)`), made orthogonal to the null space over the data
///   points, and rotated so that `VᵀBᵀBV` is diagonal — the Demmler–Reinsch
///   basis (Demmler & Reinsch 1975; Ruppert, Wand & Carroll 2003, §3.12), the
///   same idea as mgcv's and brms's reparametrization of smooths.
///
/// With Gaussian noise the likelihood's Hessian in `[w; c]` is then diagonal,
/// which is what a diagonal-metric sampler (NUTS) needs. The model's intercept
/// and trend (`a = b_cᵀβ`, `s = g_cᵀβ`, see `levelRow`, `trendRow`) are linear
/// functionals of β whatever the coordinates.
public struct SplineDesign: Sendable {
    public let basis: BSplineBasis
    /// Number of basis functions `K`.
    public var count: Int { basis.count }
    /// Centre of the day range, where the intercept and trend are measured.
    public let centre: Double
    /// `B(x_c)`: the intercept functional `a = μ(x_c)` (four non-zeros).
    public let levelRow: [Double]
    /// `B'(x_c)·(hi − lo)`: the trend functional, the slope at the centre as a
    /// change across the whole range (four non-zeros).
    public let trendRow: [Double]
    /// First index of the four non-zeros of `levelRow` and `trendRow`.
    public let functionalFirst: Int
    /// `G = [V | n₁ | n₂]`, so that `β = G [w; c]` (dense `K × K`).
    public let reparametrization: Matrix
    /// `G⁻¹`, so that `[w; c] = G⁻¹β` (computed once by LAPACK).
    public let inverseReparametrization: Matrix
    /// `diag(VᵀBᵀBV)`: the data's precision (at unit noise) on each penalized
    /// coordinate `w_j` — the Demmler–Reinsch eigenvalues, ascending. With
    /// noise σ and smoothing τ the data decide `w_j` when `h_j/σ² ≫ 1/τ²`.
    public let penalizedDataPrecision: [Double]

    /// Basis rows at the data points: point `i` uses `B_{first[i]} … B_{first[i]+3}`
    /// with weights `weights[4i … 4i+3]`.
    public let first: [Int]
    public let weights: [Double]

    public var pointCount: Int { first.count }

    /// The design for points at `days` (day indices), with the knot rule of SPEC §5.
    public init(days: [Double], basisCount: Int? = nil) throws {
        guard let lo = days.min(), let hi = days.max() else { throw ModelError.emptySeries }
        guard hi > lo else { throw ModelError.singleDay(day: Int(lo)) }
        let k = basisCount ?? KnotRule.basisCount(maxDay: Int((hi - lo).rounded(.up)))
        basis = try BSplineBasis(count: k, lower: lo, upper: hi)
        centre = (lo + hi) / 2
        levelRow = basis.row(centre)
        trendRow = basis.derivativeRow(centre).map { $0 * (hi - lo) }

        functionalFirst = basis.evaluate(centre).first

        var first = [Int](repeating: 0, count: days.count)
        var weights = [Double](repeating: 0, count: 4 * days.count)
        for (i, x) in days.enumerated() {
            let (m0, v) = basis.evaluate(x)
            first[i] = m0
            weights[4 * i] = v.0; weights[4 * i + 1] = v.1; weights[4 * i + 2] = v.2; weights[4 * i + 3] = v.3
        }
        self.first = first
        self.weights = weights
        (reparametrization, inverseReparametrization, penalizedDataPrecision) = try Self.demmlerReinsch(
            basisCount: k, first: first, weights: weights)
    }

    /// `G` and `G⁻¹` of the type's documentation.
    static func demmlerReinsch(basisCount k: Int, first: [Int], weights: [Double]) throws -> (Matrix, Matrix, [Double]) {
        // Data Gram matrix H = BᵀB over the points (dense; K is small).
        var gram = Matrix(rows: k, columns: k)
        for i in first.indices {
            for a in 0..<4 { for b in 0..<4 { gram[first[i] + a, first[i] + b] += weights[4 * i + a] * weights[4 * i + b] } }
        }
        func hDot(_ x: [Double], _ y: [Double]) -> Double { dot(x, gram.multiply(y)) }

        // Null space: constant and a line, the line centred over the data.
        let n1 = [Double](repeating: 1, count: k)
        var n2 = (0..<k).map { Double($0) / Double(k - 3) }
        let shift = hDot(n1, n2) / hDot(n1, n1)
        for i in 0..<k { n2[i] -= shift }

        // Penalized part: W₀ = U₊Λ₊^{-1/2}, then remove its data projection on the null space.
        let eigen = try SymmetricEigen(DifferencePenalty.precision(order: k).dense)
        var w0 = Matrix(rows: k, columns: k - 2)
        for j in 0..<(k - 2) {
            let scale = 1 / eigen.values[j + 2].squareRoot() // eigenvalues ascend; two zeros first
            for i in 0..<k { w0[i, j] = eigen.vectors[i, j + 2] * scale }
        }
        var nullBasis = Matrix(rows: k, columns: 2)
        for i in 0..<k { nullBasis[i, 0] = n1[i]; nullBasis[i, 1] = n2[i] }
        let hn = gram.multiply(nullBasis)                               // H N
        let nhn = nullBasis.multiply(hn, transposeSelf: true)          // NᵀHN (2×2)
        let projection = try CholeskyFactor(nhn).solve(hn.multiply(w0, transposeSelf: true)) // (NᵀHN)⁻¹NᵀHW₀
        var wPerp = w0
        let correction = nullBasis.multiply(projection)
        for idx in wPerp.storage.indices { wPerp.storage[idx] -= correction.storage[idx] }

        // Rotate so that the data Gram of the penalized columns is diagonal.
        let inner = wPerp.multiply(gram.multiply(wPerp), transposeSelf: true)
        let eigen2 = try SymmetricEigen(inner)
        let v = wPerp.multiply(eigen2.vectors)

        var g = Matrix(rows: k, columns: k)
        for j in 0..<(k - 2) { for i in 0..<k { g[i, j] = v[i, j] } }
        for i in 0..<k {
            g[i, k - 2] = n1[i]
            g[i, k - 1] = n2[i]
        }
        return (g, try g.inverse(), eigen2.values)
    }

    /// `β = G v` for `v = [w; c]`.
    public func coefficients(reparametrized v: [Double]) -> [Double] {
        reparametrization.multiply(v)
    }

    /// `v = G⁻¹β = [w; c]`.
    public func reparametrized(coefficients beta: [Double]) -> [Double] {
        inverseReparametrization.multiply(beta)
    }

    /// The level `Σ_k β_k B_k(x_i)` at every data point.
    public func pointLevels(_ beta: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: pointCount)
        for i in 0..<pointCount {
            let f = first[i]
            out[i] = beta[f] * weights[4 * i] + beta[f + 1] * weights[4 * i + 1]
                + beta[f + 2] * weights[4 * i + 2] + beta[f + 3] * weights[4 * i + 3]
        }
        return out
    }

    /// `BᵀWB` (band, bandwidth 3) and `BᵀWy` for per-point weights `w` (all ones
    /// when nil) — the data part of the coefficients' precision, O(n).
    public func weightedCrossProducts(values y: [Double], pointWeights w: [Double]?) -> (SymmetricBandMatrix, [Double]) {
        var btwb = SymmetricBandMatrix(order: count, bandwidth: 3)
        var btwy = [Double](repeating: 0, count: count)
        let kd = 3
        btwb.band.withUnsafeMutableBufferPointer { band in
            for i in 0..<pointCount {
                let f = first[i]
                let wi = w?[i] ?? 1
                for a in 0..<4 {
                    let va = weights[4 * i + a] * wi
                    btwy[f + a] += va * y[i]
                    for b in a..<4 {
                        // element (f+a, f+b), upper band storage
                        band[kd + (f + a) - (f + b) + (f + b) * (kd + 1)] += va * weights[4 * i + b]
                    }
                }
            }
        }
        return (btwb, btwy)
    }
}
