import NumericCore
import Foundation

/// Independent reference arithmetic for the LAPACK-layer tests: plain loops,
/// no BLAS or LAPACK, so a wrong call into them cannot hide behind itself.

/// `A·x` by the definition.
func naiveProduct(_ a: Matrix, _ x: [Double]) -> [Double] {
    (0..<a.rows).map { i in (0..<a.columns).reduce(0.0) { $0 + a[i, $1] * x[$1] } }
}

/// `A·B` by the definition.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns { for k in 0..<a.columns { c[i, j] += a[i, k] * b[k, j] } } }
    return c
}

/// `log |det A|` by Gaussian elimination with partial pivoting.
func naiveLogAbsDeterminant(_ matrix: Matrix) -> Double {
    var a = matrix
    let n = a.rows
    var logDet = 0.0
    for col in 0..<n {
        let pivot = (col..<n).max { abs(a[$0, col]) < abs(a[$1, col]) }!
        if pivot != col { for j in 0..<n { let t = a[col, j]; a[col, j] = a[pivot, j]; a[pivot, j] = t } }
        let p = a[col, col]
        logDet += log(abs(p))
        for i in (col + 1)..<max(col + 1, n) {
            let factor = a[i, col] / p
            for j in col..<n { a[i, j] -= factor * a[col, j] }
        }
    }
    return logDet
}

/// A random symmetric positive-definite matrix `GᵀG/n + I` (eigenvalues ≥ 1,
/// condition number a few units).
func randomSPDMatrix(order n: Int, rng: inout RandomStream) -> Matrix {
    var g = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n { g[i, j] = rng.standardNormal() } }
    var a = naiveProduct(g.transposed, g)
    for j in 0..<n { for i in 0..<n { a[i, j] /= Double(n) } }
    for i in 0..<n { a[i, i] += 1 }
    return a
}

/// A random symmetric positive-definite band matrix: a random symmetric band
/// made diagonally dominant (so positive definite by Gershgorin).
func randomSPDBandMatrix(order n: Int, bandwidth kd: Int, rng: inout RandomStream) -> SymmetricBandMatrix {
    var a = SymmetricBandMatrix(order: n, bandwidth: kd)
    for j in 0..<n {
        for i in max(0, j - kd)..<j { a[i, j] = rng.normal(mean: 0, sd: 1) }
    }
    for i in 0..<n {
        let offDiagonal = (0..<n).filter { $0 != i && abs($0 - i) <= kd }.reduce(0.0) { $0 + abs(a[i, $1]) }
        a[i, i] = offDiagonal + 0.5 + rng.uniform()
    }
    return a
}

func randomVector(_ n: Int, rng: inout RandomStream) -> [Double] {
    (0..<n).map { _ in rng.standardNormal() }
}

/// Largest absolute elementwise difference of two matrices of one shape.
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return maxAbsDifference(a.storage, b.storage)
}
