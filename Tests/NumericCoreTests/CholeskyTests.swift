import Foundation
import NumericCore
import Testing

/// Dense Cholesky (LAPACK dpotrf/dpotrs/dtrtrs) on random SPD matrices against
/// plain-loop arithmetic, and failures as `LinearAlgebraError`.
struct CholeskyTests {
    static let orders = [1, 2, 5, 20, 46]

    @Test(arguments: orders)
    func factorReproducesTheMatrix(_ n: Int) throws {
        var rng = RandomStream(seed: 21, stream: UInt64(n))
        let a = randomSPDMatrix(order: n, rng: &rng)
        let factor = try CholeskyFactor(a)
        #expect(factor.order == n)
        for j in 0..<n { for i in 0..<j { #expect(factor.lower[i, j] == 0, "upper triangle must be zero") } }
        #expect(maxAbsDifference(naiveProduct(factor.lower, factor.lower.transposed), a) <= 1e-13)
    }

    @Test(arguments: orders)
    func solveAndLogDeterminantMatchDirectComputation(_ n: Int) throws {
        var rng = RandomStream(seed: 22, stream: UInt64(n))
        let a = randomSPDMatrix(order: n, rng: &rng)
        let factor = try CholeskyFactor(a)
        let b = randomVector(n, rng: &rng)
        let x = factor.solve(b)
        #expect(maxAbsDifference(naiveProduct(a, x), b) <= 1e-12, "A·x = b")
        #expect(isClose(factor.logDeterminant, naiveLogAbsDeterminant(a), relative: 1e-12, absolute: 1e-12))

        var rhs = Matrix(rows: n, columns: 3)
        for k in rhs.storage.indices { rhs.storage[k] = rng.standardNormal() }
        let solution = factor.solve(rhs)
        #expect(maxAbsDifference(naiveProduct(a, solution), rhs) <= 1e-12, "A·X = B")
        #expect(maxAbsDifference(naiveProduct(try a.inverse(), b), x) <= 1e-12, "x = A⁻¹b")
    }

    @Test(arguments: orders)
    func triangularSolves(_ n: Int) throws {
        var rng = RandomStream(seed: 23, stream: UInt64(n))
        let factor = try CholeskyFactor(randomSPDMatrix(order: n, rng: &rng))
        let b = randomVector(n, rng: &rng)
        #expect(maxAbsDifference(naiveProduct(factor.lower, factor.solveLower(b)), b) <= 1e-13, "L x = b")
        #expect(maxAbsDifference(naiveProduct(factor.lower.transposed, factor.solveLowerTransposed(b)), b) <= 1e-13,
                "Lᵀ x = b")
        // Lᵀ \ (L \ b) is A \ b.
        #expect(maxAbsDifference(factor.solveLowerTransposed(factor.solveLower(b)), factor.solve(b)) <= 1e-12)
    }

    @Test func knownSmallCase() throws {
        // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]; det = 8.
        let factor = try CholeskyFactor(Matrix(rowMajor: [[4, 2], [2, 3]]))
        #expect(isClose(factor.lower[1, 1], 2.0.squareRoot(), relative: 1e-15))
        #expect(isClose(factor.logDeterminant, log(8.0), relative: 1e-15))
    }

    @Test func notPositiveDefiniteThrowsInsteadOfTrapping() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2, minor: 2)) {
            try CholeskyFactor(Matrix(rowMajor: [[1, 2], [2, 1]]))
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 3, minor: 1)) {
            try CholeskyFactor(Matrix(rowMajor: [[-1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        }
        #expect(throws: LinearAlgebraError.self) { try CholeskyFactor(Matrix(rowMajor: [[1, .nan], [.nan, 1]])) }
        #expect(throws: LinearAlgebraError.self) { try CholeskyFactor(Matrix(rowMajor: [[.infinity, 0], [0, 1]])) }
        #expect(throws: LinearAlgebraError.self) { try CholeskyFactor(Matrix(rows: 2, columns: 3)) }
        let message = LinearAlgebraError.notPositiveDefinite(order: 2, minor: 2).description
        #expect(message.contains("not positive definite"))
    }
}
