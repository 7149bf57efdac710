import NumericCore
import RealModule

/// Stan's warm-up for NUTS as an adaptation around the kernel: before the
/// first iteration a first step size by `initialStepSize`; after every
/// warm-up iteration a dual-averaging update of the step size towards the
/// target acceptance statistic; at the end of each slow window of
/// `WindowedAdaptation` the diagonal metric re-estimated from that window,
/// followed by a fresh step-size search and a restart of dual averaging; at
/// the end of warm-up the averaged step size `ε̄`.
public struct NUTSWarmup<Model: LogDensityModel>: KernelAdaptation {
    public typealias Kernel = NUTS<Model>

    public let warmup: Int
    public let targetAcceptance: Double
    private var stepAdaptation: DualAveraging
    private var windows: WindowedAdaptation

    public init(warmup: Int, dimension: Int, targetAcceptance: Double = DualAveraging.defaultTarget) {
        self.warmup = warmup
        self.targetAcceptance = targetAcceptance
        stepAdaptation = DualAveraging(target: targetAcceptance, initialStepSize: 1)
        windows = WindowedAdaptation(warmup: warmup, dimension: dimension)
    }

    public mutating func begin(_ kernel: inout NUTS<Model>, state: PhasePoint, rng: inout RandomStream) {
        kernel.stepSize = Self.initialStepSize(kernel, state, rng: &rng)
        stepAdaptation = DualAveraging(target: targetAcceptance, initialStepSize: kernel.stepSize)
    }

    public mutating func adapt(_ kernel: inout NUTS<Model>, iteration i: Int, state: PhasePoint,
                               info: TransitionInfo, rng: inout RandomStream) {
        kernel.stepSize = stepAdaptation.update(acceptance: info.acceptance)
        if let metric = windows.record(iteration: i, position: state.position) {
            kernel.metric = metric
            kernel.stepSize = Self.initialStepSize(kernel, state, rng: &rng)
            stepAdaptation.restart(initialStepSize: kernel.stepSize)
        }
    }

    public func finish(_ kernel: inout NUTS<Model>) {
        if warmup > 0 { kernel.stepSize = stepAdaptation.finalStepSize }
    }

    /// Stan's heuristic for a reasonable first step size (`init_stepsize`):
    /// from the kernel's `ε`, double it while one leapfrog step from `state`
    /// with a fresh momentum has `H₀ − H > log 0.8`, or halve it while it has
    /// not, stopping at the first crossing; clamped to `[1e-10, 1e7]`.
    static func initialStepSize(_ kernel: NUTS<Model>, _ state: PhasePoint, rng: inout RandomStream) -> Double {
        var epsilon = kernel.stepSize
        var z = state
        z.momentum = kernel.metric.drawMomentum(&rng)
        let h0 = Leapfrog.hamiltonian(z, metric: kernel.metric)
        Leapfrog.step(&z, epsilon: epsilon, metric: kernel.metric, model: kernel.model)
        var delta = h0 - Leapfrog.hamiltonian(z, metric: kernel.metric)
        let direction = delta > Double.log(0.8) ? 1.0 : -1.0
        for _ in 0..<100 {
            z = state
            z.momentum = kernel.metric.drawMomentum(&rng)
            let h = Leapfrog.hamiltonian(z, metric: kernel.metric)
            Leapfrog.step(&z, epsilon: epsilon, metric: kernel.metric, model: kernel.model)
            delta = h - Leapfrog.hamiltonian(z, metric: kernel.metric)
            if direction == 1 && !(delta > Double.log(0.8)) { break }
            if direction == -1 && !(delta < Double.log(0.8)) { break }
            epsilon = direction == 1 ? 2 * epsilon : 0.5 * epsilon
            if epsilon > 1e7 || epsilon < 1e-10 { break }
        }
        return Swift.min(Swift.max(epsilon, 1e-10), 1e7)
    }
}

extension ChainRunner {
    /// One NUTS chain: from `start` (default: Stan's random start) on
    /// `initialMetric` (default: unit), warm-up by `NUTSWarmup`, then
    /// `settings.draws` kept iterations with step size and metric frozen.
    public static func nuts<Model: LogDensityModel>(model: Model, settings: SamplerSettings,
                                                    rng: inout RandomStream, start: [Double]? = nil,
                                                    initialMetric: DiagonalMetric? = nil) throws -> ChainResult {
        let position = try start ?? StartingPoint.draw(model, rng: &rng)
        let kernel = NUTS(model: model, stepSize: 1, metric: initialMetric ?? .unit(model.dimension),
                          maxTreeDepth: settings.maxTreeDepth)
        let warmup = NUTSWarmup<Model>(warmup: settings.warmup, dimension: model.dimension,
                                       targetAcceptance: settings.targetAcceptance)
        let run = ChainRunner.run(kernel, adaptation: warmup, from: kernel.initialState(position),
                                  warmup: settings.warmup, draws: settings.draws, thin: settings.thin,
                                  rng: &rng) { $0.position }
        return ChainResult(positions: run.draws, info: run.info, stepSize: run.kernel.stepSize,
                           inverseMetric: run.kernel.metric.inverse,
                           warmupSeconds: run.warmupSeconds, samplingSeconds: run.samplingSeconds)
    }
}
