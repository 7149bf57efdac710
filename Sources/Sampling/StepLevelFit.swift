import Foundation
import RealModule
import NumericCore
import SplineModels
import Diagnostics

/// A day on which the level of a fit probably stepped (SPEC §5b change days).
public struct ChangeDay: Sendable, Equatable {
    /// Row of the fit's draw matrices (day index − `firstDay`).
    public var row: Int
    /// Posterior probability that the level moved by at least
    /// ``StepLevelFitter/materialStepPercent`` that day.
    public var probability: Double
    /// Posterior median of the day's change of the level, in percent.
    public var sizePercent: Double
}

/// What the series job needs of any model's fit: per-day level and predictive
/// draws over `firstDay…lastDay`, diagnostics, timing, and the change days
/// when the model has steps.
public struct LevelFit: Sendable {
    /// The model's name and version, stored with every fit (SPEC §5).
    public let modelName: String
    public let modelVersion: Int
    public let firstDay: Int
    public let lastDay: Int
    public let level: DrawMatrix
    public let predictive: DrawMatrix
    public let diagnostics: FitDiagnostics
    public var timing: FitTiming
    /// Points the model saw.
    public let pointCount: Int
    /// Size of the level's parametrization (K for the spline, days for the step level).
    public let parameterCount: Int
    public let changeDays: [ChangeDay]
    /// The noise model the fit used and, when it was chosen by PSIS-LOO, the
    /// comparison behind the choice (nil for the reference model).
    public var noise: NoiseChoice?
    /// Each point's leave-one-out predictive intervals, for the
    /// recalibration (step-level model; nil for the reference model, or when
    /// they could not be estimated).
    public var leaveOneOut: LeaveOneOutIntervals?
    /// The first run's status when its chains were flagged for mixing alone
    /// and run again longer (``FitOptions/extendUnmixedRuns``); nil otherwise.
    public var extendedFrom: FitStatus?

    public var dayCount: Int { lastDay - firstDay + 1 }

    public init(modelName: String, modelVersion: Int, firstDay: Int, lastDay: Int, level: DrawMatrix,
                predictive: DrawMatrix, diagnostics: FitDiagnostics, timing: FitTiming, pointCount: Int,
                parameterCount: Int, changeDays: [ChangeDay], noise: NoiseChoice? = nil, extendedFrom: FitStatus? = nil) {
        self.extendedFrom = extendedFrom
        self.noise = noise
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.level = level
        self.predictive = predictive
        self.diagnostics = diagnostics
        self.timing = timing
        self.pointCount = pointCount
        self.parameterCount = parameterCount
        self.changeDays = changeDays
    }
}

extension SplineFit {
    /// The spline fit as the series job sees any fit.
    public var levelFit: LevelFit {
        LevelFit(modelName: "reference", modelVersion: 1, firstDay: firstDay, lastDay: lastDay, level: level,
                 predictive: predictive, diagnostics: diagnostics, timing: timing,
                 pointCount: model.design.pointCount, parameterCount: model.basisCount, changeDays: [])
    }
}

/// Fits ``StepLevelModel`` with ``StepLevelGibbs``: chains in parallel, each
/// on its own random stream, warm-up discarded, draws thinned evenly to the
/// kept number, per-day level and predictive draws on the original scale,
/// diagnostics of the scales and of the level on the days compared.
public enum StepLevelFitter {
    public static let modelName = "step-level"
    /// Raised when the model changes in a way that changes its answers
    /// (2: noise scales per noise block; 3: a slope — the level a local
    /// linear trend — and the increments' global scale τ learned; 4: a
    /// noise candidate with two modes; 5: the slope's changes a horseshoe, so a drift that starts on one day is followed at its rate;
    /// 6: the kinks' slab four times narrower, c = 1/28 a day, so fewer
    /// recent steps are read as ramps and fewer fits are flagged;
    /// 7: the recalibration's coverage measured leave-one-out, so the
    /// predictive intervals are no longer shrunk for the runs the level was
    /// fitted to — the level's draws, and so every comparison, are v6's).
    public static let modelVersion = 7
    /// A step is material when the level moves by at least this share in a
    /// day: half the default alert minimum (SPEC §8), so a 2% change made of
    /// two steps still shows both.
    public static let materialStepPercent = 1.0
    /// Change days reported: at least this posterior probability of a material step.
    public static let changeDayProbability = 0.5
    static let predictiveStream: UInt64 = 1 << 32

