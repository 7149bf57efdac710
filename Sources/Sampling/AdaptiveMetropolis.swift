import NumericCore
import SplineModels
import RealModule

/// Adaptive random-walk Metropolis (Haario, Saksman & Tamminen 2001; Roberts &
/// Rosenthal 2009): Gaussian proposals `θ' = θ + s·L z` with `LLᵀ` the
/// posterior covariance estimated during warm-up (in the same expanding
/// windows as NUTS) times `2.38²/d`, and the global scale `s` tuned by a
/// Robbins–Monro recursion towards acceptance 0.234 (optimal for random-walk
/// proposals in high dimension). Both freeze after warm-up, so the kept
/// iterations form a valid Metropolis chain. A baseline and fallback: it needs
/// no gradient but mixes slowly in high dimension.
public enum AdaptiveMetropolis {
    /// Target acceptance rate (Roberts, Gelman & Gilks 1997).
    public static let targetAcceptance = 0.234

    public static func run<Model: LogDensityModel>(model: Model, settings: SamplerSettings,
                                                   rng: inout RandomStream,
                                                   start: [Double]? = nil) throws -> ChainResult {
        let clock = ContinuousClock()
        let t0 = clock.now
        let d = model.dimension
        var theta = try start ?? StartingPoint.draw(model, rng: &rng)
        var lp = model.logDensity(theta)
        var factor = Matrix.identity(d)          // L
        var logScale = Double.log(2.38 / Double(d).squareRoot() * 0.1)
        var windows = WindowedAdaptation(warmup: settings.warmup, dimension: d)
        var windowPositions: [[Double]] = []

        func propose(_ rng: inout RandomStream) -> [Double] {
            let z = (0..<d).map { _ in rng.standardNormal() }
            let step = factor.multiply(z)
            let s = Double.exp(logScale)
            return (0..<d).map { theta[$0] + s * step[$0] }
        }

        for i in 0..<settings.warmup {
            let candidate = propose(&rng)
            let lpc = model.logDensity(candidate)
            let accept = lpc.isFinite ? Swift.min(1, Double.exp(lpc - lp)) : 0
            if rng.uniform() < accept { theta = candidate; lp = lpc }
            logScale += (accept - targetAcceptance) / Double.pow(Double(i + 1), 0.6)
            if windows.inSlowWindow(i) { windowPositions.append(theta) }
            if windows.record(iteration: i, position: theta) != nil {
                if let l = covarianceFactor(windowPositions) {
                    factor = l
                    logScale = Double.log(2.38 / Double(d).squareRoot())
                }
                windowPositions.removeAll(keepingCapacity: true)
            }
        }
        let t1 = clock.now
        var positions: [[Double]] = []
        var infos: [TransitionInfo] = []
        positions.reserveCapacity(settings.draws)
        for _ in 0..<settings.draws {
            let candidate = propose(&rng)
            let lpc = model.logDensity(candidate)
            let accept = lpc.isFinite ? Swift.min(1, Double.exp(lpc - lp)) : 0
            if rng.uniform() < accept { theta = candidate; lp = lpc }
            positions.append(theta)
            infos.append(TransitionInfo(acceptance: accept))
        }
        let t2 = clock.now
        var variances = [Double](repeating: 0, count: d)
        for i in 0..<d { for j in 0...i { variances[i] += factor[i, j] * factor[i, j] } }
        return ChainResult(positions: positions, info: infos, stepSize: Double.exp(logScale),
                           inverseMetric: variances, warmupSeconds: seconds(t1 - t0), samplingSeconds: seconds(t2 - t1))
    }

    /// Cholesky factor of the regularized sample covariance of `positions`
    /// (shrunk towards 1e-3·I like Stan's metric), or nil with too few points.
    static func covarianceFactor(_ positions: [[Double]]) -> Matrix? {
        let n = positions.count
        guard n > 2, let d = positions.first?.count else { return nil }
        var means = [Double](repeating: 0, count: d)
        for p in positions { for j in 0..<d { means[j] += p[j] / Double(n) } }
        var centred = Matrix(rows: n, columns: d)
        for (i, p) in positions.enumerated() { for j in 0..<d { centred[i, j] = p[j] - means[j] } }
        var cov = centred.multiply(centred, transposeSelf: true)
        let nD = Double(n)
        for j in 0..<d {
            for i in 0..<d { cov[i, j] *= (nD / (nD + 5)) / (nD - 1) }
            cov[j, j] += 1e-3 * 5 / (nD + 5)
        }
        return try? CholeskyFactor(cov).lower
    }
}
