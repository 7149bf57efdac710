import CLapack
import RealModule

/// Cholesky factorization `A = L Lᵀ` of a dense symmetric positive-definite
/// matrix (LAPACK `dpotrf`, lower triangle), with solves (`dpotrs`),
/// triangular solves (`dtrtrs`) and the log-determinant.
///
/// Only the lower triangle of the input is read.
public struct CholeskyFactor: Sendable {
    /// `L` in the lower triangle; the strict upper triangle is zero.
    public let lower: Matrix

    public var order: Int { lower.rows }

    /// Factors `matrix`; throws `.notPositiveDefinite` when a leading minor is
    /// not positive (including any non-finite input) and `.dimensionMismatch`
    /// for a non-square matrix.
    public init(_ matrix: Matrix) throws {
        guard matrix.rows == matrix.columns else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky of a \(matrix.rows)×\(matrix.columns) matrix")
        }
        let n = matrix.rows
        if matrix.storage.contains(where: { !$0.isFinite }) {
            throw LinearAlgebraError.notPositiveDefinite(order: n, minor: 1)
        }
        var a = matrix
        if n > 0 {
            let info = a.storage.withUnsafeMutableBufferPointer { ap in
                LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), ap.baseAddress, Int32(n))
            }
            try checkLapack(info, routine: "dpotrf") { .notPositiveDefinite(order: n, minor: Int($0)) }
        }
        for j in 0..<n { for i in 0..<j { a[i, j] = 0 } }
        lower = a
    }

    /// `log det A = 2 Σ log Lᵢᵢ`.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<order { s += Double.log(lower[i, i]) }
        return 2 * s
    }

    /// Solves `A x = b` (LAPACK `dpotrs`).
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == order, "solve: right-hand side has \(b.count) elements, needs \(order)")
        var x = b
        guard order > 0 else { return x }
        lower.storage.withUnsafeBufferPointer { lp in
            x.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(order), 1,
                                        lp.baseAddress, Int32(order), xp.baseAddress, Int32(order))
            }
        }
        return x
    }

    /// Solves `A X = B` for a matrix right-hand side.
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == order, "solve: right-hand side has \(b.rows) rows, needs \(order)")
        var x = b
        guard order > 0, b.columns > 0 else { return x }
        lower.storage.withUnsafeBufferPointer { lp in
            x.storage.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(order), Int32(b.columns),
                                        lp.baseAddress, Int32(order), xp.baseAddress, Int32(order))
            }
        }
        return x
    }

    /// Solves `L x = b` (forward substitution, LAPACK `dtrtrs`).
    public func solveLower(_ b: [Double]) -> [Double] { triangularSolve(b, transpose: false) }

    /// Solves `Lᵀ x = b` (back substitution, LAPACK `dtrtrs`). With `b` a
    /// standard normal vector, `x` is a draw from Normal(0, A⁻¹).
    public func solveLowerTransposed(_ b: [Double]) -> [Double] { triangularSolve(b, transpose: true) }

    private func triangularSolve(_ b: [Double], transpose: Bool) -> [Double] {
        precondition(b.count == order, "triangular solve: right-hand side has \(b.count) elements, needs \(order)")
        var x = b
        guard order > 0 else { return x }
        lower.storage.withUnsafeBufferPointer { lp in
            x.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")),
                                        Int8(UInt8(ascii: transpose ? "T" : "N")), Int8(UInt8(ascii: "N")),
                                        Int32(order), 1, lp.baseAddress, Int32(order), xp.baseAddress, Int32(order))
            }
        }
        return x
    }
}
