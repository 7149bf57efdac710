import Diagnostics
import SplineModels

/// The noise models of the step-level model, and the choice among them.
public enum StepLevelNoise: Sendable, Equatable {
    /// Student-t with one scale for the whole series.
    case studentT
    /// Student-t whose scale may change from block to block (``StepLevelPriors/blockDays``).
    case changingScale
    /// A changing scale and, in each block, a second mode that a share of
    /// the runs sit in (``StepLevelPriors/twoModes``).
    case twoModes
    /// Each candidate fitted, the one PSIS-LOO supports kept (``NoiseChoice``).
    case chosenByLOO

    /// The candidates, simplest first: a more complex one is chosen only when
    /// the data clearly support it.
    public static let candidates: [StepLevelNoise] = [.studentT, .changingScale, .twoModes]

    public var name: String {
        switch self {
        case .studentT: return "student-t"
        case .changingScale: return "student-t, changing scale"
        case .twoModes: return "student-t, two modes"
        case .chosenByLOO: return "chosen by PSIS-LOO"
        }
    }

    /// The priors of this noise model over `base`: one block spanning any
    /// series for a single scale.
    public func priors(over base: StepLevelPriors) -> StepLevelPriors {
        var p = base
        switch self {
        case .studentT:
            p.blockDays = Self.singleBlockDays
            p.poolingGrid = [1]
        case .twoModes:
            p.twoModes = true
        case .changingScale, .chosenByLOO:
            break
        }
        return p
    }

    /// Longer than any series (273 years of days): one noise block.
    static let singleBlockDays = 100_000
}

/// The noise model a fit used and the PSIS-LOO comparison it was chosen by
/// (Vehtari, Gelman & Gabry 2017): each candidate's elpd with its standard
/// error, p_loo and Pareto k̂, and each candidate's elpd difference to the
/// best with the difference's standard error.
public struct NoiseChoice: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        public var name: String
        public var elpd: Double
        public var standardError: Double
        public var effectiveParameters: Double
        /// Largest Pareto k̂ over points, and how many exceed 0.7 (the
        /// importance ratios of those points are unreliable).
        public var maxParetoK: Double
        public var highParetoKCount: Int
        /// The best's elpd minus this candidate's (≥ 0, ArviZ's `elpd_diff`), and its standard error (`dse`).
        public var elpdDifference: Double
        public var differenceStandardError: Double
    }

    public var chosen: String
    /// Empty when the noise model was given, not chosen.
    public var candidates: [Candidate]
    /// Why the chosen one, in a sentence.
    public var reason: String
    /// Index of the chosen candidate among the names it was chosen from (the candidates fitted).
    public var chosenIndex: Int

    public init(chosen: String, candidates: [Candidate] = [], reason: String = "given", chosenIndex: Int = 0) {
        self.chosen = chosen
        self.candidates = candidates
        self.reason = reason
        self.chosenIndex = chosenIndex
    }

    /// A more complex candidate is chosen over a simpler one only when its
    /// elpd is larger by more than this and by more than two standard errors
    /// of the difference: smaller differences are within the noise of the
    /// estimate (Sivula, Magnusson & Vehtari 2020, "Uncertainty in Bayesian
    /// leave-one-out cross-validation based model comparison").
    public static let minimumDifference = 4.0

    /// A changing scale is fitted as a candidate only when the spread of the
    /// residuals (from a rolling median) differs between its blocks by at
    /// least this factor: with ~100 runs a block the MAD's sampling error is
    /// about 12%, so blocks of one scale differ by less than 1.5 nearly
    /// always, and fitting the candidate anyway doubled every fit's cost to
    /// confirm what the screen already says.
    public static let spreadRatioForCandidates = 1.5

    /// Two modes are fitted as a candidate only when, in some block, the
    /// residuals from a rolling median split in two groups as far apart as
    /// the two-mode noise's separation asks, with a valley between them, the
    /// smaller with at least this share of them
    /// (``StepLevelFitter/secondModeShare(_:separation:)``): a heavy tail's
    /// few far runs are not a mode, a mode is a crowd.
    public static let modeShareForCandidate = 0.05

    /// ``choose(names:loos:)`` among the candidates whose chains mixed
    /// (`mixed[i]`), when any did: a fit its diagnostics flag has an elpd
    /// that is not to be trusted either, and its answers would be held
    /// back. Every candidate's comparison is still reported.
    public static func choose(names: [String], loos: [LOOResult?], mixed: [Bool]) -> NoiseChoice {
        let all = choose(names: names, loos: loos)
        let pool = names.indices.filter { mixed[$0] }
        guard !pool.isEmpty, pool.count < names.count else { return all }
        let picked = choose(names: pool.map { names[$0] }, loos: pool.map { loos[$0] })
        let left = names.indices.filter { !mixed[$0] }.map { names[$0] }
        let why = pool.count == 1 ? "the only candidate whose chains mixed" : picked.reason + " among the candidates whose chains mixed"
        return NoiseChoice(chosen: picked.chosen, candidates: all.candidates,
                           reason: why + "; not chosen as their chains did not mix: " + left.joined(separator: ", "),
                           chosenIndex: names.firstIndex(of: picked.chosen) ?? 0)
    }

    /// The simplest candidate (in `names`' order) whose elpd is not clearly
    /// below the best's. Candidates without a LOO (a log-likelihood that is
    /// not finite) are not chosen unless none has one.
    public static func choose(names: [String], loos: [LOOResult?]) -> NoiseChoice {
        let available = names.indices.compactMap { i in loos[i].map { (name: names[i], loo: $0) } }
        guard available.count >= 2, let comparison = try? LOOComparison(available.map { (name: $0.name, loo: $0.loo) }) else {
            let index = loos.firstIndex { $0 != nil } ?? 0
            return NoiseChoice(chosen: names[index], reason: "PSIS-LOO could be computed for fewer than two candidates",
                               chosenIndex: index)
        }
        let candidates = available.map { a -> Candidate in
            let entry = comparison.entry(named: a.name)
            return Candidate(name: a.name, elpd: a.loo.elpd, standardError: a.loo.standardError,
                             effectiveParameters: a.loo.effectiveParameterCount,
                             maxParetoK: a.loo.paretoK.max() ?? .nan, highParetoKCount: a.loo.highParetoKCount,
                             elpdDifference: entry?.elpdDifference ?? 0,
                             differenceStandardError: entry?.differenceStandardError ?? 0)
        }
        let best = comparison.best.name
        // Simplest first: the first candidate that the best does not clearly beat.
        for c in candidates {
            let behind = c.elpdDifference
            if c.name == best || behind <= minimumDifference || behind <= 2 * c.differenceStandardError {
                let index = names.firstIndex(of: c.name) ?? 0
                let reason = c.name == best
                    ? "highest elpd"
                    : String(format: "elpd %.1f below %@ (se %.1f): not clearly worse, and simpler", behind, best,
                             c.differenceStandardError)
                return NoiseChoice(chosen: c.name, candidates: candidates, reason: reason, chosenIndex: index)
            }
        }
        let index = names.firstIndex(of: best) ?? 0
        return NoiseChoice(chosen: best, candidates: candidates, reason: "highest elpd", chosenIndex: index)
    }
}
