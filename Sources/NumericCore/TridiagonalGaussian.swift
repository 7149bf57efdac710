import CLapack

/// Draws from a Gaussian given by a symmetric positive definite tridiagonal
/// precision: `x ~ Normal(Q⁻¹b, Q⁻¹)` with `Q` of diagonal `d` and
/// off-diagonal `e`, in O(n) and without allocating.
///
/// LAPACK `dpttrf` factors `Q = L D Lᵀ` (`L` unit lower bidiagonal with
/// subdiagonal `e'`, `D` diagonal); `dpttrs` solves `Q m = b`; the noise is
/// `L⁻ᵀ D^{-1/2} z` for standard normal `z`, by one back-substitution
/// `x_{n−1} = y_{n−1}`, `x_t = y_t − e'_t x_{t+1}` with `y = D^{-1/2} z`,
/// whose covariance is `L⁻ᵀ D⁻¹ L⁻¹ = Q⁻¹` (Rue & Held 2005, §2.4).
/// A first-order random-walk prior plus independent observations has exactly
/// this precision, so a state-space level is drawn in linear time.
public enum TridiagonalGaussian {
    /// Overwrites `mean` (holding `b` on entry) with a draw from
    /// `Normal(Q⁻¹b, Q⁻¹)`; `diagonal` and `offDiagonal` (length n − 1) are
    /// overwritten by the factorization. `normals` holds n standard normals.
    /// Throws, leaving `mean` unspecified, when `Q` is not numerically
    /// positive definite.
    public static func draw(diagonal: inout [Double], offDiagonal: inout [Double], mean: inout [Double],
                            normals: [Double]) throws {
        let n = diagonal.count
        guard n > 0 else { return }
        guard offDiagonal.count == n - 1, mean.count == n, normals.count == n else {
            throw LinearAlgebraError.dimensionMismatch("tridiagonal draw of order \(n): off-diagonal \(offDiagonal.count), right-hand side \(mean.count), normals \(normals.count)")
        }
        let info = diagonal.withUnsafeMutableBufferPointer { dp in
            offDiagonal.withUnsafeMutableBufferPointer { ep in
                LAPACKE_dpttrf_work(Int32(n), dp.baseAddress, ep.baseAddress)
            }
        }
        try checkLapack(info, routine: "dpttrf") { .notPositiveDefinite(order: n, minor: Int($0)) }
        let solved = diagonal.withUnsafeBufferPointer { dp in
            offDiagonal.withUnsafeBufferPointer { ep in
                mean.withUnsafeMutableBufferPointer { bp in
                    LAPACKE_dpttrs_work(LAPACK_COL_MAJOR, Int32(n), 1, dp.baseAddress, ep.baseAddress,
                                        bp.baseAddress, Int32(n))
                }
            }
        }
        try checkLapack(solved, routine: "dpttrs") { .singular(order: n, pivot: Int($0)) }
        // x = L⁻ᵀ D^{-1/2} z, added to the mean from the last element back.
        var next = normals[n - 1] / diagonal[n - 1].squareRoot()
        mean[n - 1] += next
        var t = n - 2
        while t >= 0 {
            next = normals[t] / diagonal[t].squareRoot() - offDiagonal[t] * next
            mean[t] += next
            t -= 1
        }
    }
}
