import ArgumentParser
import Foundation
import Reports
import Jobs
import CommandLineOptions
import SplineModels
import SeriesAnalysis
import Sampling

extension NoiseModel: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}

/// Output formats of tabular commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Model and sampler options shared by `fit` and `run`: a model definition
/// (`--model FILE`, default the built-in one), with the options given on the
/// command line overriding it.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The model: step-level (alias default: SPEC §5b, a daily level with steps and drift, heavy-tailed noise whose scale may change and which may have two modes, chosen by PSIS-LOO), reference (SPEC §5, the brms-agreeing P-spline), or a model definition (YAML), e.g. Models/spline-student-t.yaml. Options below override it. (default: step-level)",
                               valueName: "name|file"), completion: .file(extensions: ["yaml", "yml"]))
    var model: String?

    @Option(help: "Noise distribution of the spline models (reference, a definition file): gaussian or student-t. (default: the model's)")
    var noise: NoiseModel?

    @Option(help: "Sampler of the spline models: gibbs (conditionally conjugate), nuts, or metropolis. The step-level model has its own Gibbs sampler. (default: the model's, else gibbs)")
    var sampler: SamplerKind?

    @Option(help: "Number of chains. (default: the model's, else \(SamplerSettings.defaultChains))")
    var chains: Int?

    @Option(help: "Warm-up iterations per chain, discarded. (default: the model's, else \(SamplerSettings.defaultWarmup))")
    var warmup: Int?

    @Option(help: "Kept iterations per chain. (default: the model's, else \(SamplerSettings.defaultDraws))")
    var draws: Int?

    @Option(name: .customLong("kept-draws"),
            help: "Posterior draws kept per day, thinned evenly over chains. (default: the model's, else \(FitOptions.defaultKeptDraws))")
    var keptDraws: Int?

    @Option(help: "Random seed; the same seed gives the same draws whatever the thread count. (default: the model's, else \(SamplerSettings.defaultSeed))")
    var seed: UInt64?

    @Option(help: "Threads for parallel chains (default: all cores).")
    var threads: Int = SamplerSettings.availableCores

    @Flag(name: .customLong("no-rerun"),
          help: "Step-level model: report a run whose chains are flagged for R-hat or ESS as it is, instead of running them again with \(StepLevelFitter.extensionFactor)× the draws (up to \(StepLevelFitter.extensions) times while still flagged).")
    var noRerun = false

    @Flag(name: .customLong("full-noise-choice"),
          help: "Step-level model: fit every noise candidate in full and choose on all their draws, instead of choosing on the first quarter of each one's draws and running on only the chosen one (slower; the same answers whenever the choice is the same).")
    var fullNoiseChoice = false

    func validate() throws {
        if let chains, chains < 1 { throw ValidationError("--chains must be at least 1") }
        if let warmup, warmup < 0 { throw ValidationError("--warmup must be 0 or more") }
        if let draws, draws < 1 { throw ValidationError("--draws must be at least 1") }
        if let keptDraws, keptDraws < 1 { throw ValidationError("--kept-draws must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    /// The definition fits start from: the `--model` file's, else the built-in
    /// one for `--noise`. A bad file exits with status 2, naming the key.
    func definition() throws -> ModelDefinition {
        let definition: ModelDefinition
        if let builtIn = ModelDefinition.named(model ?? "default") {
            definition = builtIn
        } else {
            do {
                definition = try ModelDefinition.load(from: URL(fileURLWithPath: model ?? ""))
            } catch {
                throw failWithBadInput(error)
            }
        }
        // The step-level model has one noise model and one sampler: an option
        // that would choose another is a usage error, not silently ignored.
        if definition.kind == .stepLevel {
            if let noise {
                throw failWithBadInput("--noise \(noise.rawValue) applies to the spline models; the step-level model's noise is Student-t with a scale that may change (use --model reference for a Gaussian spline)")
            }
            if let sampler, sampler != .gibbs {
                throw failWithBadInput("--sampler \(sampler.rawValue) applies to the spline models; the step-level model has its own Gibbs sampler (use --model reference)")
            }
        }
        return definition
    }

    /// The fit options: `definition`, with every option given on the command line over it.
    func fitOptions(from definition: ModelDefinition) -> FitOptions {
        var fit = definition.fit
        if let noise { fit.noise = noise }
        if let sampler { fit.sampler.sampler = sampler }
        if let chains { fit.sampler.chains = chains }
        if let warmup { fit.sampler.warmup = warmup }
        if let draws { fit.sampler.draws = draws }
        if let keptDraws { fit.keptDraws = keptDraws }
        if let seed { fit.sampler.seed = seed }
        fit.sampler.threads = threads
        if noRerun { fit.extendUnmixedRuns = false }
        if fullNoiseChoice { fit.stagedNoiseChoice = false }
        return fit
    }

    func fitOptions() throws -> FitOptions { fitOptions(from: try definition()) }

    /// The model name stored with the results: the definition's, noting a
    /// `--noise` that differs from it.
    func modelName(_ definition: ModelDefinition) -> String {
        if definition.kind == .stepLevel { return "\(definition.name) v\(StepLevelFitter.modelVersion)" }
        guard let noise, noise != definition.fit.noise else { return definition.name }
        return "\(definition.name) (noise \(noise.rawValue))"
    }
}

/// Writes text to standard output.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// `--threshold` and `--min-change`: the alert rule of SPEC §8, shared by
/// every command that judges comparisons. Each overrides the rule it is
/// applied to (a model definition's, or what `run` stored); a `--min-change`
/// given here applies to every suite.
struct AlertRuleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Alert when the probability that D is worse by more than the minimum change reaches this (0…1). (default: \(AlertRule.defaultThreshold))",
                               valueName: "probability"))
    var threshold: Double?

    @Option(name: .customLong("min-change"),
            help: ArgumentHelp("The minimum change in percent: smaller changes are practically no change. (default: the model definition's per suite, else \(AlertRule.defaultMinimumChange))",
                               valueName: "percent"))
    var minChange: Double?

    func validate() throws {
        if let threshold { guard threshold.isFinite, (0...1).contains(threshold) else {
            throw ValidationError("--threshold must be between 0 and 1, not \(threshold)") } }
        if let minChange { guard minChange.isFinite, minChange >= 0 else {
            throw ValidationError("--min-change must be a percentage of 0 or more, not \(minChange)") } }
    }

    /// `base` with the options given here over it.
    func rule(over base: AlertRule = AlertRule()) -> AlertRule {
        var rule = base
        if let threshold { rule.threshold = threshold }
        if let minChange {
            rule.minimumChange = minChange
            rule.minimumChangeBySuite = [:]
        }
        return rule
    }

    var rule: AlertRule { rule() }

    /// For commands that judge stored comparisons: the options given, the
    /// stored rule for the rest.
    var choice: AlertRuleChoice { AlertRuleChoice(threshold: threshold, minimumChange: minChange) }
}

/// A day on the command line (`--date`, `--days`, `--run-date`, `--compare`):
/// `YYYY-MM-DD`, or `today` / `yesterday` in UTC (SPEC §10), so a scheduler
/// can start the daily job without computing a date.
struct DayArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let day: CalendarDay

    init?(argument: String) {
        guard let day = CalendarDay(commandLine: argument) else { return nil }
        self.day = day
    }

    /// `YYYY-MM-DD`.
    var description: String { day.description }

    static var defaultCompletionKind: CompletionKind { .list(["today", "yesterday"]) }
}

/// The help text of every day option.
let dayHelpSuffix = "YYYY-MM-DD, today or yesterday (UTC)"