    /// - Parameters:
    ///   - days: day index of each point (0 = the series' first day);
    ///   - firstDay, lastDay: the day range; `lastDay` is the run date, which
    ///     may lie after the last point.
    public static func fit(days: [Int], values: [Double], firstDay: Int, lastDay: Int,
                           options: FitOptions, priors: StepLevelPriors = .standard,
                           noise: StepLevelNoise = .chosenByLOO) async throws -> LevelFit {
        let clock = ContinuousClock()
        let start = clock.now
        guard case .chosenByLOO = noise else {
            let one = try await fit(days: days, values: values, firstDay: firstDay, lastDay: lastDay, options: options,
                                    priors: noise.priors(over: priors), name: noise.name, start: start)
            var fitted = one.fit
            fitted.leaveOneOut = one.leaveOneOut()
            return fitted
        }
        // A changing scale, and two modes, are candidates only when the data hint at them.
        let dayCount = lastDay - firstDay + 1, shifted = days.map { $0 - firstDay }
        let residuals = try rollingResiduals(days: shifted, values: values, dayCount: dayCount,
                                             priors: StepLevelNoise.changingScale.priors(over: priors))
        let spread = blockSpreadRatio(residuals.plain)
        let modeShare = secondModeShare(residuals.spread, separation: priors.modeSeparation)
        var candidates: [StepLevelNoise] = [.studentT]
        if spread >= NoiseChoice.spreadRatioForCandidates { candidates.append(.changingScale) }
        if modeShare >= NoiseChoice.modeShareForCandidate { candidates.append(.twoModes) }
        guard candidates.count > 1 else {
            let only = try await fit(days: days, values: values, firstDay: firstDay, lastDay: lastDay, options: options,
                                     priors: StepLevelNoise.studentT.priors(over: priors), name: StepLevelNoise.studentT.name,
                                     start: start)
            var one = only.fit
            one.leaveOneOut = only.leaveOneOut()
            let reason = String(format: "one scale, one mode: the noise blocks' spreads differ by a factor %.2f, under %.1f, and no block's residuals have a second mode with %.0f%% of them, so neither a changing scale nor two modes were fitted",
                                spread, NoiseChoice.spreadRatioForCandidates, 100 * NoiseChoice.modeShareForCandidate)
            one.noise = NoiseChoice(chosen: StepLevelNoise.studentT.name, reason: reason)
            return one
        }
        // With incrementsFollowNoise the candidates with a changing scale measure their steps in each block's noise.
        let blockFactors = priors.incrementsFollowNoise ? blockIncrementFactors(residuals.spread) : []
        // The candidates, each as its own model; the one the data support kept (SPEC §5b).
        let runs = try candidates.map { candidate -> CandidateRun in
            var candidatePriors = candidate.priors(over: priors)
            if candidate != .studentT && priors.incrementsFollowNoise { candidatePriors.blockIncrementFactors = blockFactors }
            return try CandidateRun(days: days, values: values, firstDay: firstDay, lastDay: lastDay, options: options,
                                    priors: candidatePriors, name: candidate.name)
        }
        let screens = String(format: " (screens: spreads' ratio %.2f, second mode's share %.2f)", spread, modeShare)
        // Staged (``choiceStageShare``): every candidate's chains run their
        // warm-up and the first part of their draws; when all of them mixed
        // that far, PSIS-LOO chooses on those draws and only the chosen one's
        // chains go on, so its draws are the ones a full run gives.
        var progress: [[ChainInProgress]] = []
        var finished: [Int: FinishedRun] = [:]
        var fallback = ""
        if options.stagedNoiseChoice {
            for run in runs {
                progress.append(try await run.advance(nil, to: run.choiceStageDraws, looEvery: run.choiceStageLOOEvery))
            }
            let stage = try? runs.indices.map { try runs[$0].choiceStage(progress[$0]) }
            if let stage, stage.allSatisfy(\.mixed) {
                var choice = NoiseChoice.choose(names: runs.map(\.name), loos: stage.map(\.loo))
                let k = choice.chosenIndex
                let result = try await runs[k].finish(progress[k], start: start)
                if result.fit.diagnostics.status.isGood {
                    choice.reason += String(format: "; chosen on the first %d of %d draws a chain, where every candidate's chains had mixed, and only its chains went on",
                                            runs[k].choiceStageDraws, options.sampler.draws) + screens
                    var chosen = result.fit
                    chosen.leaveOneOut = result.leaveOneOut()
                    // The chosen run's timing counts its first stage; the others' first stages are added.
                    let others = stage.indices.filter { $0 != k }
                    chosen.timing = FitTiming(
                        warmupMilliseconds: chosen.timing.warmupMilliseconds + others.reduce(0) { $0 + stage[$1].warmupMilliseconds },
                        samplingMilliseconds: chosen.timing.samplingMilliseconds + others.reduce(0) { $0 + stage[$1].samplingMilliseconds },
                        totalMilliseconds: 1000 * seconds(clock.now - start))
                    chosen.noise = choice
                    return chosen
                }
                // Flagged in full: every candidate runs in full, and the choice is made as without the stage.
                finished[k] = result
                fallback = "; \(runs[k].name), chosen on the first draws, was flagged in full, so every candidate ran in full"
            } else {
                fallback = "; not every candidate's chains had mixed in the first draws, so every candidate ran in full"
            }
        }
        // Every candidate in full (those of the stage go on from it, so their
        // draws are a full run's); the choice among the ones whose chains mixed.
        var fits: [FinishedRun] = []
        for (k, run) in runs.enumerated() {
            if let done = finished[k] {
                fits.append(done)
            } else {
                fits.append(try await run.finish(progress.indices.contains(k) ? progress[k] : nil, start: start))
            }
        }
        var choice = NoiseChoice.choose(names: runs.map(\.name), loos: fits.map { $0.loo() },
                                        mixed: fits.map { $0.fit.diagnostics.status == .good })
        choice.reason += fallback + screens
        var chosen = fits[choice.chosenIndex].fit
        chosen.leaveOneOut = fits[choice.chosenIndex].leaveOneOut()
        chosen.timing = FitTiming(warmupMilliseconds: fits.reduce(0) { $0 + $1.fit.timing.warmupMilliseconds },
                                  samplingMilliseconds: fits.reduce(0) { $0 + $1.fit.timing.samplingMilliseconds },
                                  totalMilliseconds: 1000 * seconds(clock.now - start))
        chosen.noise = choice
        return chosen
    }

