import CLapack

/// Eigen-decomposition `A = V diag(λ) Vᵀ` of a dense symmetric matrix
/// (LAPACK `dsyev`): eigenvalues ascending, orthonormal eigenvectors in the
/// columns of `vectors`. Only the lower triangle of the input is read.
public struct SymmetricEigen: Sendable {
    public let values: [Double]
    public let vectors: Matrix

    public init(_ matrix: Matrix) throws {
        guard matrix.rows == matrix.columns else {
            throw LinearAlgebraError.dimensionMismatch("eigen-decomposition of a \(matrix.rows)×\(matrix.columns) matrix")
        }
        let n = matrix.rows
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            var work = [Double](repeating: 0, count: Swift.max(1, 34 * n))
            let info = a.storage.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeMutableBufferPointer { wp in
                    work.withUnsafeMutableBufferPointer { workp in
                        LAPACKE_dsyev_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")),
                                           Int32(n), ap.baseAddress, Int32(n), wp.baseAddress,
                                           workp.baseAddress, Int32(workp.count))
                    }
                }
            }
            try checkLapack(info, routine: "dsyev") { _ in .dimensionMismatch("dsyev did not converge") }
        }
        values = w
        vectors = a
    }
}
