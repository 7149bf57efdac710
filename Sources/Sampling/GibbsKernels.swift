import NumericCore
import SplineModels
import RealModule

/// The overdispersed starting values of a Gibbs chain on the working scale:
/// `σ = 0.5·e^{u₁}`, `τ = 0.1·e^{2u₂}`, `ν = 10·e^{u₃}` with `uᵢ` uniform on
/// `(−1, 1)`, coefficients zero. ν is drawn for every noise model so that a
/// chain's random stream does not depend on which solver runs it.
public struct GibbsStart: Sendable, Equatable {
    public var sigma: Double
    public var tau: Double
    public var nu: Double

    public init(sigma: Double, tau: Double, nu: Double) {
        self.sigma = sigma
        self.tau = tau
        self.nu = nu
    }

    public static func draw(_ rng: inout RandomStream) -> GibbsStart {
        let sigma = 0.5 * Double.exp(2 * rng.uniform() - 1)
        let tau = 0.1 * Double.exp(4 * rng.uniform() - 2)
        let nu = 10 * Double.exp(2 * rng.uniform() - 1)
        return GibbsStart(sigma: sigma, tau: tau, nu: nu)
    }
}

/// The slice widths of the log-scale updates of a sweep: the only tuning
/// parameters of the Gibbs kernels (any fixed widths leave the posterior
/// invariant; they change only the cost of a sweep).
public struct GibbsSliceWidths: Sendable, Equatable {
    public var logTau = 1.0
    public var logSigma = 0.5
    public var logNu = 1.0

    public init() {}
}

/// What one Gibbs sweep reports: the log-scale values its slice updates
/// moved to (what the width adaptation observes) and whether the
/// coefficients' conditional precision failed to factor.
public struct GibbsInfo: Sendable, Equatable {
    public var logTau: Double
    public var logSigma: Double
    /// nil without a ν update (Gaussian noise).
    public var logNu: Double?
    /// The band Cholesky of `Q` failed, so the coefficients were not drawn
    /// this sweep (they keep their previous values).
    public var failedFactorization: Bool

    /// The sampler-independent summary kept with the chain.
    public var transition: TransitionInfo {
        TransitionInfo(acceptance: 1, failedFactorization: failedFactorization)
    }
}

/// A conjugate Gibbs sweep of the spline model as a transition kernel.
protocol SplineGibbsKernel: TransitionKernel where Position == GibbsStart, Info == GibbsInfo {
    var widths: GibbsSliceWidths { get set }
    /// The spline parameters of a state.
    func parameters(_ state: State) -> SplineParameters
}

/// The band solver's kernel (any noise with a scale-mixture form; `GibbsState.sweep`).
struct BandGibbs: SplineGibbsKernel {
    let model: SplineModel
    let noise: any ConjugateNoise
    var widths = GibbsSliceWidths()

    /// nil when the model's noise has no scale-mixture form (`ConjugateNoise`).
    init?(model: SplineModel) {
        guard let noise = model.conjugateNoise else { return nil }
        self.model = model
        self.noise = noise
    }

    func initialState(_ start: GibbsStart) -> GibbsState { GibbsState(model: model, noise: noise, start: start) }

    func step(_ state: inout GibbsState, rng: inout RandomStream) -> GibbsInfo {
        state.sweep(widths: widths, rng: &rng)
    }

    func parameters(_ state: GibbsState) -> SplineParameters { state.parameters }
}

/// The Demmler–Reinsch solver's kernel (Gaussian noise; `DiagonalGibbsState.sweep`).
/// Its structure is computed once, by the failable `init`.
struct DiagonalGibbs: SplineGibbsKernel {
    private let template: DiagonalGibbsState
    var widths = GibbsSliceWidths()

    /// nil when the solver is not valid for `model` (see `DiagonalGibbsState`).
    init?(model: SplineModel) {
        guard let template = DiagonalGibbsState(model: model) else { return nil }
        self.template = template
    }

    func initialState(_ start: GibbsStart) -> DiagonalGibbsState {
        var state = template
        state.sigma = start.sigma
        state.tau = start.tau
        return state
    }

    func step(_ state: inout DiagonalGibbsState, rng: inout RandomStream) -> GibbsInfo {
        state.sweep(widths: widths, rng: &rng)
    }

    func parameters(_ state: DiagonalGibbsState) -> SplineParameters {
        SplineParameters(coefficients: state.model.design.coefficients(reparametrized: state.v),
                         sigma: state.sigma, tau: state.tau, nu: nil)
    }
}

/// Warm-up of the Gibbs kernels: each slice width follows `SliceWidthTuner`
/// (a multiple of the running standard deviation of the values its update
/// moved to), fed from the sweep's `GibbsInfo`.
struct GibbsWarmup<Kernel: SplineGibbsKernel>: KernelAdaptation {
    private var tau = SliceWidthTuner(initialWidth: GibbsSliceWidths().logTau)
    private var sigma = SliceWidthTuner(initialWidth: GibbsSliceWidths().logSigma)
    private var nu = SliceWidthTuner(initialWidth: GibbsSliceWidths().logNu)