    /// The share of a chain's draws (one in this many) that every noise
    /// candidate runs before PSIS-LOO chooses among them
    /// (``FitOptions/stagedNoiseChoice``): a quarter, so a choice between
    /// two candidates costs 2 × (warm-up + ¼) + ¾ of the draws instead of
    /// 2 × (warm-up + 1).
    public static let choiceStageShare = 4

    /// R̂ up to which a candidate's chains count as mixed after the first
    /// stage of the choice (the classic limit): with ~50 effective draws a
    /// chain, R̂ of chains that sample one distribution wanders well past
    /// the final fit's 1.01 (1.02–1.09 on real series whose full runs pass),
    /// while chains held in different places give more (1.21 for the level
    /// of `Strings`' two modes). At 1.05 a third of the real series' fits
    /// with several candidates fell back to full runs, at 1.1 a fifth — most
    /// of them fits where some candidate is flagged in full too
    /// (`scripts/validation/staged_choice.py`). A candidate chosen this way
    /// is still diagnosed in full, and when flagged every candidate runs in
    /// full and the choice is made as without the stage.
    public static let choiceStageMaxRhat = 1.1

    /// One fit with the given priors.
    static func fit(days: [Int], values: [Double], firstDay: Int, lastDay: Int, options: FitOptions,
                    priors: StepLevelPriors, name: String,
                    start: ContinuousClock.Instant) async throws -> FinishedRun {
        let run = try CandidateRun(days: days, values: values, firstDay: firstDay, lastDay: lastDay, options: options,
                                   priors: priors, name: name)
        return try await run.finish(nil, start: start)
    }

    /// A candidate's finished fit, with its PSIS-LOO (from the pointwise
    /// log-likelihood of at most ``looDraws`` kept draws; nil when a
    /// log-likelihood is not finite, and then the candidate is not chosen)
    /// and its leave-one-out intervals, each computed only when asked for.
    struct FinishedRun: Sendable {
        var fit: LevelFit
        var loo: @Sendable () -> LOOResult?
        var leaveOneOut: @Sendable () -> LeaveOneOutIntervals?
    }

    /// One chain part of the way: what it recorded, and the state and random
    /// stream it goes on from.
    struct ChainInProgress: Sendable {
        var chain: StepLevelChain
        var state: StepLevelState
        var rng: RandomStream
        /// Sampling iterations done (after the warm-up), and kept ones recorded.
        var iteration: Int
        var nextKept: Int
        /// States recorded for the choice's PSIS-LOO in the first stage
        /// (every ``CandidateRun/choiceStageLOOEvery``-th iteration, as kept
        /// states; not part of the fit's draws).
        var looStates: StepLevelChain? = nil
    }

    /// What the first stage of a staged noise choice says of a candidate.
    struct ChoiceStage {
        /// Its chains mixed as far as they went (R̂, and ESS for that many draws).
        var mixed: Bool
        var loo: LOOResult?
        var warmupMilliseconds: Double
        var samplingMilliseconds: Double
    }

    /// One candidate's model and the running of its chains.
    struct CandidateRun: Sendable {
        let model: StepLevelModel
        let kernel: StepLevelGibbs
        let watched: [(row: Int, label: String)]
        let options: FitOptions
        let priors: StepLevelPriors
        let name: String
        let firstDay: Int, lastDay: Int

        init(days: [Int], values: [Double], firstDay: Int, lastDay: Int, options: FitOptions,
             priors: StepLevelPriors, name: String) throws {
            let s = options.sampler
            guard s.chains >= 1, s.draws >= 1, s.warmup >= 0, s.threads >= 1, options.keptDraws >= 1 else {
                throw SamplingError.invalidSettings("chains, draws, kept draws and threads must be at least 1, warm-up at least 0")
            }
            model = try StepLevelModel(days: days.map { $0 - firstDay }, values: values, dayCount: lastDay - firstDay + 1,
                                       priors: priors)
            kernel = StepLevelGibbs(model: model)
            watched = watchedDays(model)
            self.options = options
            self.priors = priors
            self.name = name
            self.firstDay = firstDay
            self.lastDay = lastDay
        }

        /// Draws a chain runs before the choice.
        var choiceStageDraws: Int { Swift.max(1, options.sampler.draws / StepLevelFitter.choiceStageShare) }

        /// Every how many iterations of the first stage a state is recorded
        /// for the choice's PSIS-LOO: at least ``looDraws`` over the chains,
        /// as many as a full run's choice has (the kept draws of a quarter
        /// of the run are a quarter of them, and a noisier elpd).
        var choiceStageLOOEvery: Int {
            Swift.max(1, choiceStageDraws * options.sampler.chains / StepLevelFitter.looDraws)
        }

        /// Every chain on from `progress` (from its start, warm-up first,
        /// when nil) to `iterations` of `settings.draws` sampling iterations
        /// (the kept ones thinned evenly over all `settings.draws`).
        func advance(_ progress: [ChainInProgress]?, to iterations: Int, settings: SamplerSettings? = nil,
                     looEvery: Int? = nil) async throws -> [ChainInProgress] {
            let s = settings ?? options.sampler
            let perChain = Swift.max(1, Swift.min(s.draws, options.keptDraws / s.chains))
            let kernel = kernel, watched = watched
            return try await threadedMap(count: s.chains, threads: s.threads) { c -> ChainInProgress in
                let from = progress?[c] ?? ChainInProgress(
                    chain: .empty,
                    state: kernel.initialState(nil), rng: RandomStream(seed: s.seed, stream: UInt64(c)), iteration: 0,
                    nextKept: 0)
                return StepLevelFitter.run(kernel: kernel, from: from, warmup: progress == nil ? s.warmup : 0,
                                           to: iterations, draws: s.draws, kept: perChain, watched: watched,
                                           looEvery: looEvery)
            }
        }

