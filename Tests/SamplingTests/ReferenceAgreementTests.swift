import Testing
import Foundation
import NumericCore
import SplineModels
import Sampling

/// The brms/Stan reference fits in `../shared/reference/` (copied into the
/// fixtures): the model input of each case and the reference's per-day summary.
enum ReferenceCase: String, CaseIterable, Sendable {
    case shortQuarter = "short_quarter"
    case yearBimodal = "year_bimodal"
    case yearGaussian = "year_gaussian"
    case yearOutliers = "year_outliers"

    func csv(_ name: String) throws -> [[String: String]] {
        let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures/reference/\(rawValue)")!
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",").map(String.init)))
        }
    }

    /// Non-outlier rows of prep.csv, as the reference model saw them.
    func modelInput() throws -> (days: [Int], values: [Double]) {
        let rows = try csv("prep").filter { $0["out"] == "FALSE" }
        return (rows.map { Int($0["dayi"]!)! }, rows.map { Double($0["y"]!)! })
    }
}

/// The agreement figures of `reference/agree.py`: errors in units of the
/// reference's own 90% half-width per day, 95th percentile over days.
struct Agreement: CustomStringConvertible {
    var levelMedianError: Double
    var levelWidthRatio: Double
    var predictiveMedianError: Double
    var predictiveLowError: Double
    var predictiveHighError: Double
    var predictiveWidthRatio: Double

    var description: String {
        String(format: "level_p50_err_p95 %.3f level_width_ratio %.3f pred_p50 %.3f pred_p05 %.3f pred_p95 %.3f pred_width_ratio %.3f",
               levelMedianError, levelWidthRatio, predictiveMedianError, predictiveLowError, predictiveHighError,
               predictiveWidthRatio)
    }

    /// The bounds of `reference/README.md`.
    var agrees: Bool {
        levelMedianError <= 0.25 && (0.8...1.25).contains(levelWidthRatio)
            && predictiveMedianError <= 0.2 && predictiveLowError <= 0.2 && predictiveHighError <= 0.2
            && (0.9...1.1).contains(predictiveWidthRatio)
    }

    init(reference: [[String: String]], fit: SplineFit) {
        var lm: [Double] = [], lw: [Double] = [], pm: [Double] = [], pl: [Double] = [], ph: [Double] = [], pw: [Double] = []
        for row in reference {
            let day = Int(row["day"]!)!
            guard day >= fit.firstDay && day <= fit.lastDay else { continue }
            func r(_ k: String) -> Double { Double(row[k]!)! }
            let level = fit.level.quantiles(day: day - fit.firstDay, [0.05, 0.5, 0.95])
            let pred = fit.predictive.quantiles(day: day - fit.firstDay, [0.05, 0.5, 0.95])
            let lh = (r("level_p95") - r("level_p05")) / 2
            let predHalf = (r("pred_p95") - r("pred_p05")) / 2
            lm.append(abs(level[1] - r("level_p50")) / lh)
            lw.append((level[2] - level[0]) / (2 * lh))
            pm.append(abs(pred[1] - r("pred_p50")) / predHalf)
            pl.append(abs(pred[0] - r("pred_p05")) / predHalf)
            ph.append(abs(pred[2] - r("pred_p95")) / predHalf)
            pw.append((pred[2] - pred[0]) / (2 * predHalf))
        }
        func p95(_ x: [Double]) -> Double { quantile(x, 0.95) }
        levelMedianError = p95(lm)
        levelWidthRatio = lw.reduce(0, +) / Double(lw.count)
        predictiveMedianError = p95(pm)
        predictiveLowError = p95(pl)
        predictiveHighError = p95(ph)
        predictiveWidthRatio = pw.reduce(0, +) / Double(pw.count)
    }
}

@Test(arguments: ReferenceCase.allCases)
func defaultSamplerAgreesWithTheBrmsReference(_ reference: ReferenceCase) async throws {
    let input = try reference.modelInput()
    let options = FitOptions(sampler: SamplerSettings(sampler: .gibbs, seed: 2024, threads: 1))
    let fit = try await SplineFitter.fit(days: input.days, values: input.values, options: options)
    let agreement = Agreement(reference: try reference.csv("summary"), fit: fit)
    #expect(agreement.agrees, "\(reference.rawValue) with gibbs: \(agreement)")
    #expect(fit.diagnostics.status == .good, "\(reference.rawValue) with gibbs: \(fit.diagnostics.status)")
}

/// NUTS in the default (partially non-centred) coordinates: every seed
/// agrees with the reference and mixes better than brms did on these series
/// (min bulk ESS 612–1,311 of 4,000 there; 2,800–6,600 here); the diagnostics
/// pass on at least two seeds of three — an occasional single divergent
/// transition on the short series flags a fit, as it should (brms had 12 there).
@Test(arguments: ReferenceCase.allCases)
func nutsAgreesWithTheBrmsReference(_ reference: ReferenceCase) async throws {
    let input = try reference.modelInput()
    var good = 0
    let seeds: [UInt64] = [2024, 2025, 2026]
    for seed in seeds {
        let options = FitOptions(sampler: SamplerSettings(sampler: .nuts, seed: seed, threads: 1))
        let fit = try await SplineFitter.fit(days: input.days, values: input.values, options: options)
        let agreement = Agreement(reference: try reference.csv("summary"), fit: fit)
        #expect(agreement.agrees, "\(reference.rawValue) with nuts, seed \(seed): \(agreement)")
        #expect(fit.diagnostics.minESSBulk >= 1_000, "\(reference.rawValue) with nuts, seed \(seed): \(fit.diagnostics.minESSBulk)")
        #expect(fit.diagnostics.divergentCount <= 2, "\(reference.rawValue) with nuts, seed \(seed)")
        if fit.diagnostics.status == .good { good += 1 }
    }
    #expect(good >= 2, "\(reference.rawValue): \(good) of \(seeds.count) NUTS fits passed the diagnostics")
}
