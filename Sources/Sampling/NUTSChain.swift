import NumericCore
import SplineModels
import RealModule
#if canImport(Glibc)
import Glibc
#endif

/// Runs one NUTS chain end to end: a starting point, warm-up with dual
/// averaging of the step size and windowed estimation of the diagonal metric,
/// then the kept iterations with both frozen.
public enum NUTSChain {
    public static func run<Model: LogDensityModel>(model: Model, settings: SamplerSettings,
                                                   rng: inout RandomStream,
                                                   start: [Double]? = nil,
                                                   initialMetric: DiagonalMetric? = nil) throws -> ChainResult {
        let clock = ContinuousClock()
        let t0 = clock.now
        let position = try start ?? StartingPoint.draw(model, rng: &rng)
        var kernel = NUTS(model: model, stepSize: 1, metric: initialMetric ?? .unit(model.dimension),
                          maxTreeDepth: settings.maxTreeDepth)
        var state = kernel.initialState(position)
        kernel.stepSize = initialStepSize(kernel, state, rng: &rng)
        var stepAdaptation = DualAveraging(target: settings.targetAcceptance, initialStepSize: kernel.stepSize)
        var windows = WindowedAdaptation(warmup: settings.warmup, dimension: model.dimension)

        for i in 0..<settings.warmup {
            let (next, info) = kernel.step(state, rng: &rng)
            state = next
            kernel.stepSize = stepAdaptation.update(acceptance: info.acceptance)
            if let metric = windows.record(iteration: i, position: state.position) {
                kernel.metric = metric
                kernel.stepSize = initialStepSize(kernel, state, rng: &rng)
                stepAdaptation.restart(initialStepSize: kernel.stepSize)
            }
        }
        if settings.warmup > 0 { kernel.stepSize = stepAdaptation.finalStepSize }
        let t1 = clock.now

        var positions: [[Double]] = []
        var infos: [TransitionInfo] = []
        positions.reserveCapacity(settings.draws)
        infos.reserveCapacity(settings.draws)
        for _ in 0..<settings.draws {
            let (next, info) = kernel.step(state, rng: &rng)
            state = next
            positions.append(state.position)
            infos.append(info)
        }
        let t2 = clock.now
        return ChainResult(positions: positions, info: infos, stepSize: kernel.stepSize,
                           inverseMetric: kernel.metric.inverse,
                           warmupSeconds: seconds(t1 - t0), samplingSeconds: seconds(t2 - t1))
    }

    /// Stan's heuristic for a reasonable first step size: double or halve `ε`
    /// until the acceptance probability of one leapfrog step crosses 0.8.
    static func initialStepSize<Model: LogDensityModel>(_ kernel: NUTS<Model>, _ state: PhasePoint,
                                                        rng: inout RandomStream) -> Double {
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

/// Seconds in a `Duration`.
func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}