        /// The first stage's diagnostics (the ESS limits in proportion to
        /// the draws run) and PSIS-LOO.
        func choiceStage(_ progress: [ChainInProgress]) throws -> ChoiceStage {
            var s = options.sampler
            let chains = progress.map(\.chain)
            s.draws = chains.first?.quantities.count ?? 0
            var thresholds = options.thresholds
            thresholds.maxRhat = Swift.max(thresholds.maxRhat, StepLevelFitter.choiceStageMaxRhat)
            let share = Double(s.draws) / Double(options.sampler.draws)
            thresholds.minESSBulk *= share
            thresholds.minESSTail *= share
            let diagnostics = try runDiagnostics(chains: chains, settings: s, priors: priors, watched: watched,
                                                 thresholds: thresholds)
            let looChains = progress.map { $0.looStates ?? $0.chain }
            let loo = try? PSISLOO.compute(logLikelihood: pointwiseLogLikelihood(model: model, chains: looChains))
            let slowest = StepLevelChain.slowestMilliseconds(chains)
            return ChoiceStage(mixed: diagnostics.status.isGood, loo: loo, warmupMilliseconds: slowest.warmup,
                               samplingMilliseconds: slowest.sampling)
        }

        /// The fit: the chains run on from `progress` to all their draws,
        /// diagnosed, and run again longer, up to ``extensions`` times, while
        /// flagged for mixing alone (``FitOptions/extendUnmixedRuns``).
        func finish(_ progress: [ChainInProgress]?, start: ContinuousClock.Instant) async throws -> FinishedRun {
            let clock = ContinuousClock()
            var s = options.sampler
            var firstRun: FitStatus?
            var extended = 0
            var chains: [StepLevelChain]
            var diagnostics: FitDiagnostics
            var from = progress
            while true {
                chains = try await advance(from, to: s.draws, settings: s).map(\.chain)
                diagnostics = try runDiagnostics(chains: chains, settings: s, priors: priors, watched: watched,
                                                 thresholds: options.thresholds)
                // Chains that have not mixed yet (R̂ or ESS alone) run again, longer.
                guard options.extendUnmixedRuns,
                      StepLevelFitter.runsAgain(status: diagnostics.status, maxRhat: diagnostics.maxRhat,
                                                reruns: extended) else { break }
                firstRun = firstRun ?? diagnostics.status
                extended += 1
                s.draws *= extensionFactor
                from = nil
            }
            let (level, predictive) = perDayDraws(model: model, chains: chains, seed: s.seed)
            let slowest = StepLevelChain.slowestMilliseconds(chains)
            let timing = FitTiming(warmupMilliseconds: slowest.warmup, samplingMilliseconds: slowest.sampling,
                                   totalMilliseconds: 1000 * seconds(clock.now - start))
            let model = model, finalChains = chains
            let fit = LevelFit(modelName: modelName, modelVersion: modelVersion, firstDay: firstDay, lastDay: lastDay,
                               level: level, predictive: predictive, diagnostics: diagnostics, timing: timing,
                               pointCount: model.pointCount, parameterCount: model.dayCount,
                               changeDays: changeDays(level), noise: NoiseChoice(chosen: name), extendedFrom: firstRun)
            // Computed only for the candidate chosen (every kept draw: ~1,000 × the points).
            let pointDays = model.days
            return FinishedRun(
                fit: fit,
                loo: { try? PSISLOO.compute(logLikelihood: pointwiseLogLikelihood(model: model, chains: finalChains)) },
                leaveOneOut: {
                    LeaveOneOutIntervals.estimate(logLikelihood: pointwiseLogLikelihood(model: model, chains: finalChains, maximumDraws: .max),
                                                  predictive: predictive, days: pointDays)
                })
        }
    }

    /// How many times the draws a run flagged for mixing alone is run again
    /// with (``FitOptions/extendUnmixedRuns``): R̂ and ESS are estimated
    /// better from longer chains, and chains that were slow to leave their
    /// start have had longer to (Vehtari et al. 2021 advise running longer
    /// when R̂ > 1.01; a flagged fit's alerts are held back).
    public static let extensionFactor = 2

    /// How many times a run flagged for mixing alone is run again, each
    /// time with ``extensionFactor`` times the draws of the one before (2×,
    /// then 4× the draws); the second time only when the first rerun nearly
    /// mixed (``nearlyMixedRhat``). v7's single 2× rerun left 15 of the
    /// alert benchmark's 1,000 fits flagged, most with R̂ of 1.010–1.017 on
    /// one watched level, and 8 truly regressed series held back for it; of
    /// five such fits of its subset, a 4× run left four good (R̂ ≤ 1.009),
    /// three of them alerting (scripts/validation/RESULTS-step-level.md,
    /// Part 000000000).
    public static let extensions = 2

    /// Largest R̂ after the first rerun for which a run is rerun a second
    /// time: chains that nearly agree. Without it, noise candidates that
    /// never mix (two modes whose labels swap) ran 4× the draws only to be
    /// rejected, and a fit of the real series took a third longer.
    public static let nearlyMixedRhat = 1.05

