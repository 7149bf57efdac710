import Foundation
import NumericCore
import Testing

/// Draws from Normal(Q⁻¹b, Q⁻¹) for a tridiagonal precision Q (the step-level
/// model's level conditional) against the dense inverse: sample means within
/// 4 MCSE of Q⁻¹b, sample covariances within 4 of their Monte Carlo
/// standard errors (√((Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/n) for a Gaussian sample covariance).
@Suite("TridiagonalGaussian: exact draws in O(n) via LAPACK dpttrf")
struct TridiagonalGaussianTests {
    // A random-walk precision with uneven increments and observations.
    static let diagonal = [3.0, 12.5, 11.2, 40.0, 5.5]
    static let offDiagonal = [-1.5, -10.0, -0.7, -4.0]
    static let b = [1.0, -2.0, 0.5, 3.0, 0.0]

    static var dense: Matrix {
        var q = Matrix(rows: 5, columns: 5)
        for i in 0..<5 { q[i, i] = diagonal[i] }
        for i in 0..<4 { q[i, i + 1] = offDiagonal[i]; q[i + 1, i] = offDiagonal[i] }
        return q
    }

    @Test("moments of 40,000 draws match the dense mean and covariance")
    func moments() throws {
        let covariance = try Self.dense.inverse()
        let mean = covariance * Self.b
        var rng = RandomStream(seed: 77)
        let n = 40_000
        var sum = [Double](repeating: 0, count: 5)
        var draws: [[Double]] = []
        draws.reserveCapacity(n)
        for _ in 0..<n {
            var d = Self.diagonal, e = Self.offDiagonal, x = Self.b
            let z = (0..<5).map { _ in rng.standardNormal() }
            try TridiagonalGaussian.draw(diagonal: &d, offDiagonal: &e, mean: &x, normals: z)
            draws.append(x)
            for i in 0..<5 { sum[i] += x[i] }
        }
        let sampleMean = sum.map { $0 / Double(n) }
        for i in 0..<5 {
            let mcse = (covariance[i, i] / Double(n)).squareRoot()
            #expect(abs(sampleMean[i] - mean[i]) < 4 * mcse, "mean[\(i)] \(sampleMean[i]) vs \(mean[i])")
            for j in i..<5 {
                var c = 0.0
                for x in draws { c += (x[i] - sampleMean[i]) * (x[j] - sampleMean[j]) }
                c /= Double(n - 1)
                let se = ((covariance[i, i] * covariance[j, j] + covariance[i, j] * covariance[i, j]) / Double(n)).squareRoot()
                #expect(abs(c - covariance[i, j]) < 4 * se, "cov[\(i),\(j)] \(c) vs \(covariance[i, j])")
            }
        }
    }

    @Test("with zero noise the draw is the solution of Q x = b")
    func meanIsTheSolution() throws {
        var d = Self.diagonal, e = Self.offDiagonal, x = Self.b
        try TridiagonalGaussian.draw(diagonal: &d, offDiagonal: &e, mean: &x, normals: [0, 0, 0, 0, 0])
        let back = Self.dense * x
        for i in 0..<5 { #expect(abs(back[i] - Self.b[i]) < 1e-12, "row \(i)") }
    }

    @Test("a precision that is not positive definite, or mismatched lengths, is an error, not a trap")
    func errors() {
        var d = [1.0, -1.0], e = [0.0], x = [0.0, 0.0]
        #expect(throws: LinearAlgebraError.self) {
            try TridiagonalGaussian.draw(diagonal: &d, offDiagonal: &e, mean: &x, normals: [0, 0])
        }
        var d2 = [1.0, 1.0], e2 = [0.0, 0.0], x2 = [0.0, 0.0]
        #expect(throws: LinearAlgebraError.self) {
            try TridiagonalGaussian.draw(diagonal: &d2, offDiagonal: &e2, mean: &x2, normals: [0, 0])
        }
    }
}
