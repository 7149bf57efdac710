import Foundation

/// Human-readable (table) and spreadsheet (CSV) renderings of a `FitReport`.
public enum FitReportText {
    /// Days shown at the end of the table.
    public static let tableDays = 14

    /// One row per day with the columns of the reference summaries
    /// (`date, day, level_p05 … level_p95, pred_p05 … pred_p95`), then the raw
    /// (not recalibrated) predictive quantiles.
    public static func csv(_ r: FitReport) -> String {
        var out = "date,day,level_p05,level_p25,level_p50,level_p75,level_p95,"
            + "pred_p05,pred_p15,pred_p16,pred_p25,pred_p50,pred_p75,pred_p84,pred_p85,pred_p95,"
            + "raw_p05,raw_p50,raw_p95\n"
        for d in r.days {
            let l = d.level, p = d.predictive, q = d.predictive_raw
            let numbers = [l.p05, l.p25, l.p50, l.p75, l.p95, p.p05, p.p15, p.p16, p.p25, p.p50, p.p75, p.p84, p.p85, p.p95,
                           q.p05, q.p50, q.p95]
            out += "\(d.date),\(d.day)," + numbers.map { format($0) }.joined(separator: ",") + "\n"
        }
        return out
    }

    public static func table(_ r: FitReport) -> String {
        let m = r.model
        var out = "series  \(m.first_date) … \(m.last_date)  \(m.n_rows) runs, \(m.n_outliers) outliers, \(m.n_points) fitted, K = \(m.k)\n"
        out += "model   \(m.noise) noise, \(m.sampler), \(m.chains) chains × (\(m.warmup) warm-up + \(m.draws)), seed \(m.seed)\n"
        let d = r.diagnostics
        out += "fit     \(d.status)"
        out += "  max R̂ \(format(d.max_rhat, digits: 3))  min ESS bulk \(format(d.min_ess_bulk, digits: 0))"
        out += " tail \(format(d.min_ess_tail, digits: 0))  divergent \(d.n_divergent)"
        if let bfmi = d.min_bfmi { out += "  min E-BFMI \(format(bfmi, digits: 2))" }
        if let t = r.timing { out += "  \(format(t.total_ms, digits: 0)) ms" }
        out += "\n"
        for w in d.warnings { out += "        ! \(w)\n" }
        if let f = r.recalibration.factor {
            out += "recal   factor \(format(f, digits: 3)); 90% coverage (\(r.recalibration.measured ?? "in-sample")) \(percent(r.recalibration.coverage_before)) → \(percent(r.recalibration.coverage_after))\n"
        }
        if let s = r.modes.summary { out += "modes   \(s)\n" }
        out += "\n" + pad("date", 12) + pad("level p50", 12, right: true) + pad("90% level", 24, right: true)
            + pad("90% predictive", 26, right: true) + "\n"
        for day in r.days.suffix(tableDays) {
            out += pad(day.date, 12) + pad(format(day.level.p50), 12, right: true)
                + pad("\(format(day.level.p05)) – \(format(day.level.p95))", 24, right: true)
                + pad("\(format(day.predictive.p05)) – \(format(day.predictive.p95))", 26, right: true) + "\n"
        }
        if !r.comparisons.isEmpty {
            out += "\ncompare \(m.run_date) with (change of the level, %):\n"
            out += pad("label", 12) + pad("date", 12) + pad("p10", 9, right: true) + pad("p50", 9, right: true)
                + pad("p90", 9, right: true) + pad("P(worse)", 10, right: true) + "  verdict\n"
            for c in r.comparisons {
                if let skipped = c.skipped {
                    out += pad(c.label, 12) + pad(c.date ?? "-", 12) + "  skipped: \(skipped)\n"
                    continue
                }
                let verdict = (c.regression == true ? "regression" : "") + (c.alert ? (c.regression == true ? ", alert" : "alert") : "")
                out += pad(c.label, 12) + pad(c.date ?? "-", 12) + pad(format(c.p10, digits: 2), 9, right: true)
                    + pad(format(c.p50, digits: 2), 9, right: true) + pad(format(c.p90, digits: 2), 9, right: true)
                    + pad(format(c.p_worse, digits: 3), 10, right: true) + "  " + verdict + "\n"
            }
        }
        for note in r.notes { out += "note: \(note)\n" }
        return out
    }

    static func format(_ x: Double?, digits: Int = 4) -> String {
        guard let x, x.isFinite else { return "-" }
        if digits == 4 {
            // significant figures for levels of any magnitude
            return String(format: "%.6g", x)
        }
        return String(format: "%.\(digits)f", x)
    }

    static func percent(_ x: Double?) -> String {
        guard let x else { return "-" }
        return String(format: "%.1f%%", 100 * x)
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        guard n < width else { return right ? " " + s : s + " " }
        let spaces = String(repeating: " ", count: width - n)
        return right ? spaces + s : s + spaces
    }
}
