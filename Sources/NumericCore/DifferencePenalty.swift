/// The second-order difference penalty of the Bayesian P-spline (Eilers & Marx
/// 1996; Lang & Brezger 2004): the prior `Dβ ~ Normal(0, τ² I)` where row `j` of
/// the `(K − 2) × K` matrix `D` is `β_j − 2β_{j+1} + β_{j+2}`, a second-order
/// random walk on the coefficients.
///
/// Its precision `DᵀD / τ²` is a symmetric band matrix with two
/// super-diagonals. Constants and straight lines (`β_k = a + b·k`) have zero
/// penalty: the linear trend is not penalized, and needs its own prior.
public enum DifferencePenalty {
    /// `Dβ`, length `K − 2`.
    public static func apply(_ beta: [Double]) -> [Double] {
        guard beta.count >= 3 else { return [] }
        var out = [Double](repeating: 0, count: beta.count - 2)
        for j in out.indices {
            let first: Double = beta[j] - 2 * beta[j + 1]
            out[j] = first + beta[j + 2]
        }
        return out
    }

    /// `Dᵀv` for `v` of length `K − 2`, returning length `K`.
    public static func applyTransposed(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: v.count + 2)
        for j in v.indices {
            out[j] += v[j]
            out[j + 1] -= 2 * v[j]
            out[j + 2] += v[j]
        }
        return out
    }

    /// `DᵀD` of order `K` in band storage (bandwidth 2).
    public static func precision(order k: Int) -> SymmetricBandMatrix {
        var p = SymmetricBandMatrix(order: k, bandwidth: 2)
        guard k >= 3 else { return p }
        for j in 0..<(k - 2) {
            let row = [(j, 1.0), (j + 1, -2.0), (j + 2, 1.0)]
            for (a, va) in row {
                for (b, vb) in row where b >= a { p.add(va * vb, at: a, b) }
            }
        }
        return p
    }

    /// The dense `(K − 2) × K` matrix `D` (for tests and set-up).
    public static func matrix(order k: Int) -> Matrix {
        var d = Matrix(rows: Swift.max(0, k - 2), columns: k)
        for j in 0..<Swift.max(0, k - 2) {
            d[j, j] = 1; d[j, j + 1] = -2; d[j, j + 2] = 1
        }
        return d
    }
}
