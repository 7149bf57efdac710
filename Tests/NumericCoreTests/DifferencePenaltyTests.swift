import NumericCore
import Testing

/// The second-order difference penalty `D` and its precision `DᵀD`.
struct DifferencePenaltyTests {
    @Test(arguments: [3, 4, 7, 46])
    func precisionEqualsDenseDTransposeD(_ k: Int) {
        let d = DifferencePenalty.matrix(order: k)
        #expect(d.rows == k - 2 && d.columns == k)
        let expected = naiveProduct(d.transposed, d)
        let precision = DifferencePenalty.precision(order: k)
        #expect(precision.bandwidth == 2)
        #expect(maxAbsDifference(precision.dense, expected) == 0, "integer entries are exact")
    }

    @Test func rowsAreSecondDifferences() {
        #expect(DifferencePenalty.matrix(order: 4) == Matrix(rowMajor: [[1, -2, 1, 0], [0, 1, -2, 1]]))
        #expect(DifferencePenalty.precision(order: 5).dense == Matrix(rowMajor: [
            [1, -2, 1, 0, 0], [-2, 5, -4, 1, 0], [1, -4, 6, -4, 1], [0, 1, -4, 5, -2], [0, 0, 1, -2, 1],
        ]))
    }

    @Test func applyAndTransposeMatchTheMatrix() {
        var rng = RandomStream(seed: 41)
        for k in [3, 5, 46] {
            let d = DifferencePenalty.matrix(order: k)
            let beta = randomVector(k, rng: &rng)
            let v = randomVector(k - 2, rng: &rng)
            #expect(maxAbsDifference(DifferencePenalty.apply(beta), naiveProduct(d, beta)) <= 1e-14)
            #expect(maxAbsDifference(DifferencePenalty.applyTransposed(v), naiveProduct(d.transposed, v)) <= 1e-14)
        }
    }

    @Test func constantsAndLinesHaveZeroPenalty() {
        for k in [3, 6, 46] {
            let precision = DifferencePenalty.precision(order: k)
            for (a, b) in [(1.0, 0.0), (-3.5, 0.25), (100.0, -7.0)] {
                let line = (0..<k).map { a + b * Double($0) }
                #expect(DifferencePenalty.apply(line).allSatisfy { abs($0) <= 1e-12 })
                #expect(abs(dot(line, precision.multiply(line))) <= 1e-9, "βᵀDᵀDβ of a line")
            }
            // A curved sequence is penalized.
            let parabola = (0..<k).map { Double($0 * $0) }
            #expect(dot(parabola, precision.multiply(parabola)) > 1)
        }
    }

    @Test func degenerateOrders() {
        #expect(DifferencePenalty.apply([1, 2]).isEmpty)
        #expect(DifferencePenalty.matrix(order: 2).rows == 0)
        #expect(DifferencePenalty.precision(order: 2).dense == Matrix(rows: 2, columns: 2))
    }
}