    func begin(_ kernel: inout Kernel, state: Kernel.State, rng: inout RandomStream) {}

    mutating func adapt(_ kernel: inout Kernel, iteration i: Int, state: Kernel.State, info: GibbsInfo,
                        rng: inout RandomStream) {
        tau.observe(info.logTau, warmupIteration: i)
        sigma.observe(info.logSigma, warmupIteration: i)
        if let logNu = info.logNu { nu.observe(logNu, warmupIteration: i) }
        kernel.widths.logTau = tau.width
        kernel.widths.logSigma = sigma.width
        kernel.widths.logNu = nu.width
    }

    func finish(_ kernel: inout Kernel) {}
}

extension ChainRunner {
    /// One conjugate Gibbs chain of `model` from an overdispersed start
    /// (`GibbsStart`), by the Demmler–Reinsch solver when it is valid and the
    /// band solver otherwise. Its kept draws are `parameters`; `positions`
    /// (θ in the model's coordinates) are filled only when `positions` is
    /// true — the fit service does not need them, and for `.partial`
    /// coordinates they cost an exponential per coefficient and draw.
    /// `solver` forces a solver (nil: the diagonal one whenever it is valid).
    public static func gibbs(model: SplineModel, settings: SamplerSettings, rng: inout RandomStream,
                             positions: Bool = true, solver: ConjugateGibbs.CoefficientSolver? = nil) throws
        -> ChainResult {
        guard let kernel = BandGibbs(model: model) else {
            throw SamplingError.samplerNotApplicable(
                "the Gibbs sampler needs noise with a scale-mixture form; \(model.noise.rawValue) noise has none: use nuts")
        }
        let start = GibbsStart.draw(&rng)
        if solver != .band, let diagonal = DiagonalGibbs(model: model) {
            return diagonalGibbs(diagonal, model: model, start: start, settings: settings, rng: &rng, positions: positions)
        }
        let run = ChainRunner.run(kernel, adaptation: GibbsWarmup<BandGibbs>(), from: kernel.initialState(start),
                                  warmup: settings.warmup, draws: settings.draws, thin: settings.thin,
                                  rng: &rng) { $0.parameters }
        return ChainResult(positions: positions ? run.draws.map { model.unconstrained($0) } : [],
                           info: run.info.map(\.transition),
                           warmupSeconds: run.warmupSeconds, samplingSeconds: run.samplingSeconds,
                           parameters: run.draws)
    }

    /// The diagonal solver's chain: it keeps `v`, σ, τ per draw and forms
    /// β = Gv for all kept draws in one matrix product, and θ straight from
    /// `v` (no round trip through β).
    private static func diagonalGibbs(_ kernel: DiagonalGibbs, model: SplineModel, start: GibbsStart,
                                      settings: SamplerSettings, rng: inout RandomStream,
                                      positions keepPositions: Bool) -> ChainResult {
        let run = ChainRunner.run(kernel, adaptation: GibbsWarmup<DiagonalGibbs>(), from: kernel.initialState(start),
                                  warmup: settings.warmup, draws: settings.draws, thin: settings.thin,
                                  rng: &rng) { (v: $0.v, sigma: $0.sigma, tau: $0.tau) }
        let k = model.design.count, draws = run.draws.count
        var keptV = [Double](repeating: 0, count: k * draws)
        for (d, draw) in run.draws.enumerated() { for j in 0..<k { keptV[d * k + j] = draw.v[j] } }
        let betas = model.design.reparametrization.multiply(Matrix(rows: k, columns: draws, columnMajor: keptV))
        var parameters: [SplineParameters] = []
        var positions: [[Double]] = []
        parameters.reserveCapacity(draws)
        positions.reserveCapacity(keepPositions ? draws : 0)
        for (d, draw) in run.draws.enumerated() {
            let beta = Array(betas.storage[(d * k)..<((d + 1) * k)])
            parameters.append(SplineParameters(coefficients: beta, sigma: draw.sigma, tau: draw.tau, nu: nil))
            guard keepPositions else { continue }
            var theta = [Double](repeating: 0, count: model.dimension)
            let multipliers = model.penalizedMultipliers(logTau: Double.log(draw.tau))
            for j in 0..<(k - 2) { theta[j] = draw.v[j] / multipliers[j] }
            theta[model.interceptIndex] = draw.v[k - 2]
            theta[model.trendIndex] = draw.v[k - 1]
            theta[model.logSigmaIndex] = Double.log(draw.sigma)
            theta[model.logTauIndex] = Double.log(draw.tau)
            positions.append(theta)
        }
        return ChainResult(positions: positions, info: run.info.map(\.transition),
                           warmupSeconds: run.warmupSeconds, samplingSeconds: run.samplingSeconds,
                           parameters: parameters)
    }
}
