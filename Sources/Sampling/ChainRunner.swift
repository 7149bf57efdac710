import NumericCore
import SplineModels

/// What `ChainRunner.run` keeps of one chain.
public struct ChainRun<Kernel: TransitionKernel, Draw> {
    /// One recorded draw per kept iteration.
    public var draws: [Draw]
    /// The information of each kept iteration's transition.
    public var info: [Kernel.Info]
    /// The kernel with the parameters warm-up left it with (frozen while sampling).
    public var kernel: Kernel
    public var finalState: Kernel.State
    public var warmupSeconds: Double
    public var samplingSeconds: Double
}

/// The one chain runner (a "service" in Stan's sense): it alone knows about
/// warm-up, kept iterations, thinning, chains and their random streams. The
/// kernels know one transition; the adaptations know how to tune a kernel;
/// `SplineFitter`, simulation-based calibration and the tests all run chains
/// through here.
public enum ChainRunner {
    /// Stream of the pilot that sets a `.partial` model's coordinates; chain
    /// `c` uses stream `c`, so ids below this are chains.
    public static let coordinatePilotStream: UInt64 = 1 << 33

    /// Runs one chain of `kernel` from `start`: `warmup` iterations, each
    /// followed by `adaptation.adapt`, then `draws × thin` iterations with the
    /// kernel frozen, recording every `thin`-th state with `record` (and the
    /// information of that iteration's transition).
    public static func run<Adaptation: KernelAdaptation, Draw>(
        _ kernel: Adaptation.Kernel, adaptation: Adaptation, from start: Adaptation.Kernel.State,
        warmup: Int, draws: Int, thin: Int = 1, rng: inout RandomStream,
        record: (Adaptation.Kernel.State) -> Draw
    ) -> ChainRun<Adaptation.Kernel, Draw> {
        let clock = ContinuousClock()
        let t0 = clock.now
        var kernel = kernel
        var adaptation = adaptation
        var state = start
        adaptation.begin(&kernel, state: state, rng: &rng)
        for i in 0..<Swift.max(0, warmup) {
            let info = kernel.step(&state, rng: &rng)
            adaptation.adapt(&kernel, iteration: i, state: state, info: info, rng: &rng)
        }
        adaptation.finish(&kernel)
        let t1 = clock.now

        let kept = Swift.max(0, draws), every = Swift.max(1, thin)
        var recorded: [Draw] = []
        var infos: [Adaptation.Kernel.Info] = []
        recorded.reserveCapacity(kept)
        infos.reserveCapacity(kept)
        for _ in 0..<kept {
            var info = kernel.step(&state, rng: &rng)
            for _ in 1..<every { info = kernel.step(&state, rng: &rng) }
            recorded.append(record(state))
            infos.append(info)
        }
        let t2 = clock.now
        return ChainRun(draws: recorded, info: infos, kernel: kernel, finalState: state,
                        warmupSeconds: seconds(t1 - t0), samplingSeconds: seconds(t2 - t1))
    }
}

extension ChainRunner {
    /// The spline model in the coordinates every chain of a gradient sampler
    /// shares: for `.partial` coordinates, the non-centring exponents are set
    /// from the posterior medians of σ and τ of one Gibbs pilot on its own
    /// stream (`coordinatePilotStream`). The Gibbs sampler ignores the
    /// coordinates, so its model is returned unchanged.
    public static func productionModel(_ model: SplineModel, settings: SamplerSettings) throws -> SplineModel {
        guard model.parametrization == .partial && settings.sampler != .gibbs else { return model }
        var rng = RandomStream(seed: settings.seed, stream: coordinatePilotStream)
        let estimates = try ConjugateGibbs.scaleEstimates(model: model, rng: &rng)
        return model.withNonCentring(sigma: estimates.sigma, tau: estimates.tau)
    }

    /// One chain of the spline model as `slowreg fit` runs it: Gibbs directly;
    /// NUTS from the last state of a short Gibbs pilot with the pilot's
    /// variances as the initial metric; Metropolis from a random start.
    public static func splineChain(model: SplineModel, settings: SamplerSettings,
                                   rng: inout RandomStream) throws -> ChainResult {
        switch settings.sampler {
        case .gibbs:
            return try gibbs(model: model, settings: settings, rng: &rng, positions: false)
        case .nuts:
            let pilot = try ConjugateGibbs.pilot(model: model, rng: &rng)
            return try nuts(model: model, settings: settings, rng: &rng, start: pilot.start,
                            initialMetric: pilot.inverseMetric)
        case .metropolis:
            return try metropolis(model: model, settings: settings, rng: &rng)
        }
    }

    /// `settings.chains` chains of `model` (already in production coordinates,
    /// see `productionModel`), as `chains` runs them.
    public static func splineChains(model: SplineModel, settings: SamplerSettings) async throws -> [ChainResult] {
        try await chains(settings: settings) { rng in try splineChain(model: model, settings: settings, rng: &rng) }
    }

    /// Runs `settings.chains` chains, chain `c` given random stream `c` of
    /// `settings.seed`, on up to `settings.threads` threads; results are in
    /// chain order and do not depend on the number of threads.
    public static func chains<Result: Sendable>(
        settings: SamplerSettings, _ chain: @escaping @Sendable (inout RandomStream) throws -> Result
    ) async throws -> [Result] {
        try await threadedMap(count: settings.chains, threads: settings.threads) { c -> Result in
            var rng = RandomStream(seed: settings.seed, stream: UInt64(c))
            return try chain(&rng)
        }
    }
}

/// Seconds in a `Duration`.
func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}
