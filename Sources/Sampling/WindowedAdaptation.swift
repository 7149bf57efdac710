import NumericCore

/// The warm-up schedule of Stan's windowed adaptation: a fast initial buffer
/// (75 iterations) where only the step size adapts, a series of slow windows
/// (25, 50, 100, … iterations, the last stretched to the buffer) at the end of
/// each of which the diagonal metric is re-estimated from the positions of that
/// window, and a terminal buffer (50) where the step size settles for the final
/// metric. Short warm-ups shrink the buffers proportionally (15% / 75% / 10%),
/// as Stan does.
public struct WindowedAdaptation: Sendable {
    public let warmup: Int
    public private(set) var initialBuffer: Int
    public private(set) var terminalBuffer: Int
    public private(set) var baseWindow: Int

    /// Stan's defaults.
    public static let defaultInitialBuffer = 75
    public static let defaultTerminalBuffer = 50
    public static let defaultBaseWindow = 25

    private var windowEnd: Int
    private var windowSize: Int
    private var moments: [RunningMoments]

    public init(warmup: Int, dimension: Int) {
        self.warmup = warmup
        var ib = Self.defaultInitialBuffer, tb = Self.defaultTerminalBuffer, bw = Self.defaultBaseWindow
        if warmup < 20 {
            ib = warmup; tb = 0; bw = 0
        } else if ib + bw + tb > warmup {
            ib = Int(0.15 * Double(warmup))
            tb = Int(0.1 * Double(warmup))
            bw = warmup - (ib + tb)
        }
        initialBuffer = ib
        terminalBuffer = tb
        baseWindow = bw
        windowSize = bw
        windowEnd = ib + bw
        if windowEnd + 2 * bw >= warmup - tb { windowEnd = warmup - tb }
        moments = Array(repeating: RunningMoments(), count: dimension)
    }

    /// Whether iteration `i` (0-based) is inside a slow (metric) window.
    public func inSlowWindow(_ i: Int) -> Bool {
        baseWindow > 0 && i >= initialBuffer && i < warmup - terminalBuffer
    }

    /// Records the position after warm-up iteration `i`. Returns a new inverse
    /// metric when `i` closes a slow window (the caller then restarts step-size
    /// adaptation), else nil.
    public mutating func record(iteration i: Int, position: [Double]) -> DiagonalMetric? {
        guard inSlowWindow(i) else { return nil }
        for j in position.indices { moments[j].add(position[j]) }
        guard i == windowEnd - 1 else { return nil }
        // Regularize towards 1e-3 as Stan does: (n/(n+5))·var + 1e-3·(5/(n+5)).
        let inverse = moments.map { m -> Double in
            let n = Double(m.count)
            let v = m.count > 1 ? m.variance : 1
            return (n / (n + 5)) * v + 1e-3 * (5 / (n + 5))
        }
        moments = Array(repeating: RunningMoments(), count: moments.count)
        windowSize *= 2
        windowEnd = i + 1 + windowSize
        if windowEnd + 2 * windowSize >= warmup - terminalBuffer { windowEnd = warmup - terminalBuffer }
        return DiagonalMetric(inverse: inverse)
    }
}
