import NumericCore
import RealModule

/// The random-walk Metropolis kernel: from `θ` propose `θ' = θ + s·L z`,
/// `z ~ Normal(0, I)`, and move there with probability
/// `min(1, π(θ')/π(θ))`. The proposal is symmetric, so this leaves `π`
/// invariant for any fixed factor `L` and scale `s`; `MetropolisWarmup`
/// tunes them.
public struct RandomWalkMetropolis<Model: LogDensityModel>: TransitionKernel, Sendable {
    /// A chain's state: the position and its log density.
    public struct State: Sendable {
        public var position: [Double]
        public var logDensity: Double
    }

    public let model: Model
    /// Lower Cholesky factor `L` of the proposal covariance (up to `s²`).
    public var factor: Matrix
    /// `log s`, the global proposal scale.
    public var logScale: Double

    public init(model: Model, factor: Matrix, logScale: Double) {
        self.model = model
        self.factor = factor
        self.logScale = logScale
    }

    public func initialState(_ position: [Double]) -> State {
        State(position: position, logDensity: model.logDensity(position))
    }

    public func step(_ state: inout State, rng: inout RandomStream) -> TransitionInfo {
        let d = state.position.count
        let z = (0..<d).map { _ in rng.standardNormal() }
        let direction = factor.multiply(z)
        let s = Double.exp(logScale)
        let candidate = (0..<d).map { state.position[$0] + s * direction[$0] }
        let candidateDensity = model.logDensity(candidate)
        let accept = candidateDensity.isFinite ? Swift.min(1, Double.exp(candidateDensity - state.logDensity)) : 0
        if rng.uniform() < accept { state = State(position: candidate, logDensity: candidateDensity) }
        return TransitionInfo(acceptance: accept)
    }

    /// The proposal variances `s²·diag(LLᵀ)`'s unscaled part, `diag(LLᵀ)`.
    public var proposalVariances: [Double] {
        let d = factor.rows
        var variances = [Double](repeating: 0, count: d)
        for i in 0..<d { for j in 0...i { variances[i] += factor[i, j] * factor[i, j] } }
        return variances
    }
}

/// Adaptive Metropolis warm-up (Haario, Saksman & Tamminen 2001; Roberts &
/// Rosenthal 2009): the proposal covariance `LLᵀ` is the posterior
/// covariance estimated in the expanding windows of `WindowedAdaptation`
/// (shrunk towards 1e-3·I like Stan's metric), with `s` reset to `2.38/√d`
/// when a window closes; between resets `log s` follows the Robbins–Monro
/// recursion `log s ← log s + (a_t − 0.234)/t^0.6` towards acceptance 0.234
/// (optimal for random-walk proposals in high dimension; Roberts, Gelman &
/// Gilks 1997). Both freeze after warm-up, so the kept iterations form a
/// valid Metropolis chain.
public struct MetropolisWarmup<Model: LogDensityModel>: KernelAdaptation {
    public typealias Kernel = RandomWalkMetropolis<Model>

    /// Target acceptance rate (Roberts, Gelman & Gilks 1997).
    public static var targetAcceptance: Double { 0.234 }

    private var windows: WindowedAdaptation
    private var windowPositions: [[Double]] = []

    public init(warmup: Int, dimension: Int) {
        windows = WindowedAdaptation(warmup: warmup, dimension: dimension)
    }

    public func begin(_ kernel: inout Kernel, state: Kernel.State, rng: inout RandomStream) {}

    public mutating func adapt(_ kernel: inout Kernel, iteration i: Int, state: Kernel.State, info: TransitionInfo,
                               rng: inout RandomStream) {
        kernel.logScale += (info.acceptance - Self.targetAcceptance) / Double.pow(Double(i + 1), 0.6)
        if windows.inSlowWindow(i) { windowPositions.append(state.position) }
        if windows.record(iteration: i, position: state.position) != nil {
            if let l = Self.covarianceFactor(windowPositions) {
                kernel.factor = l
                kernel.logScale = Double.log(2.38 / Double(l.rows).squareRoot())
            }
            windowPositions.removeAll(keepingCapacity: true)
        }
    }

    public func finish(_ kernel: inout Kernel) {}

    /// Cholesky factor of the regularized sample covariance of `positions`,
    /// `(n/(n+5))·S + 1e-3·(5/(n+5))·I` with `S` the unbiased sample
    /// covariance, or nil with too few points or no factorization.
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

extension ChainRunner {
    /// One adaptive Metropolis chain from `start` (default: Stan's random
    /// start), proposal `0.1·(2.38/√d)·I` until the first window closes.
    public static func metropolis<Model: LogDensityModel>(model: Model, settings: SamplerSettings,
                                                          rng: inout RandomStream,
                                                          start: [Double]? = nil) throws -> ChainResult {
        let d = model.dimension
        let position = try start ?? StartingPoint.draw(model, rng: &rng)
        let kernel = RandomWalkMetropolis(model: model, factor: .identity(d),
                                          logScale: Double.log(2.38 / Double(d).squareRoot() * 0.1))
        let run = ChainRunner.run(kernel, adaptation: MetropolisWarmup<Model>(warmup: settings.warmup, dimension: d),
                                  from: kernel.initialState(position), warmup: settings.warmup,
                                  draws: settings.draws, thin: settings.thin, rng: &rng) { $0.position }
        return ChainResult(positions: run.draws, info: run.info, stepSize: Double.exp(run.kernel.logScale),
                           inverseMetric: run.kernel.proposalVariances,
                           warmupSeconds: run.warmupSeconds, samplingSeconds: run.samplingSeconds)
    }
}
