import NumericCore
import Testing

/// Symmetric band matrices and their banded Cholesky (LAPACK dpbtrf, dpbtrs,
/// dtbtrs) against the dense layer and plain-loop arithmetic.
struct BandedMatrixTests {
    static let shapes: [(order: Int, bandwidth: Int)] = [(1, 0), (5, 1), (30, 3), (46, 3), (12, 2), (8, 7)]

    static func randomBand(_ shape: (order: Int, bandwidth: Int), seed: UInt64) -> SymmetricBandMatrix {
        var rng = RandomStream(seed: seed, stream: UInt64(shape.order * 100 + shape.bandwidth))
        return randomSPDBandMatrix(order: shape.order, bandwidth: shape.bandwidth, rng: &rng)
    }

    @Test func storageAndElementAccess() {
        var a = SymmetricBandMatrix(order: 4, bandwidth: 1)
        a[0, 0] = 2; a[1, 0] = -1; a[1, 1] = 3; a[2, 3] = 5
        #expect(a[0, 1] == -1, "symmetric access")
        #expect(a[3, 2] == 5)
        #expect(a[0, 3] == 0, "outside the band")
        // Upper band storage: column j holds A[j−1, j] then A[j, j].
        #expect(a.band[1 * 2 + 0] == -1 && a.band[1 * 2 + 1] == 3)
        a.add(1, at: 1, 0)
        #expect(a[0, 1] == 0, "add touches (i, j) and (j, i) once")
        a.add(0.5, at: 3, 3)
        #expect(a[3, 3] == 0.5)
        #expect(a.dense == Matrix(rowMajor: [[2, 0, 0, 0], [0, 3, 0, 0], [0, 0, 0, 5], [0, 0, 5, 0.5]]))
    }

    @Test func sumScalingAndProduct() {
        var rng = RandomStream(seed: 31)
        let a = randomSPDBandMatrix(order: 10, bandwidth: 3, rng: &rng)
        let b = randomSPDBandMatrix(order: 10, bandwidth: 1, rng: &rng)
        let sum = a + b
        #expect(sum.bandwidth == 3)
        var denseSum = a.dense
        for k in denseSum.storage.indices { denseSum.storage[k] += b.dense.storage[k] }
        #expect(maxAbsDifference(sum.dense, denseSum) <= 1e-15)
        let scaled = 2.5 * a
        #expect(maxAbsDifference(scaled.dense.storage, a.dense.storage.map { 2.5 * $0 }) <= 1e-15)
        let x = randomVector(10, rng: &rng)
        #expect(maxAbsDifference(a.multiply(x), naiveProduct(a.dense, x)) <= 1e-13)
    }

    @Test(arguments: 0..<shapes.count)
    func solveAndLogDeterminantMatchDenseCholesky(_ index: Int) throws {
        let shape = Self.shapes[index]
        let a = Self.randomBand(shape, seed: 32)
        let banded = try BandedCholeskyFactor(a)
        let dense = try CholeskyFactor(a.dense)
        #expect(banded.order == shape.order && banded.bandwidth == shape.bandwidth)
        var rng = RandomStream(seed: 33, stream: UInt64(index))
        let b = randomVector(shape.order, rng: &rng)
        let x = banded.solve(b)
        #expect(maxAbsDifference(x, dense.solve(b)) <= 1e-12, "banded vs dense solve")
        #expect(maxAbsDifference(naiveProduct(a.dense, x), b) <= 1e-12, "A·x = b")
        #expect(isClose(banded.logDeterminant, dense.logDeterminant, relative: 1e-12, absolute: 1e-12))
        #expect(isClose(banded.logDeterminant, naiveLogAbsDeterminant(a.dense), relative: 1e-12, absolute: 1e-12))
    }

    /// `U` is the transpose of the dense `L`, and the triangular solves invert it.
    @Test(arguments: 0..<shapes.count)
    func triangularBandSolves(_ index: Int) throws {
        let shape = Self.shapes[index]
        let a = Self.randomBand(shape, seed: 34)
        let banded = try BandedCholeskyFactor(a)
        var u = Matrix(rows: shape.order, columns: shape.order)
        for j in 0..<shape.order {
            for i in max(0, j - shape.bandwidth)...j { u[i, j] = banded.upper[i, j] }
        }
        #expect(maxAbsDifference(u, try CholeskyFactor(a.dense).lower.transposed) <= 1e-12)
        var rng = RandomStream(seed: 35, stream: UInt64(index))
        let b = randomVector(shape.order, rng: &rng)
        #expect(maxAbsDifference(naiveProduct(u, banded.solveUpper(b)), b) <= 1e-12, "U x = b")
        #expect(maxAbsDifference(naiveProduct(u.transposed, banded.solveUpperTransposed(b)), b) <= 1e-12, "Uᵀ x = b")
        #expect(maxAbsDifference(banded.solveUpper(banded.solveUpperTransposed(b)), banded.solve(b)) <= 1e-12)
    }

    @Test func notPositiveDefiniteBandThrows() {
        var a = SymmetricBandMatrix(order: 3, bandwidth: 1)
        a[0, 0] = 1; a[1, 1] = 1; a[2, 2] = 1; a[1, 2] = 2
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 3, minor: 3)) { try BandedCholeskyFactor(a) }
        var b = SymmetricBandMatrix(order: 2, bandwidth: 1)
        b[0, 0] = 1; b[1, 1] = 1; b[0, 1] = .nan
        #expect(throws: LinearAlgebraError.self) { try BandedCholeskyFactor(b) }
        var c = SymmetricBandMatrix(order: 2, bandwidth: 0)
        c[0, 0] = -3; c[1, 1] = 1
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2, minor: 1)) { try BandedCholeskyFactor(c) }
    }
}
