import NumericCore
import RealModule

/// Univariate slice sampling with stepping out and shrinkage (Neal 2003,
/// "Slice sampling", Annals of Statistics 31, §4, figs. 3 and 5). Leaves the
/// target `exp(logDensity)` invariant for any fixed `width`; the width only
/// changes how many evaluations a step costs, so it may be tuned in warm-up
/// and must be frozen afterwards.
public enum SliceSampler {
    /// Maximum stepping-out steps on each side (`m` in Neal's notation).
    public static let maxSteppingOut = 32

    /// One slice-sampling update of `x` (whose log density is `current`).
    /// Returns the new point and its log density.
    public static func step(from x: Double, current: Double, width: Double, rng: inout RandomStream,
                            logDensity: (Double) -> Double) -> (x: Double, logDensity: Double) {
        let level = current - rng.exponential()
        var left = x - width * rng.uniform()
        var right = left + width
        var j = Int((Double(maxSteppingOut) * rng.uniform()).rounded(.down))
        var k = maxSteppingOut - 1 - j
        while j > 0 && logDensity(left) > level { left -= width; j -= 1 }
        while k > 0 && logDensity(right) > level { right += width; k -= 1 }
        while true {
            let candidate = left + (right - left) * rng.uniform()
            let lp = logDensity(candidate)
            if lp > level { return (candidate, lp) }
            if candidate < x { left = candidate } else { right = candidate }
            if right - left < 1e-12 { return (x, current) }
        }
    }
}

/// Tunes a slice width during warm-up to a multiple of the running standard
/// deviation of the sampled values (about 2.5 sd costs ~4–6 evaluations per step).
struct SliceWidthTuner: Sendable {
    var width: Double
    private var moments = RunningMoments()
    static let sdMultiple = 2.5

    init(initialWidth: Double) { width = initialWidth }

    mutating func observe(_ x: Double, warmupIteration i: Int) {
        guard i >= 20 else { return }
        moments.add(x)
        if moments.count % 25 == 0, moments.count > 1, moments.standardDeviation > 0 {
            width = Swift.max(Self.sdMultiple * moments.standardDeviation, 1e-4)
        }
    }
}
