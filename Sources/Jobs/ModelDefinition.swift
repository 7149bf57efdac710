import Foundation
import NumericCore
import SplineModels
import Sampling
import Diagnostics
import SeriesAnalysis
import Yams
import Ingest

/// A model definition a user can read and change (`Models/*.yaml`, loaded by
/// `slowreg fit|run --model FILE`): the spline model of SPEC §5 and how it is
/// sampled (SPEC §6). `Models/spline-gaussian.yaml` and
/// `Models/spline-student-t.yaml` are ``standard(noise:)`` written out; a test
/// keeps the files and the code's defaults equal.
///
/// YAML keys (every one optional; an omitted key keeps the code's default):
/// - `name`: recorded with the results (default: the file's name without `.yaml`);
/// - `noise`: `gaussian` or `student-t`;
/// - `knots`: `days_per_basis_function`, `minimum_basis_functions` (the knot
///   rule `K = max(minimum, ⌈days/per⌉)`, see ``KnotRule``; only the built-in
///   values are supported), `basis_functions` (a fixed K for every series);
/// - `priors`: the fields of ``SplinePriors`` in snake case (`student_df`,
///   `intercept_scale`, `tau_scale`, `sigma_scale`, `trend_scale`, `nu_shape`, `nu_rate`);
/// - `sampler`: `kind` (`gibbs`, `nuts`, `metropolis`), `chains`, `warmup`,
///   `draws`, `seed`, `max_tree_depth`, `target_acceptance`;
/// - `kept_draws`: posterior draws kept per day;
/// - `parametrization`: `partial` (default), `centred` or `non-centred`;
/// - `diagnostics`: the thresholds of ``DiagnosticThresholds`` (`max_rhat`,
///   `max_divergent_transitions`, `min_bfmi`, `min_ess_bulk`, `min_ess_tail`,
///   `max_tree_depth_hits`, `null` for no limit);
/// - `alert`: the alert rule of SPEC §8 — `threshold` (0…1), `min_change`
///   (percent) and `min_change_by_suite` (a mapping of suite name to percent).
///
/// An unknown key or a bad value is a ``ConfigError`` naming the key.
public struct ModelDefinition: Sendable, Equatable {
    /// The name stored with each fit (`diagnostics.model`).
    public var name: String
    /// Which of the two models of SPEC §5 it is.
    public var kind: LevelModelKind
    /// Noise, priors, sampler settings, kept draws, parametrization, thresholds
    /// and an optional fixed K. `sampler.threads` is this machine's, not the file's.
    public var fit: FitOptions
    public var knots: KnotSettings
    /// The alert rule `run` judges comparisons by (SPEC §8), per suite.
    public var alertRule: AlertRule

    /// The knot rule of SPEC §5 as a definition states it.
    public struct KnotSettings: Sendable, Equatable {
        public var daysPerBasisFunction: Int
        public var minimumBasisFunctions: Int

        public init(daysPerBasisFunction: Int = KnotRule.daysPerBasisFunction,
                    minimumBasisFunctions: Int = BSplineBasis.minimumCount) {
            self.daysPerBasisFunction = daysPerBasisFunction
            self.minimumBasisFunctions = minimumBasisFunctions
        }

        /// ``KnotRule``: one basis function per 8 days, at least 4.
        public static let standard = KnotSettings()
    }

    public init(name: String, kind: LevelModelKind = .reference, fit: FitOptions = FitOptions(),
                knots: KnotSettings = .standard, alertRule: AlertRule = AlertRule()) {
        self.name = name
        self.kind = kind
        self.fit = fit
        self.knots = knots
        self.alertRule = alertRule
    }

    /// The built-in definition with `noise`: the code's defaults, named
    /// `spline-gaussian` or `spline-student-t` like the files in `Models/`.
    public static func standard(noise: NoiseModel) -> ModelDefinition {
        ModelDefinition(name: "spline-\(noise.rawValue)", fit: FitOptions(noise: noise))
    }

    /// The built-in models by name: `reference` (SPEC §5 exactly, Gaussian
    /// noise, the model brms agrees with) and `step-level` (alias `default`:
    /// SPEC §5b, ``StepLevelModel``); nil for any other name.
    public static func named(_ name: String) -> ModelDefinition? {
        switch name {
        case "reference": return ModelDefinition(name: "reference", kind: .reference, fit: FitOptions(noise: .gaussian))
        case "default", LevelModelKind.stepLevel.rawValue:
            // 500 warm-up sweeps (nothing is adapted; the start is the days'
            // medians) and 1,000 sweeps a chain, of which 250 are kept: on the
            // real series, 250 + 750 left R̂ of the noise scale above 1.01 on
            // half of them, 500 + 1,000 on a quarter.
            var fit = FitOptions(noise: .studentT)
            fit.sampler.warmup = 500
            fit.sampler.draws = 1000
            return ModelDefinition(name: LevelModelKind.stepLevel.rawValue, kind: .stepLevel, fit: fit)
        default: return nil
        }
    }