    /// Whether a run whose diagnostics say `status` and `maxRhat`, after
    /// `reruns` reruns, runs again with ``extensionFactor`` times its draws:
    /// flagged for mixing alone (R̂ or ESS), fewer than ``extensions``
    /// reruns so far, and, for a second rerun, R̂ at most ``nearlyMixedRhat``.
    public static func runsAgain(status: FitStatus, maxRhat: Double, reruns: Int) -> Bool {
        guard reruns < extensions, !status.isGood, status.issues.allSatisfy(isMixingIssue) else { return false }
        return reruns == 0 || maxRhat <= nearlyMixedRhat
    }

    /// Issues that longer chains may resolve: R̂ and ESS.
    static func isMixingIssue(_ issue: FitIssue) -> Bool {
        switch issue {
        case .rhatAboveLimit, .essBulkBelowLimit, .essTailBelowLimit: return true
        default: return false
        }
    }

    /// Diagnostics of the step-level chains.
    static func runDiagnostics(chains: [StepLevelChain], settings s: SamplerSettings, priors: StepLevelPriors,
                               watched: [(row: Int, label: String)],
                               thresholds: DiagnosticThresholds) throws -> FitDiagnostics {
        // What the answers are made of: the noise's scale on D (the
        // predictive's width there) and the level on the days that matter.
        // Not the hyperparameters ρ and α, nor ν: nothing reported depends on
        // them but through these, ρ's spread is wide whenever the blocks are
        // pooled loosely, and a grid value (ν, α), often the same in every
        // draw, has no R̂ or ESS to speak of.
        // With two modes σ is not the predictive's width, and may be split
        // between modes in ways the answers do not depend on: the noise's
        // interquartile range on D is watched instead.
        let names = [priors.twoModes ? "spread[D]" : "sigma[D]"] + watched.map { "level[\($0.label)]" }
        let convergence = try names.indices.map { q in
            ParameterConvergence(name: names[q], draws: try ChainDraws(chains.map { $0.quantities.map { $0[q] } }))
        }
        // A sweep whose level precision did not factor is reported, and flags the fit.
        let info = SamplerTransitionInfo(failedFactorization: chains.map(\.failedFactorization))
        return try FitDiagnostics(convergence: convergence, chainCount: s.chains, drawsPerChain: s.draws,
                                  sampler: info, thresholds: thresholds)
    }

    /// Each run's residual from a rolling median (the median of the runs
    /// within three days, itself left out; runs with fewer than three such
    /// neighbours have none), grouped by the noise block of `priors`; and
    /// the same spread uniformly over each value's rounding interval on
    /// values with a resolution (a fixed stream), for the two-mode screen:
    /// tied residuals would make every grid value a peak.
    static func rollingResiduals(days: [Int], values: [Double], dayCount: Int,
                                 priors: StepLevelPriors) throws -> (plain: [[Double]], spread: [[Double]]) {
        let model = try StepLevelModel(days: days, values: values, dayCount: dayCount, priors: priors)
        var rng = RandomStream(seed: 0x5eed, stream: 0)
        var residuals = [[Double]](repeating: [], count: model.blockCount), spread = residuals
        for t in 0..<model.dayCount where model.dayStart[t + 1] > model.dayStart[t] {
            let lo = Swift.max(0, t - 3), hi = Swift.min(model.dayCount - 1, t + 3)
            let window = model.order[model.dayStart[lo]..<model.dayStart[hi + 1]]
            for k in model.dayStart[t]..<model.dayStart[t + 1] {
                let i = model.order[k]
                let others = window.filter { $0 != i }.map { model.values[$0] }
                guard others.count >= 3 else { continue }
                let r = model.values[i] - median(others)
                residuals[model.blockOfDay[t]].append(r)
                spread[model.blockOfDay[t]].append(model.resolution > 0 ? r + model.resolution * (rng.uniform() - 0.5) : r)
            }
        }
        return (residuals, spread)
    }

    /// Each block's factor on its increments' scale
    /// (``StepLevelPriors/blockIncrementFactors``): the MAD of its residuals
    /// from a rolling median (the rounding-spread ones,
    /// ``rollingResiduals(days:values:dayCount:priors:)``) over the geometric
    /// mean of the blocks' MADs, so the factors' product is 1 and τ keeps its
    /// meaning; within ``blockIncrementFactorRange``. A block with fewer than
    /// 20 residuals, or a MAD of 0, takes the factor of the nearest block
    /// that has them. Empty (1 everywhere) when fewer than two blocks do.
    public static func blockIncrementFactors(_ residuals: [[Double]]) -> [Double] {
        let measured: [(block: Int, logSpread: Double)] = residuals.indices.compactMap { b in
            guard residuals[b].count >= 20 else { return nil }
            let mad = normalizedMAD(residuals[b])
            return mad > 0 && mad.isFinite ? (b, Double.log(mad)) : nil
        }
        guard measured.count >= 2 else { return [] }
        let logMean = measured.reduce(0.0) { $0 + $1.logSpread } / Double(measured.count)
        var nearest = measured[0]
        return residuals.indices.map { b in
            for m in measured where abs(m.block - b) < abs(nearest.block - b) { nearest = m }
            let factor = Double.exp(nearest.logSpread - logMean)
            return Swift.min(Swift.max(factor, blockIncrementFactorRange.lowerBound), blockIncrementFactorRange.upperBound)
        }
    }

    /// Bounds of a block's increment factor: a noise scale that changes by
    /// more than this over a year is not taken to move the level's steps
    /// with it any further.
    public static let blockIncrementFactorRange = (1.0 / 16)...16.0

