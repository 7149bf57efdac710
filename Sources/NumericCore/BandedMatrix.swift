import CLapack
import RealModule

/// A symmetric band matrix of order `n` with `bandwidth` super-diagonals, in
/// LAPACK's upper band storage: column `j` holds `A[i, j]` for
/// `max(0, j − kd) ≤ i ≤ j` at row `kd + i − j` of a `(kd + 1) × n` array.
///
/// Spline precision matrices (`BᵀWB` has 3 super-diagonals for cubic
/// B-splines, the second-difference penalty `DᵀD` has 2) are stored this way so
/// that factorization and solves cost O(n·kd²) instead of O(n³).
public struct SymmetricBandMatrix: Sendable, Equatable {
    public let order: Int
    public let bandwidth: Int
    /// Column-major `(bandwidth + 1) × order` band storage.
    public var band: [Double]

    public init(order: Int, bandwidth: Int) {
        precondition(order >= 0 && bandwidth >= 0)
        self.order = order
        self.bandwidth = bandwidth
        band = Array(repeating: 0, count: (bandwidth + 1) * order)
    }

    /// Element `(i, j)` of the full symmetric matrix; zero outside the band.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get {
            let (r, c) = i <= j ? (i, j) : (j, i)
            guard c - r <= bandwidth else { return 0 }
            return band[bandwidth + r - c + c * (bandwidth + 1)]
        }
        set {
            let (r, c) = i <= j ? (i, j) : (j, i)
            precondition(c - r <= bandwidth, "element (\(i), \(j)) is outside the band")
            band[bandwidth + r - c + c * (bandwidth + 1)] = newValue
        }
    }

    /// Adds `value` to elements `(i, j)` and `(j, i)` (once on the diagonal).
    @inlinable
    public mutating func add(_ value: Double, at i: Int, _ j: Int) {
        let (r, c) = i <= j ? (i, j) : (j, i)
        band[bandwidth + r - c + c * (bandwidth + 1)] += value
    }

    /// `A + B` for band matrices of the same order (the result has the larger bandwidth).
    public static func + (lhs: SymmetricBandMatrix, rhs: SymmetricBandMatrix) -> SymmetricBandMatrix {
        precondition(lhs.order == rhs.order, "adding band matrices of different orders")
        var out = SymmetricBandMatrix(order: lhs.order, bandwidth: Swift.max(lhs.bandwidth, rhs.bandwidth))
        for m in [lhs, rhs] {
            for j in 0..<m.order {
                for i in Swift.max(0, j - m.bandwidth)...j { out.add(m[i, j], at: i, j) }
            }
        }
        return out
    }

    /// `c · A`.
    public static func * (c: Double, matrix: SymmetricBandMatrix) -> SymmetricBandMatrix {
        var out = matrix
        for k in out.band.indices { out.band[k] *= c }
        return out
    }

    /// `y = A x` (BLAS `dsbmv`).
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == order, "band product: vector has \(x.count) elements, needs \(order)")
        var y = [Double](repeating: 0, count: order)
        guard order > 0 else { return y }
        band.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dsbmv(CblasColMajor, CblasUpper, Int32(order), Int32(bandwidth), 1.0,
                                a.baseAddress, Int32(bandwidth + 1), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// The full dense matrix (for tests and small problems).
    public var dense: Matrix {
        var m = Matrix(rows: order, columns: order)
        for j in 0..<order {
            for i in Swift.max(0, j - bandwidth)...j {
                m[i, j] = self[i, j]
                m[j, i] = self[i, j]
            }
        }
        return m
    }
}

/// Cholesky factorization `A = Uᵀ U` of a symmetric positive-definite band
/// matrix (LAPACK `dpbtrf`, upper band storage), with solves (`dpbtrs`),
/// triangular band solves (`dtbtrs`) and the log-determinant.
public struct BandedCholeskyFactor: Sendable {
    /// `U` in upper band storage, same layout as `SymmetricBandMatrix.band`.
    public let upper: SymmetricBandMatrix

