import NumericCore
import Testing

/// Per-day posterior draws stored day by day.
struct DrawMatrixTests {
    @Test func rowsAreDaysAndQuantilesReadOneDay() {
        var draws = DrawMatrix(dayCount: 3, drawCount: 4)
        for day in 0..<3 { for d in 0..<4 { draws[day, d] = Double(10 * day + d) } }
        #expect(draws.values == [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23])
        #expect(Array(draws.draws(day: 1)) == [10, 11, 12, 13])
        let q = draws.quantiles(day: 2, [0, 0.5, 1])
        #expect(isClose(q[0], 20, relative: 1e-15) && isClose(q[1], 21.5, relative: 1e-15) && isClose(q[2], 23, relative: 1e-15))
        #expect(DrawMatrix(dayCount: 2, drawCount: 2, values: [1, 2, 3, 4])[1, 0] == 3)
    }
}
