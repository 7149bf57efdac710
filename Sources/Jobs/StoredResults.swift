import Foundation
import NumericCore
import Sampling
import Diagnostics
import SeriesAnalysis
import Store

/// Maps the answers of one series to the store's result rows (SPEC §9).
public enum StoredResults {
    static func make(_ result: SeriesJobResult, series: SeriesRecord, options: DailyRunOptions,
                     job: SeriesJobOptions) -> SeriesResults {
        let fit = result.fit
        let runDate = options.runDate.description
        let calendar = job.calendar
        let modelInput = result.prepared.rows.map { row in
            ModelInputRow(time: row.time, day: row.day, y: row.value, z: row.z, outlier: row.isOutlier,
                          majorVersion: calendar?.mvers(on: CalendarDay(row.time)))
        }
        let intervals = (0..<fit.dayCount).map { r -> IntervalRow in
            let l = result.sortedLevel.quantiles(day: r, [0.05, 0.25, 0.5, 0.75, 0.95])
            let p = result.predictiveQuantiles(row: r, FitReport.predictiveProbabilities)
            let raw = result.sortedRawPredictive.quantiles(day: r, [0.05, 0.5, 0.95])
            return IntervalRow(day: fit.firstDay + r, date: result.date(ofRow: r).description,
                               levelP05: l[0], levelP25: l[1], levelP50: l[2], levelP75: l[3], levelP95: l[4],
                               p05: p[0], p15: p[1], p16: p[2], p25: p[3], p50: p[4], p75: p[5], p84: p[6], p85: p[7], p95: p[8],
                               rawP05: raw[0], rawP50: raw[1], rawP95: raw[2])
        }
        let draws = drawRows(result, retention: options.drawRetention)
        let d = fit.diagnostics
        let summary = FitReport.summary(d)
        let diagnostics = DiagnosticsRow(
            model: options.modelName, sampler: job.fit.sampler.sampler.rawValue, noise: job.fit.noise.rawValue,
            status: d.status == .good ? .good : .flagged, reasons: summary.warnings.joined(separator: "; "),
            nPoints: fit.pointCount, nOutliers: result.prepared.outlierCount,
            firstDate: result.fitStart.description, lastDate: result.date(ofRow: fit.dayCount - 1).description,
            k: fit.parameterCount, nDivergent: d.divergentCount, maxRhat: summary.max_rhat,
            minEssBulk: summary.min_ess_bulk, minEssTail: summary.min_ess_tail, nEffRatio: summary.n_eff_ratio,
            exceededMaxTreedepth: d.treeDepthHitCount, minBfmi: summary.min_bfmi,
            recalibrationFactor: result.recalibration?.factor, coverageBefore: result.recalibration?.coverageBefore,
            coverageAfter: result.recalibration?.coverageAfter, betaP05: result.calibrationCheck?.lowerBound,
            betaP95: result.calibrationCheck?.upperBound, modesCount: result.modes?.count,
            modesSummary: result.modes?.summary ?? "", warmupMs: fit.timing.warmupMilliseconds,
            samplingMs: fit.timing.samplingMilliseconds, totalMs: fit.timing.totalMilliseconds,
            seed: job.fit.sampler.seed, createdAt: Date())
        let comparisons = result.comparisons.compactMap { c -> ComparisonRow? in
            guard let change = c.change, let date = c.date else { return nil }
            return ComparisonRow(label: c.label, date: date.description, p05: change.p05, p10: change.p10, p50: change.p50,
                                 p90: change.p90, p95: change.p95, pWorse: change.probabilityWorse,
                                 regression: change.isRegression, alert: c.alert, minChange: change.minimumChange,
                                 threshold: job.alertRule.threshold,
                                 pWorseBeyond: change.probabilityWorseBeyondMinimum)
        }
        let changeDays = result.changeDays.map {
            ChangeDayRow(date: result.date(ofRow: $0.row).description, probability: $0.probability, sizePercent: $0.sizePercent)
        }
        return SeriesResults(runDate: runDate, seriesId: series.id, modelInput: modelInput, intervals: intervals,
                             draws: draws, diagnostics: diagnostics, comparisons: comparisons, changeDays: changeDays,
                             noiseChoice: noiseChoiceRows(fit.noise))
    }

    /// The rows of `noise_choice`: one per PSIS-LOO candidate, or the one
    /// noise model when none was compared; none for the reference model.
    public static func noiseChoiceRows(_ choice: NoiseChoice?) -> [NoiseChoiceRow] {
        guard let choice else { return [] }
        guard !choice.candidates.isEmpty else {
            return [NoiseChoiceRow(candidate: choice.chosen, chosen: true, reason: choice.reason)]
        }
        return choice.candidates.map { c in
            NoiseChoiceRow(candidate: c.name, chosen: c.name == choice.chosen, reason: choice.reason, elpd: c.elpd,
                           se: c.standardError, pLoo: c.effectiveParameters, elpdDiff: c.elpdDifference,
                           dse: c.differenceStandardError, maxParetoK: c.maxParetoK.isFinite ? c.maxParetoK : nil,
                           paretoKAbove07: c.highParetoKCount)
        }
    }

    /// The kept draws by day: the level of the days `retention` names, the
    /// predictive of D and its comparison days (and of the N recent days
    /// with `.recentDays(N)`); draw `j` of every day is posterior draw `j`.
    static func drawRows(_ result: SeriesJobResult, retention: DrawRetention) -> [DayDraws] {
        let fit = result.fit
        var compared = Set<Int>()
        func add(_ day: CalendarDay?) {
            guard let day else { return }
            let r = result.fitStart.distance(to: day)
            if r >= 0 && r < fit.dayCount { compared.insert(r) }
        }
        add(result.runDate)
        for c in result.comparisons { add(c.date) }
        if case let .recentDays(n) = retention {
            for back in 1...Swift.max(1, n) { add(result.runDate.advanced(by: -back)) }
        }
        let levelRows: [Int]
        switch retention {
        case .none: return []
        case .allDays: levelRows = Array(0..<fit.dayCount)
        case .comparisonDays, .recentDays: levelRows = compared.sorted()
        }
        let drawCount = fit.level.drawCount
        return levelRows.map { r in
            DayDraws(day: fit.firstDay + r, date: result.date(ofRow: r).description,
                     level: (0..<drawCount).map { Float(fit.level[r, $0]) },
                     predictive: compared.contains(r) ? (0..<drawCount).map { Float(result.predictiveDraw(row: r, draw: $0)) } : nil)
        }
    }
}
