import Foundation
import NumericCore
import Testing

/// Symmetric eigen-decomposition (LAPACK dsyev) against its defining identities.
struct SymmetricEigenTests {
    @Test(arguments: [1, 2, 7, 46])
    func decompositionReproducesTheMatrix(_ n: Int) throws {
        var rng = RandomStream(seed: 51, stream: UInt64(n))
        var a = randomSPDMatrix(order: n, rng: &rng)
        for i in 0..<n { a[i, i] -= 1.5 } // make it indefinite: eigenvalues of both signs
        let eigen = try SymmetricEigen(a)
        #expect(eigen.values.count == n)
        #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 <= $1 }, "ascending")
        let v = eigen.vectors
        #expect(maxAbsDifference(naiveProduct(v.transposed, v), .identity(n)) <= 1e-12, "VᵀV = I")
        var vLambda = v
        for j in 0..<n { for i in 0..<n { vLambda[i, j] *= eigen.values[j] } }
        #expect(maxAbsDifference(naiveProduct(a, v), vLambda) <= 1e-12, "A V = V Λ")
        #expect(isClose(eigen.values.map { log(abs($0)) }.reduce(0, +), naiveLogAbsDeterminant(a),
                        relative: 1e-10, absolute: 1e-10), "Σ log|λ| = log|det A|")
    }

    @Test func knownEigenvaluesOfTheDifferencePenalty() throws {
        // DᵀD has exactly two zero eigenvalues: constants and lines.
        let eigen = try SymmetricEigen(DifferencePenalty.precision(order: 10).dense)
        #expect(abs(eigen.values[0]) <= 1e-12 && abs(eigen.values[1]) <= 1e-12)
        #expect(eigen.values[2] > 1e-3)
    }

    @Test func nonSquareThrows() {
        #expect(throws: LinearAlgebraError.self) { try SymmetricEigen(Matrix(rows: 2, columns: 3)) }
    }
}
