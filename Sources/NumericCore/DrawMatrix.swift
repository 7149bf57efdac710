/// Posterior draws of one quantity per day: `dayCount` rows (day 0 … last
/// day of the series) by `drawCount` columns, stored row by row so that the
/// draws of one day are contiguous (quantiles per day read one slice).
///
/// Draw `d` of every day comes from the same posterior draw, so differences
/// between two days taken draw by draw are draws of the difference.
public struct DrawMatrix: Sendable, Equatable {
    public let dayCount: Int
    public let drawCount: Int
    /// `values[day * drawCount + draw]`.
    public var values: [Double]

    public init(dayCount: Int, drawCount: Int, repeating value: Double = 0) {
        precondition(dayCount >= 0 && drawCount >= 0)
        self.dayCount = dayCount
        self.drawCount = drawCount
        values = Array(repeating: value, count: dayCount * drawCount)
    }

    public init(dayCount: Int, drawCount: Int, values: [Double]) {
        precondition(values.count == dayCount * drawCount, "draw storage does not match shape")
        self.dayCount = dayCount
        self.drawCount = drawCount
        self.values = values
    }

    @inlinable
    public subscript(day: Int, draw: Int) -> Double {
        get { values[day * drawCount + draw] }
        set { values[day * drawCount + draw] = newValue }
    }

    /// The draws of one day.
    public func draws(day: Int) -> ArraySlice<Double> {
        values[(day * drawCount)..<((day + 1) * drawCount)]
    }

    /// Quantiles (R type 7) of one day's draws.
    public func quantiles(day: Int, _ ps: [Double]) -> [Double] {
        let sorted = draws(day: day).sorted()
        return ps.map { quantile(sorted: sorted, $0) }
    }
}

/// Each day's draws in ascending order: quantiles of any day cost O(1) after
/// one sort per day, however many are asked for. (The pairing of draws across
/// days is lost; keep the `DrawMatrix` for paired differences.)
public struct SortedDraws: Sendable, Equatable {
    public let rows: DrawMatrix

    public init(_ draws: DrawMatrix) {
        var sorted = draws
        let n = draws.drawCount
        var sorter = RadixSorter()
        sorted.values.withUnsafeMutableBufferPointer { buffer in
            for day in 0..<draws.dayCount {
                sorter.sort(UnsafeMutableBufferPointer(rebasing: buffer[(day * n)..<((day + 1) * n)]))
            }
        }
        rows = sorted
    }

    public var dayCount: Int { rows.dayCount }
    public var drawCount: Int { rows.drawCount }

    /// Quantile (R type 7) of one day's draws.
    public func quantile(day: Int, _ p: Double) -> Double {
        let n = rows.drawCount
        return rows.values.withUnsafeBufferPointer { buffer in
            NumericCore.quantile(sorted: UnsafeBufferPointer(rebasing: buffer[(day * n)..<((day + 1) * n)]), p)
        }
    }

    /// Quantiles (R type 7) of one day's draws.
    public func quantiles(day: Int, _ ps: [Double]) -> [Double] {
        ps.map { quantile(day: day, $0) }
    }

    /// Quantiles of the day's draws after rescaling them about the day's
    /// median by `factor` (`m + f·(x − m)`, monotone for f > 0, so it maps
    /// quantiles to quantiles).
    public func quantiles(day: Int, _ ps: [Double], rescaledBy factor: Double) -> [Double] {
        let m = quantile(day: day, 0.5)
        return ps.map { m + factor * (quantile(day: day, $0) - m) }
    }
}