    public var order: Int { upper.order }
    public var bandwidth: Int { upper.bandwidth }

    /// Factors `matrix`; throws `.notPositiveDefinite` if a leading minor is not
    /// positive (non-finite input included).
    public init(_ matrix: SymmetricBandMatrix) throws {
        var a = matrix
        let n = matrix.order
        if a.band.contains(where: { !$0.isFinite }) {
            throw LinearAlgebraError.notPositiveDefinite(order: n, minor: 1)
        }
        if n > 0 {
            let kd = Int32(matrix.bandwidth)
            let info = a.band.withUnsafeMutableBufferPointer { ap in
                LAPACKE_dpbtrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), kd, ap.baseAddress, kd + 1)
            }
            try checkLapack(info, routine: "dpbtrf") { .notPositiveDefinite(order: n, minor: Int($0)) }
        }
        upper = a
    }

    /// `log det A = 2 Σ log Uᵢᵢ`.
    public var logDeterminant: Double {
        var s = 0.0
        let kd = bandwidth
        for j in 0..<order { s += Double.log(upper.band[kd + j * (kd + 1)]) }
        return 2 * s
    }

    /// Solves `A x = b` (LAPACK `dpbtrs`).
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == order, "band solve: right-hand side has \(b.count) elements, needs \(order)")
        var x = b
        guard order > 0 else { return x }
        let kd = Int32(bandwidth)
        upper.band.withUnsafeBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dpbtrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(order), kd, 1,
                                        ap.baseAddress, kd + 1, xp.baseAddress, Int32(order))
            }
        }
        return x
    }

    /// Solves `U x = b` (LAPACK `dtbtrs`). With `b` standard normal, `x` is a
    /// draw from Normal(0, A⁻¹) since `Cov(U⁻¹ z) = U⁻¹U⁻ᵀ = A⁻¹`.
    public func solveUpper(_ b: [Double]) -> [Double] { triangularSolve(b, transpose: false) }

    /// Solves `Uᵀ x = b` (LAPACK `dtbtrs`).
    public func solveUpperTransposed(_ b: [Double]) -> [Double] { triangularSolve(b, transpose: true) }

    private func triangularSolve(_ b: [Double], transpose: Bool) -> [Double] {
        precondition(b.count == order, "band triangular solve: right-hand side has \(b.count) elements, needs \(order)")
        var x = b
        guard order > 0 else { return x }
        let kd = Int32(bandwidth)
        upper.band.withUnsafeBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dtbtrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")),
                                        Int8(UInt8(ascii: transpose ? "T" : "N")), Int8(UInt8(ascii: "N")),
                                        Int32(order), kd, 1, ap.baseAddress, kd + 1, xp.baseAddress, Int32(order))
            }
        }
        return x
    }
}

/// In-place banded Cholesky routines for hot loops that refactor a matrix of
/// the same shape many times (the Gibbs sampler's τ update): no allocation,
/// no copies. Same LAPACK routines and storage as `BandedCholeskyFactor`.
public enum BandedCholeskyInPlace {
    /// Overwrites `band` (upper band storage, `(kd + 1) × n`) with `U` of
    /// `A = UᵀU` (LAPACK `dpbtrf`). Returns false when `A` is not positive definite.
    @inlinable
    public static func factor(_ band: UnsafeMutableBufferPointer<Double>, order n: Int, bandwidth kd: Int) -> Bool {
        LAPACKE_dpbtrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), Int32(kd), band.baseAddress, Int32(kd + 1)) == 0
    }

    /// Solves `Uᵀx = b` (`transposed`) or `Ux = b` in place in `x` (LAPACK `dtbtrs`).
    @inlinable
    public static func solveTriangular(_ factor: UnsafeBufferPointer<Double>, order n: Int, bandwidth kd: Int,
                                       _ x: UnsafeMutableBufferPointer<Double>, transposed: Bool) {
        _ = LAPACKE_dtbtrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: transposed ? "T" : "N")),
                                Int8(UInt8(ascii: "N")), Int32(n), Int32(kd), 1, factor.baseAddress, Int32(kd + 1),
                                x.baseAddress, Int32(n))
    }

    /// `log det A = 2 Σ log Uᵢᵢ` from the factor.
    @inlinable
    public static func logDeterminant(_ factor: UnsafeBufferPointer<Double>, order n: Int, bandwidth kd: Int) -> Double {
        var s = 0.0
        for j in 0..<n { s += Double.log(factor[kd + j * (kd + 1)]) }
        return 2 * s
    }
}

