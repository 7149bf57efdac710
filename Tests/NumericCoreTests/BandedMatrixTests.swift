import NumericCore
import Foundation
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

    @Test("the narrow-band Cholesky agrees with LAPACK's: factor, both triangular solves, log-determinant",
          arguments: 0..<shapes.count)
    func narrowBandAgreesWithLapack(_ index: Int) throws {
        let shape = Self.shapes[index]
        let a = Self.randomBand(shape, seed: 77)
        let lapack = try BandedCholeskyFactor(a)
        var band = a.band
        let ok = band.withUnsafeMutableBufferPointer {
            NarrowBandCholesky.factor($0, order: shape.order, bandwidth: shape.bandwidth)
        }
        #expect(ok)
        for (x, y) in zip(band, lapack.upper.band) { #expect(abs(x - y) <= 1e-12 * Swift.max(1, abs(y)), "\(x) vs \(y)") }
        var rng = RandomStream(seed: 5)
        let b = (0..<shape.order).map { _ in rng.standardNormal() }
        for transposed in [false, true] {
            var x = b
            band.withUnsafeBufferPointer { u in
                x.withUnsafeMutableBufferPointer {
                    NarrowBandCholesky.solveTriangular(u, order: shape.order, bandwidth: shape.bandwidth, $0, transposed: transposed)
                }
            }
            let expected = transposed ? lapack.solveUpperTransposed(b) : lapack.solveUpper(b)
            for (u, v) in zip(x, expected) { #expect(abs(u - v) <= 1e-10 * Swift.max(1, abs(v)), "\(u) vs \(v)") }
        }
        let logDet = band.withUnsafeBufferPointer {
            NarrowBandCholesky.logDeterminant($0, order: shape.order, bandwidth: shape.bandwidth)
        }
        #expect(abs(logDet - lapack.logDeterminant) <= 1e-10 * Swift.max(1, abs(lapack.logDeterminant)))
        // A matrix that is not positive definite is refused.
        var bad = a.band
        bad[shape.bandwidth] = -1
        #expect(!bad.withUnsafeMutableBufferPointer {
            NarrowBandCholesky.factor($0, order: shape.order, bandwidth: shape.bandwidth)
        })
    }

    @Test("the log-determinant survives diagonals far beyond a double's range when multiplied out")
    func narrowLogDeterminantHasNoOverflow() {
        // A diagonal matrix: U = diag(√dᵢ) with dᵢ alternating 1e-200 and 1e200, 300 of them.
        var band = [Double](repeating: 0, count: 300 * 2)
        for j in 0..<300 { band[1 + 2 * j] = (j % 3 == 0 ? 1e-100 : 1e100) }
        let logDet = band.withUnsafeBufferPointer { NarrowBandCholesky.logDeterminant($0, order: 300, bandwidth: 1) }
        let expected = 2 * (100 * Foundation.log(1e-100) + 200 * Foundation.log(1e100))
        #expect(abs(logDet - expected) <= 1e-9 * abs(expected), "\(logDet) vs \(expected)")
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