    /// How much the noise's spread differs between the blocks of a changing
    /// scale: the largest over the smallest MAD of the residuals
    /// (``rollingResiduals(days:values:dayCount:priors:)``), over blocks with
    /// at least 20 runs. 1 when fewer than two blocks have that many.
    static func blockSpreadRatio(_ residuals: [[Double]]) -> Double {
        let spreads = residuals.filter { $0.count >= 20 }.map(normalizedMAD)
        guard spreads.count >= 2, let low = spreads.min(), let high = spreads.max() else { return 1 }
        guard low > 0 else { return high > 0 ? .infinity : 1 }
        return high / low
    }

    /// The largest minority share, over blocks with at least 20 runs, of a
    /// split of a block's residuals in two groups (least within-group sum of
    /// squares, ``StepLevelGibbs/twoGroups(_:)``) that looks like two modes:
    /// the groups' means at least the model's separation c (3) pooled
    /// within-group sds `s` apart, the smaller group at least 5% of the
    /// runs, and a valley between them — a kernel density (bandwidth s/2) at
    /// the split under ``valleyDepth`` of its value at the smaller group's
    /// median. 0 when no block has one. The valley is what tells modes from
    /// a long tail or a skewed hump, which also split far apart (their
    /// smaller group is the tail, where the density only falls). On 300
    /// simulated blocks of 100 runs each: Gaussian, Student-t(3), t(5) and
    /// log-normal(0, 0.5) noise passed 0 times, t(2) 2; a 10% mode 6 sd away
    /// 86%, a 30% one 100%, a 30% one 4 sd away 32%.
    public static func secondModeShare(_ residuals: [[Double]], separation: Double) -> Double {
        var largest = 0.0
        for r in residuals where r.count >= 20 {
            let sorted = r.sorted()
            let n = sorted.count
            let (split, low, high, within) = StepLevelGibbs.twoGroups(sorted)
            let sd = (within / Double(n)).squareRoot()
            let share = Double(Swift.min(split, n - split)) / Double(n)
            guard high - low >= separation * sd, sd > 0, share >= 0.05, split >= 1, split < n else { continue }
            let minority = split <= n - split ? Array(sorted[..<split]) : Array(sorted[split...])
            let h = sd / 2
            func density(_ x: Double) -> Double {
                var sum = 0.0
                for v in sorted { let z = (v - x) / h; sum += Double.exp(-0.5 * z * z) }
                return sum
            }
            let boundary = 0.5 * (sorted[split - 1] + sorted[split])
            guard density(boundary) < valleyDepth * density(median(minority)) else { continue }
            largest = Swift.max(largest, share)
        }
        return largest
    }

    /// A valley between two modes: the density there under half its value
    /// at the smaller mode.
    static let valleyDepth = 0.5

    /// Kept draws the PSIS-LOO of a candidate uses (evenly thinned).
    public static let looDraws = 400

    /// `log t_ν(ỹᵢ; μ_{t(i)}, σ_{b(i)})` for each of at most ``looDraws`` kept
    /// draws (rows) and each point (columns), on the working scale — the
    /// same for every candidate, so their elpd compare. With two modes, the
    /// mixture's: `log((1 − π_b) t_ν(ỹᵢ; μ, σ_b) + π_b t_ν(ỹᵢ; μ + δ_b, σ_b))`.
    static func pointwiseLogLikelihood(model: StepLevelModel, chains: [StepLevelChain],
                                       maximumDraws: Int = looDraws) -> [[Double]] {
        var states: [(level: [Double], sigma: [Double], nu: Double, offsets: [Double], shares: [Double])] = []
        for chain in chains {
            for k in chain.levels.indices {
                states.append((chain.levels[k], chain.sigmas[k], chain.nus[k], chain.modeOffsets[k], chain.modeShares[k]))
            }
        }
        let count = Swift.min(maximumDraws, states.count)
        return (0..<count).map { j in
            let state = states[j * states.count / count]
            // log t_ν(x; μ, σ) = c_ν − log σ − (ν+1)/2 · log(1 + ((x−μ)/σ)²/ν), the constants once per draw.
            let nu = state.nu
            let constant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
            let logSigma = state.sigma.map { Double.log($0) }
            let inverseSigma = state.sigma.map { 1 / $0 }
            let offsets = state.offsets, shares = state.shares
            return (0..<model.pointCount).map { i in
                let b = model.blockOfPoint[i]
                let r = model.values[i] - state.level[model.days[i]]
                let z = r * inverseSigma[b]
                let first = constant - logSigma[b] - (nu + 1) / 2 * Double.log(1 + z * z / nu)
                guard !offsets.isEmpty else { return first }
                let z2 = (r - offsets[b]) * inverseSigma[b]
                let second = constant - logSigma[b] - (nu + 1) / 2 * Double.log(1 + z2 * z2 / nu)
                let a = Double.log(onePlus: -shares[b]) + first, c = Double.log(shares[b]) + second
                let top = Swift.max(a, c)
                return top + Double.log(Double.exp(a - top) + Double.exp(c - top))
            }
        }
    }

    /// The days whose level the diagnostics watch: the run date, a week and
    /// two weeks before (the comparisons), the first day and the day with
    /// runs nearest the middle. (Not a day inside a gap in the data: where a
    /// step falls inside a gap its day is unknown, so such a day's level is
    /// legitimately two-humped, and the swap move mixes it; the days compared
    /// are watched whether or not they have runs.)
    static func watchedDays(_ model: StepLevelModel) -> [(row: Int, label: String)] {
        let dayCount = model.dayCount
        var middle = dayCount / 2
        for offset in 0..<dayCount {
            if let t = [dayCount / 2 - offset, dayCount / 2 + offset].first(where: {
                $0 >= 0 && $0 < dayCount && model.dayStart[$0 + 1] > model.dayStart[$0]
            }) {
                middle = t
                break
            }
        }
        var rows: [(Int, String)] = [(dayCount - 1, "D"), (0, "first"), (middle, "middle")]
        if dayCount > 7 { rows.append((dayCount - 8, "D-7")) }
        if dayCount > 14 { rows.append((dayCount - 15, "D-14")) }
        return rows.map { (row: $0.0, label: $0.1) }
    }