/// The same factorization, solves and log-determinant as
/// ``BandedCholeskyInPlace`` (upper band storage, `A = UᵀU`), written out for
/// narrow bands: with a half-bandwidth of 3 and a few hundred columns, the
/// reference BLAS's per-column calls (`dsyr`, `dscal`, `dtbsv`) cost several
/// times the arithmetic, and the step-level sampler factors such a matrix
/// three times a sweep. Agreement with LAPACK is tested to rounding.
public enum NarrowBandCholesky {
    /// Overwrites `band` with `U` of `A = UᵀU`. Returns false when `A` is not
    /// (numerically) positive definite; `band` is then unspecified.
    @inlinable
    public static func factor(_ a: UnsafeMutableBufferPointer<Double>, order n: Int, bandwidth kd: Int) -> Bool {
        let rows = kd + 1
        for j in 0..<n {
            // Column j of U: U[i, j] = (A[i, j] − Σ_{k<i} U[k, i] U[k, j]) / U[i, i] for i < j, then U[j, j].
            let first = Swift.max(0, j - kd)
            let column = j * rows + kd - j  // a[column + i] is element (i, j)
            for i in first..<j {
                var s = a[column + i]
                let columnI = i * rows + kd - i
                for k in Swift.max(first, i - kd)..<i { s -= a[columnI + k] * a[column + k] }
                a[column + i] = s / a[columnI + i]
            }
            var d = a[column + j]
            for k in first..<j { d -= a[column + k] * a[column + k] }
            guard d > 0, d.isFinite else { return false }
            a[column + j] = d.squareRoot()
        }
        return true
    }

    /// Solves `Uᵀx = b` (`transposed`) or `Ux = b` in place in `x`.
    @inlinable
    public static func solveTriangular(_ u: UnsafeBufferPointer<Double>, order n: Int, bandwidth kd: Int,
                                       _ x: UnsafeMutableBufferPointer<Double>, transposed: Bool) {
        let rows = kd + 1
        if transposed {
            // Forward: x_j = (b_j − Σ_{k<j} U[k, j] x_k) / U[j, j].
            for j in 0..<n {
                let column = j * rows + kd - j
                var s = x[j]
                for k in Swift.max(0, j - kd)..<j { s -= u[column + k] * x[k] }
                x[j] = s / u[column + j]
            }
        } else {
            // Backward: x_i = (b_i − Σ_{j>i} U[i, j] x_j) / U[i, i].
            var i = n - 1
            while i >= 0 {
                var s = x[i]
                for j in (i + 1)..<Swift.min(n, i + kd + 1) { s -= u[j * rows + kd - j + i] * x[j] }
                x[i] = s / u[i * rows + kd]
                i -= 1
            }
        }
    }

    /// `log det A = 2 Σ log Uᵢᵢ`, with one logarithm per run of diagonal
    /// elements whose product stays within 1e±100 (not one per element).
    @inlinable
    public static func logDeterminant(_ u: UnsafeBufferPointer<Double>, order n: Int, bandwidth kd: Int) -> Double {
        var sum = 0.0, product = 1.0
        for j in 0..<n {
            product *= u[kd + j * (kd + 1)]
            if product > 1e100 || product < 1e-100 {
                sum += Double.log(product)
                product = 1
            }
        }
        return 2 * (sum + Double.log(product))
    }
}
