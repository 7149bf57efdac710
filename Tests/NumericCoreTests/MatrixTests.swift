import NumericCore
import Testing

/// Dense matrices: BLAS products against the definition, the LU inverse, and
/// errors as values.
struct MatrixTests {
    @Test func layoutIsColumnMajor() {
        let m = Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.storage == [1, 4, 2, 5, 3, 6])
        #expect(m[1, 2] == 6)
        #expect(m.transposed == Matrix(rowMajor: [[1, 4], [2, 5], [3, 6]]))
        #expect(Matrix(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6]) == m)
        #expect(Matrix.identity(3)[1, 1] == 1 && Matrix.identity(3)[0, 1] == 0)
    }

    @Test func matrixVectorProductsMatchTheDefinition() {
        var rng = RandomStream(seed: 11)
        for (rows, columns) in [(1, 1), (3, 5), (17, 4), (46, 46)] {
            var a = Matrix(rows: rows, columns: columns)
            for k in a.storage.indices { a.storage[k] = rng.standardNormal() }
            let x = randomVector(columns, rng: &rng)
            let y = randomVector(rows, rng: &rng)
            #expect(maxAbsDifference(a.multiply(x), naiveProduct(a, x)) <= 1e-13)
            #expect(maxAbsDifference(a * x, naiveProduct(a, x)) <= 1e-13)
            #expect(maxAbsDifference(a.multiply(y, transpose: true), naiveProduct(a.transposed, y)) <= 1e-13)
        }
    }

    @Test func matrixProductsMatchTheDefinition() {
        var rng = RandomStream(seed: 12)
        func random(_ r: Int, _ c: Int) -> Matrix {
            var m = Matrix(rows: r, columns: c)
            for k in m.storage.indices { m.storage[k] = rng.standardNormal() }
            return m
        }
        let a = random(5, 3), b = random(3, 4), c = random(5, 4), d = random(4, 3)
        #expect(maxAbsDifference(a * b, naiveProduct(a, b)) <= 1e-13)
        #expect(maxAbsDifference(a.multiply(c, transposeSelf: true), naiveProduct(a.transposed, c)) <= 1e-13)
        #expect(maxAbsDifference(a.multiply(d, transposeOther: true), naiveProduct(a, d.transposed)) <= 1e-13)
        #expect(maxAbsDifference(b.multiply(a, transposeSelf: true, transposeOther: true),
                                 naiveProduct(b.transposed, a.transposed)) <= 1e-13)
    }

    @Test func dotProduct() {
        #expect(isClose(dot([1, 2, 3], [4, -5, 6]), 12, relative: 1e-15))
        #expect(dot([], []) == 0)
    }

    @Test func inverseTimesMatrixIsIdentity() throws {
        var rng = RandomStream(seed: 13)
        for n in [1, 2, 6, 30] {
            var a = Matrix(rows: n, columns: n)
            for k in a.storage.indices { a.storage[k] = rng.standardNormal() }
            for i in 0..<n { a[i, i] += 3 } // keep it comfortably non-singular
            let inverse = try a.inverse()
            #expect(maxAbsDifference(naiveProduct(a, inverse), .identity(n)) <= 1e-12, "order \(n)")
            #expect(maxAbsDifference(naiveProduct(inverse, a), .identity(n)) <= 1e-12, "order \(n)")
        }
    }

    @Test func singularOrNonSquareInverseThrows() {
        #expect(throws: LinearAlgebraError.singular(order: 2, pivot: 2)) {
            try Matrix(rowMajor: [[1, 2], [2, 4]]).inverse()
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).inverse() }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 3, columns: 3).inverse() }
        #expect(LinearAlgebraError.singular(order: 2, pivot: 2).description.contains("singular"))
    }
}