    struct StepLevelChain: Sendable {
        /// Kept states: level (working scale), each block's σ (working scale), ν;
        /// with two modes, each block's δ_b and π_b (empty arrays without).
        var levels: [[Double]]
        var sigmas: [[Double]]
        var nus: [Double]
        var modeOffsets: [[Double]]
        var modeShares: [[Double]]
        /// Per iteration: σ and the watched levels, original scale.
        var quantities: [[Double]]
        /// Per kept iteration: whether its sweep failed to factor the level's precision.
        var failedFactorization: [Bool]
        var warmupSeconds: Double
        var samplingSeconds: Double

        /// No states yet: a chain before its first iteration.
        static let empty = StepLevelChain(levels: [], sigmas: [], nus: [], modeOffsets: [], modeShares: [], quantities: [],
                                          failedFactorization: [], warmupSeconds: 0, samplingSeconds: 0)

        /// Appends kept states to the chain's.
        mutating func append(kept states: [KeptState]) {
            levels += states.map(\.level)
            sigmas += states.map(\.sigma)
            nus += states.map(\.nu)
            modeOffsets += states.map(\.offsets)
            modeShares += states.map(\.shares)
        }

        /// The slowest chain's warm-up and sampling times, in milliseconds (the chains run side by side).
        static func slowestMilliseconds(_ chains: [StepLevelChain]) -> (warmup: Double, sampling: Double) {
            (1000 * (chains.map(\.warmupSeconds).max() ?? 0), 1000 * (chains.map(\.samplingSeconds).max() ?? 0))
        }
    }

    /// A kept state: the level, each block's σ, ν, and with two modes each block's δ_b and π_b.
    typealias KeptState = (level: [Double], sigma: [Double], nu: Double, offsets: [Double], shares: [Double])

    /// What one kept iteration records.
    struct Record {
        var quantities: [Double]
        var kept: KeptState?
        /// The same, recorded for a staged choice's PSIS-LOO.
        var loo: KeptState?
    }

    /// The noise's median in block b of a state (0 with one mode).
    static func medianOffset(_ state: StepLevelState, _ b: Int) -> Double {
        guard !state.modeOffset.isEmpty else { return 0 }
        return StepLevelModel.noiseMedian(offset: state.modeOffset[b], share: state.modeShare[b],
                                          sigma: state.blockSigma(b), nu: state.nu)
    }

    /// The interquartile range of the noise in block b of a state.
    static func spread(_ state: StepLevelState, _ b: Int) -> Double {
        let offset = state.modeOffset.isEmpty ? 0 : state.modeOffset[b], share = state.modeOffset.isEmpty ? 0 : state.modeShare[b]
        let sigma = state.blockSigma(b)
        return StepLevelModel.noiseQuantile(0.75, offset: offset, share: share, sigma: sigma, nu: state.nu)
            - StepLevelModel.noiseQuantile(0.25, offset: offset, share: share, sigma: sigma, nu: state.nu)
    }

    /// One chain through ``ChainRunner`` on from `progress` (its warm-up
    /// first, when `warmup` > 0) until it has run `iterations` of its
    /// `draws` sampling iterations; `kept` of the `draws` keep their whole
    /// level (thinned evenly over all `draws`). Run in stages, a chain makes
    /// the same draws as in one go.
    static func run(kernel: StepLevelGibbs, from progress: ChainInProgress, warmup: Int, to iterations: Int, draws: Int,
                    kept: Int, watched: [(row: Int, label: String)], looEvery: Int? = nil) -> ChainInProgress {
        let model = kernel.model
        var iteration = progress.iteration, nextKept = progress.nextKept
        var rng = progress.rng
        let run = ChainRunner.run(kernel, adaptation: FixedParameters<StepLevelGibbs>(), from: progress.state,
                                  warmup: warmup, draws: Swift.max(0, iterations - iteration), rng: &rng) { state -> Record in
            defer { iteration += 1 }
            let last = state.blockSigma(model.blockCount - 1)
            // With two modes, the level reported is μ plus the noise's median (``StepLevelModel/noiseMedian``).
            var record = Record(quantities: [model.scale * (model.priors.twoModes ? spread(state, model.blockCount - 1) : last)]
                                + watched.map { model.original(state.level[$0.row] + medianOffset(state, model.blockOfDay[$0.row])) })
            func snapshot() -> KeptState {
                (state.level, (0..<model.blockCount).map(state.blockSigma), state.nu, state.modeOffset, state.modeShare)
            }
            if nextKept < kept && iteration == nextKept * draws / kept {
                record.kept = snapshot()
                nextKept += 1
            }
            if let every = looEvery, iteration % every == 0 { record.loo = record.kept ?? snapshot() }
            return record
        }
        let keptRecords = run.draws.compactMap(\.kept)
        var looStates = progress.looStates
        if looEvery != nil {
            looStates = looStates ?? .empty
            looStates?.append(kept: run.draws.compactMap(\.loo))
        }
        var chain = progress.chain
        chain.append(kept: keptRecords)
        chain.quantities += run.draws.map(\.quantities)
        chain.failedFactorization += run.info.map(\.levelFactorizationFailed)
        chain.warmupSeconds += run.warmupSeconds
        chain.samplingSeconds += run.samplingSeconds
        return ChainInProgress(chain: chain, state: run.finalState, rng: rng, iteration: iteration, nextKept: nextKept,
                               looStates: looStates)
    }