    // MARK: - Reading a file

    static let topLevelKeys = ["name", "model", "noise", "knots", "priors", "sampler", "kept_draws", "parametrization", "diagnostics",
                                "alert"]
    static let alertKeys = ["threshold", "min_change", "min_change_by_suite"]
    static let knotKeys = ["days_per_basis_function", "minimum_basis_functions", "basis_functions"]
    static let priorKeys = ["student_df", "intercept_scale", "tau_scale", "sigma_scale", "trend_scale", "nu_shape", "nu_rate"]
    static let samplerKeys = ["kind", "chains", "warmup", "draws", "seed", "max_tree_depth", "target_acceptance"]
    static let diagnosticsKeys = ["max_rhat", "max_divergent_transitions", "min_bfmi", "min_ess_bulk", "min_ess_tail",
                                  "max_tree_depth_hits"]
    /// Deepest NUTS tree accepted: 2³⁰ leapfrog steps a transition is already far beyond any useful fit.
    static let largestMaxTreeDepth = 30

    public static func load(from url: URL) throws(ConfigError) -> ModelDefinition {
        let name = url.deletingPathExtension().lastPathComponent
        return try parse(ConfigNode.load(url: url), defaultName: name)
    }

    public static func parse(yaml: String, file: String, defaultName: String = "spline") throws(ConfigError) -> ModelDefinition {
        try parse(ConfigNode.load(yaml: yaml, file: file), defaultName: defaultName)
    }

