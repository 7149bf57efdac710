import CLapack

/// Errors of the linear-algebra layer. A failed factorization is a value the
/// caller can act on, never a trap.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The matrix is not (numerically) symmetric positive definite: LAPACK
    /// found a non-positive pivot at leading minor `minor` (1-based).
    case notPositiveDefinite(order: Int, minor: Int)
    /// A matrix is singular: LAPACK found an exact zero pivot.
    case singular(order: Int, pivot: Int)
    /// Operand shapes do not fit together.
    case dimensionMismatch(String)
    /// LAPACK rejected an argument (a bug in the caller, reported, not trapped).
    case lapackArgument(routine: String, position: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(order, minor):
            return "matrix of order \(order) is not positive definite (leading minor \(minor) is not positive)"
        case let .singular(order, pivot):
            return "matrix of order \(order) is singular (zero pivot at \(pivot))"
        case let .dimensionMismatch(what):
            return "dimension mismatch: \(what)"
        case let .lapackArgument(routine, position):
            return "\(routine): illegal value in argument \(position)"
        }
    }
}

/// A dense matrix of doubles in column-major order (the layout BLAS and LAPACK
/// use), so it is passed to them without copying or transposing.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Column-major elements: `storage[i + j·rows]` is row `i`, column `j`.
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from column-major storage.
    public init(rows: Int, columns: Int, columnMajor: [Double]) {
        precondition(columnMajor.count == rows * columns, "storage size does not match shape")
        self.rows = rows
        self.columns = columns
        storage = columnMajor
    }

    /// A matrix from an array of rows (convenient in tests and small setups).
    public init(rowMajor rowsOfValues: [[Double]]) {
        let r = rowsOfValues.count
        let c = rowsOfValues.first?.count ?? 0
        self.init(rows: r, columns: c)
        for i in 0..<r {
            precondition(rowsOfValues[i].count == c, "ragged rows")
            for j in 0..<c { self[i, j] = rowsOfValues[i][j] }
        }
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    /// `y = A x` (BLAS `dgemv`), or `Aᵀ x` with `transpose: true`.
    public func multiply(_ x: [Double], transpose: Bool = false) -> [Double] {
        let (inCount, outCount) = transpose ? (rows, columns) : (columns, rows)
        precondition(x.count == inCount, "matrix-vector product: vector has \(x.count) elements, needs \(inCount)")
        var y = [Double](repeating: 0, count: outCount)
        guard rows > 0, columns > 0 else { return y }
        storage.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasColMajor, transpose ? CblasTrans : CblasNoTrans,
                                Int32(rows), Int32(columns), 1.0, a.baseAddress, Int32(Swift.max(1, rows)),
                                xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// `C = op(A) · op(B)` (BLAS `dgemm`).
    public func multiply(_ other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let k2 = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == k2, "matrix product: inner dimensions \(k) and \(k2) differ")
        var c = Matrix(rows: m, columns: n)
        guard m > 0, n > 0, k > 0 else { return c }
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasColMajor, transposeSelf ? CblasTrans : CblasNoTrans,
                                transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1.0,
                                a.baseAddress, Int32(Swift.max(1, rows)),
                                b.baseAddress, Int32(Swift.max(1, other.rows)),
                                0.0, cp.baseAddress, Int32(Swift.max(1, m)))
                }
            }
        }
        return c
    }

    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.multiply(rhs) }
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] { lhs.multiply(rhs) }

    /// The inverse by LU factorization (LAPACK `dgetrf` + `dgetri`).
    /// Throws `.singular` for an exactly singular matrix.
    public func inverse() throws -> Matrix {
        guard rows == columns else { throw LinearAlgebraError.dimensionMismatch("inverse of a \(rows)×\(columns) matrix") }
        var a = self
        let n = Int32(rows)
        guard n > 0 else { return a }
        var pivots = [Int32](repeating: 0, count: rows)
        let info = a.storage.withUnsafeMutableBufferPointer { ap in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n, n, ap.baseAddress, n, pp.baseAddress)
            }
        }
        try checkLapack(info, routine: "dgetrf") { .singular(order: rows, pivot: Int($0)) }
        var work = [Double](repeating: 0, count: Swift.max(1, rows * 64))
        let info2 = a.storage.withUnsafeMutableBufferPointer { ap in
            pivots.withUnsafeMutableBufferPointer { pp in
                work.withUnsafeMutableBufferPointer { wp in
                    LAPACKE_dgetri_work(LAPACK_COL_MAJOR, n, ap.baseAddress, n, pp.baseAddress, wp.baseAddress, Int32(wp.count))
                }
            }
        }
        try checkLapack(info2, routine: "dgetri") { .singular(order: rows, pivot: Int($0)) }
        return a
    }
}

/// Maps a LAPACK `info` code to a Swift error: negative means an illegal
/// argument, positive is routine-specific (`positive` builds that error).
@usableFromInline
func checkLapack(_ info: Int32, routine: String, positive: (Int32) -> LinearAlgebraError) throws {
    if info < 0 { throw LinearAlgebraError.lapackArgument(routine: routine, position: Int(-info)) }
    if info > 0 { throw positive(info) }
}

/// Euclidean dot product (BLAS `ddot`).
public func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot product of vectors of different lengths")
    return x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in
            cblas_ddot(Int32(x.count), xp.baseAddress, 1, yp.baseAddress, 1)
        }
    }
}
