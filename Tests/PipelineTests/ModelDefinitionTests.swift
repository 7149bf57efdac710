import Foundation
import NumericCore
import Ingest
import Jobs
import Sampling
import SplineModels
import SeriesAnalysis
import Testing

@Suite("ModelDefinition: Models/*.yaml equal the code's defaults; bad keys are named")
struct ModelDefinitionTests {
    static let modelsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models")

    /// Every model definition in Models/ (the selection file there is another kind of file).
    static var modelFiles: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory.path)) ?? []
        return names.filter { $0.hasPrefix("spline-") && $0.hasSuffix(".yaml") }.sorted()
            .map { modelsDirectory.appendingPathComponent($0) }
    }

    @Test("Models/ holds the Gaussian and the Student-t definitions")
    func bothFilesExist() {
        #expect(Self.modelFiles.map(\.lastPathComponent) == ["spline-gaussian.yaml", "spline-student-t.yaml"])
    }

    @Test("each file in Models/ equals the code's defaults for its noise", arguments: modelFiles)
    func filesEqualCode(file: URL) throws {
        let loaded = try ModelDefinition.load(from: file)
        let noise = loaded.fit.noise
        #expect(loaded.name == file.deletingPathExtension().lastPathComponent)
        #expect(loaded == ModelDefinition.standard(noise: noise))
        // Spelled out, so a change of any default shows which one drifted.
        #expect(loaded.fit == FitOptions(noise: noise))
        #expect(loaded.fit.priors == SplinePriors.standard)
        #expect(loaded.fit.sampler == SamplerSettings())
        #expect(loaded.fit.keptDraws == FitOptions.defaultKeptDraws)
        #expect(loaded.fit.basisCount == nil)
        #expect(loaded.knots.daysPerBasisFunction == KnotRule.daysPerBasisFunction)
        #expect(loaded.knots.minimumBasisFunctions == BSplineBasis.minimumCount)
        #expect(loaded.fit.thresholds == .default)
        #expect(loaded.fit.parametrization == .partial)
    }

    @Test("the two files differ in the noise only")
    func noiseDiffers() throws {
        let files = Self.modelFiles
        let gaussian = try ModelDefinition.load(from: files[0])
        let studentT = try ModelDefinition.load(from: files[1])
        #expect(gaussian.fit.noise == .gaussian && studentT.fit.noise == .studentT)
        var same = studentT.fit
        same.noise = .gaussian
        #expect(same == gaussian.fit)
    }

    @Test("an empty file is the built-in default, named after the file")
    func emptyFile() throws {
        let loaded = try ModelDefinition.parse(yaml: "", file: "mine.yaml", defaultName: "mine")
        #expect(loaded == ModelDefinition(name: "mine"))
    }

    @Test("given values are read")
    func valuesRead() throws {
        let loaded = try ModelDefinition.parse(yaml: """
            name: robust
            noise: student-t
            knots: {basis_functions: 12}
            priors: {tau_scale: 0.5, nu_rate: 0.2}
            sampler: {kind: nuts, chains: 2, warmup: 300, draws: 400, seed: 18446744073709551615,
                      max_tree_depth: 8, target_acceptance: 0.95}
            kept_draws: 500
            parametrization: non-centred
            diagnostics: {max_rhat: 1.05, max_tree_depth_hits: 10}
            alert: {threshold: 0.9, min_change: 3, min_change_by_suite: {speedometer: 1, tabpaint: 0}}
            """, file: "robust.yaml")
        #expect(loaded.name == "robust")
        #expect(loaded.fit.noise == .studentT)
        #expect(loaded.fit.basisCount == 12)
        #expect(loaded.fit.priors == SplinePriors(tauScale: 0.5, nuRate: 0.2))
        #expect(loaded.fit.sampler == SamplerSettings(sampler: .nuts, chains: 2, warmup: 300, draws: 400, seed: .max,
                                                      maxTreeDepth: 8, targetAcceptance: 0.95))
        #expect(loaded.fit.keptDraws == 500)
        #expect(loaded.fit.parametrization == .nonCentred)
        #expect(loaded.fit.thresholds.maxRhat == 1.05)
        #expect(loaded.fit.thresholds.maxTreeDepthHits == 10)
        #expect(loaded.alertRule == AlertRule(threshold: 0.9, minimumChange: 3,
                                              minimumChangeBySuite: ["speedometer": 1, "tabpaint": 0]))
        #expect(loaded.alertRule.resolved(forSuite: "speedometer").minimumChange == 1)
        #expect(loaded.alertRule.resolved(forSuite: "tp6").minimumChange == 3)
    }

    @Test("a typo in a key is rejected with the key named", arguments: [
        ("noize: gaussian\n", "noize"),
        ("priors:\n  tau_scael: 1\n", "priors.tau_scael"),
        ("sampler:\n  chians: 4\n", "sampler.chians"),
        ("knots:\n  days_per_basis: 8\n", "knots.days_per_basis"),
        ("diagnostics:\n  max_rhta: 1.01\n", "diagnostics.max_rhta"),
        ("alert:\n  min_chnage: 2\n", "alert.min_chnage"),
    ])
    func typoNamed(yaml: String, key: String) {
        do {
            _ = try ModelDefinition.parse(yaml: yaml, file: "typo.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.key == key)
            #expect(error.description.hasPrefix("typo.yaml: key \"\(key)\": unknown key"))
        }
    }

    @Test("a bad value is rejected with the key named", arguments: [
        ("noise: cauchy\n", "noise"),
        ("sampler:\n  kind: hmc\n", "sampler.kind"),
        ("sampler:\n  chains: 0\n", "sampler.chains"),
        ("sampler:\n  warmup: -1\n", "sampler.warmup"),
        ("sampler:\n  draws: many\n", "sampler.draws"),
        ("sampler:\n  seed: -3\n", "sampler.seed"),
        ("sampler:\n  target_acceptance: 1\n", "sampler.target_acceptance"),
        ("sampler:\n  max_tree_depth: 40\n", "sampler.max_tree_depth"),
        ("priors:\n  sigma_scale: 0\n", "priors.sigma_scale"),
        ("priors:\n  nu_shape: .inf\n", "priors.nu_shape"),
        ("priors: [1, 2]\n", "priors"),
        ("kept_draws: 0\n", "kept_draws"),
        ("parametrization: centered\n", "parametrization"),
        ("knots:\n  days_per_basis_function: 7\n", "knots.days_per_basis_function"),
        ("knots:\n  basis_functions: 3\n", "knots.basis_functions"),
        ("diagnostics:\n  max_rhat: 0.9\n", "diagnostics.max_rhat"),
        ("alert:\n  threshold: 1.5\n", "alert.threshold"),
        ("alert:\n  min_change_by_suite: {tabpaint: -1}\n", "alert.min_change_by_suite.tabpaint"),
        ("name: ''\n", "name"),
        ("- gaussian\n", "(document)"),
    ])
    func badValueNamed(yaml: String, key: String) {
        do {
            _ = try ModelDefinition.parse(yaml: yaml, file: "bad.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.key == key)
        }
    }

    @Test("a missing file is a clear error")
    func missingFile() {
        #expect(throws: ConfigError.self) { try ModelDefinition.load(from: URL(fileURLWithPath: "/nonexistent/model.yaml")) }
    }
}