    private static func parse(_ root: ConfigNode, defaultName: String) throws(ConfigError) -> ModelDefinition {
        let top = try root.mapping(allowedKeys: topLevelKeys)
        var definition = ModelDefinition(name: try top["name"]?.nonEmptyString() ?? defaultName)
        var fit = FitOptions()
        if let node = top["model"] {
            definition.kind = try node.choice(Dictionary(uniqueKeysWithValues: LevelModelKind.allCases.map { ($0.rawValue, $0) }))
        }
        if let node = top["noise"] {
            fit.noise = try node.choice(Dictionary(uniqueKeysWithValues: NoiseModel.allCases.map { ($0.rawValue, $0) }))
        }
        if let node = top["knots"] {
            let knots = try node.mapping(allowedKeys: knotKeys)
            let standard = KnotSettings.standard
            if let n = knots["days_per_basis_function"] {
                definition.knots.daysPerBasisFunction = try n.integer(in: 1...Int.max)
                guard definition.knots.daysPerBasisFunction == standard.daysPerBasisFunction else {
                    throw n.failure("only \(standard.daysPerBasisFunction) is supported (the knot rule of the reference model); "
                                    + "set knots.basis_functions for a fixed number of basis functions")
                }
            }
            if let n = knots["minimum_basis_functions"] {
                definition.knots.minimumBasisFunctions = try n.integer(in: BSplineBasis.minimumCount...Int.max)
                guard definition.knots.minimumBasisFunctions == standard.minimumBasisFunctions else {
                    throw n.failure("only \(standard.minimumBasisFunctions) is supported (the fewest a cubic B-spline has); "
                                    + "set knots.basis_functions for a fixed number of basis functions")
                }
            }
            if let n = knots["basis_functions"], n.node.null == nil {
                fit.basisCount = try n.integer(in: BSplineBasis.minimumCount...Int.max)
            }
        }
        if let node = top["priors"] {
            let priors = try node.mapping(allowedKeys: priorKeys)
            func positive(_ key: String, _ value: inout Double) throws(ConfigError) {
                if let n = priors[key] { value = try n.number(where: { $0 > 0 }, "a positive number") }
            }
            try positive("student_df", &fit.priors.studentDF)
            try positive("intercept_scale", &fit.priors.interceptScale)
            try positive("tau_scale", &fit.priors.tauScale)
            try positive("sigma_scale", &fit.priors.sigmaScale)
            try positive("trend_scale", &fit.priors.trendScale)
            try positive("nu_shape", &fit.priors.nuShape)
            try positive("nu_rate", &fit.priors.nuRate)
        }
        if let node = top["sampler"] {
            let sampler = try node.mapping(allowedKeys: samplerKeys)
            if let n = sampler["kind"] {
                fit.sampler.sampler = try n.choice(Dictionary(uniqueKeysWithValues: SamplerKind.allCases.map { ($0.rawValue, $0) }))
            }
            if let n = sampler["chains"] { fit.sampler.chains = try n.integer(in: 1...Int.max) }
            if let n = sampler["warmup"] { fit.sampler.warmup = try n.integer(in: 0...Int.max) }
            if let n = sampler["draws"] { fit.sampler.draws = try n.integer(in: 1...Int.max) }
            if let n = sampler["seed"] { fit.sampler.seed = try n.unsigned64() }
            if let n = sampler["max_tree_depth"] { fit.sampler.maxTreeDepth = try n.integer(in: 1...largestMaxTreeDepth) }
            if let n = sampler["target_acceptance"] {
                fit.sampler.targetAcceptance = try n.number(where: { $0 > 0 && $0 < 1 }, "a number between 0 and 1 (exclusive)")
            }
        }
        if let n = top["kept_draws"] { fit.keptDraws = try n.integer(in: 1...Int.max) }
        if let n = top["parametrization"] {
            fit.parametrization = try n.choice(["centred": .centred, "non-centred": .nonCentred, "partial": .partial])
        }
        if let node = top["diagnostics"] {
            let limits = try node.mapping(allowedKeys: diagnosticsKeys)
            if let n = limits["max_rhat"] { fit.thresholds.maxRhat = try n.number(where: { $0 >= 1 }, "a number of at least 1") }
            if let n = limits["max_divergent_transitions"] { fit.thresholds.maxDivergentTransitions = try n.integer(in: 0...Int.max) }
            if let n = limits["min_bfmi"] { fit.thresholds.minBFMI = try n.number(where: { $0 >= 0 }, "a number of at least 0") }
            if let n = limits["min_ess_bulk"] { fit.thresholds.minESSBulk = try n.number(where: { $0 >= 0 }, "a number of at least 0") }
            if let n = limits["min_ess_tail"] { fit.thresholds.minESSTail = try n.number(where: { $0 >= 0 }, "a number of at least 0") }
            if let n = limits["max_tree_depth_hits"] {
                if n.node.null != nil {
                    fit.thresholds.maxTreeDepthHits = nil
                } else {
                    fit.thresholds.maxTreeDepthHits = try n.integer(in: 0...Int.max)
                }
            }
        }
        if let node = top["alert"] {
            let alert = try node.mapping(allowedKeys: alertKeys)
            if let n = alert["threshold"] {
                definition.alertRule.threshold = try n.number(where: { (0...1).contains($0) }, "a probability between 0 and 1")
            }
            if let n = alert["min_change"] {
                definition.alertRule.minimumChange = try n.number(where: { $0 >= 0 }, "a percentage of 0 or more")
            }
            if let n = alert["min_change_by_suite"] {
                for (suite, entry) in try n.openMapping() {
                    definition.alertRule.minimumChangeBySuite[suite] = try entry.number(where: { $0 >= 0 }, "a percentage of 0 or more")
                }
            }
        }
        definition.fit = fit
        return definition
    }
}

extension ConfigNode {
    /// A whole number within `range`.
    func integer(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let text = try string()
        guard let value = Int(text) else { throw failure("expected a whole number, got \"\(text)\"") }
        guard range.contains(value) else {
            throw failure(range.upperBound == Int.max ? "must be at least \(range.lowerBound), got \(value)"
                                                      : "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A finite number meeting `condition` (described by `requirement`).
    func number(where condition: (Double) -> Bool, _ requirement: String) throws(ConfigError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite, condition(value) else {
            throw failure("expected \(requirement), got \"\(text)\"")
        }
        return value
    }

    /// A seed: a whole number from 0 to 2⁶⁴ − 1.
    func unsigned64() throws(ConfigError) -> UInt64 {
        let text = try string()
        guard let value = UInt64(text) else { throw failure("expected a whole number from 0 to \(UInt64.max), got \"\(text)\"") }
        return value
    }

    /// One of the named values.
    func choice<Value>(_ values: [String: Value]) throws(ConfigError) -> Value {
        let text = try string()
        guard let value = values[text] else {
            throw failure("expected one of: \(values.keys.sorted().joined(separator: ", ")), got \"\(text)\"")
        }
        return value
    }
}