    /// Level and predictive (level plus one Student-t noise draw) for every
    /// day, original scale, draws in chain order. With two modes the level
    /// is μ_t plus the noise's median (``StepLevelModel/noiseMedian``), and
    /// the predictive's run is in the second mode with probability π_b.
    static func perDayDraws(model: StepLevelModel, chains: [StepLevelChain], seed: UInt64) -> (DrawMatrix, DrawMatrix) {
        let drawCount = chains.reduce(0) { $0 + $1.levels.count }
        var level = DrawMatrix(dayCount: model.dayCount, drawCount: drawCount)
        var predictive = DrawMatrix(dayCount: model.dayCount, drawCount: drawCount)
        var rng = RandomStream(seed: seed, stream: predictiveStream)
        var d = 0
        for chain in chains {
            for (k, levels) in chain.levels.enumerated() {
                let sigma = chain.sigmas[k], nu = chain.nus[k]
                let offsets = chain.modeOffsets[k], shares = chain.modeShares[k]
                let medians = offsets.indices.map {
                    StepLevelModel.noiseMedian(offset: offsets[$0], share: shares[$0], sigma: sigma[$0], nu: nu)
                }
                // The weights' gamma draws share their shape: Marsaglia–Tsang's constants once a draw
                // (ν ≥ 2 on the grid; any other shape takes the general draw).
                let shape = nu / 2
                let fast = shape >= 1 && shape.isFinite
                let (dShape, cShape) = RandomStream.marsagliaTsangConstants(shape: shape)
                let table = ZigguratTable.normal
                for t in 0..<model.dayCount {
                    let w = fast ? rng.marsagliaTsang(d: dShape, c: cShape, rate: shape) { $0.zigguratNormal(table) }
                                 : rng.gamma(shape: shape, rate: shape)
                    let b = model.blockOfDay[t]
                    let noise = sigma[b] / Swift.max(w, 1e-300).squareRoot() * rng.zigguratNormal(table)
                    level[t, d] = model.original(levels[t] + (medians.isEmpty ? 0 : medians[b]))
                    if offsets.isEmpty {
                        predictive[t, d] = model.original(levels[t] + noise)
                    } else {
                        let mode = rng.uniform() < shares[b] ? offsets[b] : 0
                        predictive[t, d] = model.original(levels[t] + mode + noise)
                    }
                }
                d += 1
            }
        }
        return (level, predictive)
    }

    /// Days on which a single day's step is a candidate for a spread-out
    /// change: at least this probability of a material step that day.
    static let spreadStepCandidate = 0.2
    /// Longest run of candidate days read as one step of uncertain day.
    static let spreadStepMaxDays = 4

    /// Days with a material step in at least ``changeDayProbability`` of the
    /// draws, with the median size of that day's change; and steps whose day
    /// the data leave uncertain (a gap, a weekend): a run of consecutive days
    /// each with some probability of a material step (≥ ``spreadStepCandidate``,
    /// at most ``spreadStepMaxDays`` long, none reported by itself) over which
    /// the level moved materially in at least ``changeDayProbability`` of the
    /// draws is reported once, on its likeliest day, with the probability and
    /// median size of the change across the run.
    package static func changeDays(_ level: DrawMatrix) -> [ChangeDay] {
        guard level.dayCount > 1, level.drawCount > 0 else { return [] }
        func percent(_ from: Int, _ to: Int, _ d: Int) -> Double {
            let before = level[from, d]
            return before != 0 ? (level[to, d] - before) / abs(before) * 100 : 0
        }
        func change(from: Int, to: Int) -> (probability: Double, median: Double) {
            var sizes = [Double](repeating: 0, count: level.drawCount)
            var material = 0
            for d in 0..<level.drawCount {
                sizes[d] = percent(from, to, d)
                if abs(sizes[d]) >= materialStepPercent { material += 1 }
            }
            return (Double(material) / Double(level.drawCount), quantile(sorted: sizes.sorted(), 0.5))
        }
        let single = [(probability: 0.0, median: 0.0)] + (1..<level.dayCount).map { change(from: $0 - 1, to: $0) }
        var out: [ChangeDay] = []
        var t = 1
        while t < level.dayCount {
            if single[t].probability >= changeDayProbability {
                out.append(ChangeDay(row: t, probability: single[t].probability, sizePercent: single[t].median))
                t += 1
                continue
            }
            // A run of candidate days none of which is a change day by itself.
            var end = t
            while end + 1 < level.dayCount, end + 1 - t < spreadStepMaxDays,
                  single[end + 1].probability >= spreadStepCandidate, single[end + 1].probability < changeDayProbability {
                end += 1
            }
            if single[t].probability >= spreadStepCandidate, end > t {
                let across = change(from: t - 1, to: end)
                if across.probability >= changeDayProbability {
                    let likeliest = (t...end).max { single[$0].probability < single[$1].probability } ?? t
                    out.append(ChangeDay(row: likeliest, probability: across.probability, sizePercent: across.median))
                    t = end + 1
                    continue
                }
            }
            t += 1
        }
        return out
    }
}
