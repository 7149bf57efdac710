import Foundation

/// `slowreg report`'s page: one self-contained HTML file (inline CSS and SVG,
/// no script, no fonts or images from elsewhere), readable offline.
///
/// A summary table of every series, highest `P(worse)` first, with the median
/// change against each comparison day, the regression flag and a diagnostics
/// badge (its reason on hover); then per series its comparisons, the
/// ``SeriesChart`` and the ``ChangeDistributionChart``.
public enum ReportHTML {
    public static func render(_ content: ReportContent) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="slowreg">
            <title>slowreg report \(SVG.escape(content.runDate))</title>
            <style>\(stylesheet)</style>
            </head>
            <body>

            """
        html += header(content)
        html += summary(content)
        for entry in content.series { html += section(entry) }
        return html + "</body>\n</html>\n"
    }

    // MARK: - Header and summary

    static func header(_ content: ReportContent) -> String {
        var scope = "\(content.series.count) of \(content.storedSeriesCount) series stored for \(content.runDate)"
        if !content.selection.summary.isEmpty { scope += " (\(content.selection.summary))" }
        return """
            <header>
            <h1>slowreg — performance on \(SVG.escape(content.runDate))</h1>
            <p class="scope">\(SVG.escape(scope)), from <code>\(SVG.escape(content.storeLocation))</code>.</p>
            <p class="help">Change is that of the fitted level from each comparison day to D = \(SVG.escape(content.runDate)), \
            in % of the comparison day's level, from paired posterior draws. P(worse) is the share of draws in which D is worse. \
            A comparison is a <span class="regression">regression</span> when its 80% interval lies wholly on the worse side. \
            Hover over a cell, badge or marker for details.</p>
            </header>

            """
    }

    static func summary(_ content: ReportContent) -> String {
        guard !content.series.isEmpty else {
            return "<section id=\"summary\"><h2>Summary</h2><p>No series match.</p></section>\n"
        }
        let labels = content.comparisonLabels
        var html = "<section id=\"summary\"><h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr>"
            + "<th>series</th><th>platform</th><th>project</th><th>highest P(worse)</th>"
        for label in labels { html += "<th title=\"median change to D\">\(SVG.escape(label))</th>" }
        html += "<th>regression</th><th>diagnostics</th></tr></thead>\n<tbody>\n"
        for entry in content.series {
            let s = entry.series
            let name = s.test.isEmpty ? s.suite : "\(s.suite) / \(s.test)"
            html += "<tr><td><a href=\"#\(entry.anchor)\">\(SVG.escape(name))</a></td>"
                + "<td>\(SVG.escape(s.platform))</td><td>\(SVG.escape(s.project))</td>"
            html += "<td class=\"num\">" + (entry.highestProbabilityWorse.map { String(format: "%.3f", $0) } ?? "—") + "</td>"
            let byLabel = Dictionary(entry.results.comparisons.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
            for label in labels {
                guard let c = byLabel[label] else { html += "<td class=\"num missing\">—</td>"; continue }
                html += "<td class=\"num\(c.regression ? " regression" : "")\(c.alert ? " alert" : "")\" title=\"\(SVG.escape(comparisonDetail(c)))\">"
                    + String(format: "%+.2f%%", c.p50) + "</td>"
            }
            let flagged = entry.results.comparisons.filter(\.regression).map(\.label)
            html += "<td>" + (flagged.isEmpty ? "—" : "<span class=\"regression\">yes</span> (\(SVG.escape(flagged.joined(separator: ", "))))") + "</td>"
            html += "<td>\(badge(entry.results.diagnostics))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static func comparisonDetail(_ c: ComparisonRow) -> String {
        "\(c.label) (\(c.date)) → D: " + String(format: "median %+.2f%%, 80%% interval %+.2f%% … %+.2f%%, P(worse) %.3f", c.p50, c.p10, c.p90, c.pWorse)
            + (c.regression ? ", regression" : "") + (c.alert ? ", alert" : "")
    }

    /// `good` / `flagged` / `failed`, with why on hover.
    static func badge(_ d: DiagnosticsRow) -> String {
        let reason: String
        switch d.status {
        case .good: reason = convergenceSummary(d)
        case .flagged: reason = d.reasons.isEmpty ? convergenceSummary(d) : d.reasons
        case .failed: reason = d.error.isEmpty ? "the fit failed" : d.error
        }
        return "<span class=\"badge \(d.status.rawValue)\" title=\"\(SVG.escape(reason))\">\(d.status.rawValue)</span>"
    }

    static func convergenceSummary(_ d: DiagnosticsRow) -> String {
        var parts: [String] = []
        if let v = d.maxRhat { parts.append(String(format: "max R̂ %.4f", v)) }
        if let v = d.minEssBulk { parts.append(String(format: "min bulk ESS %.0f", v)) }
        if let v = d.minEssTail { parts.append(String(format: "min tail ESS %.0f", v)) }
        if let v = d.nDivergent { parts.append("\(v) divergent") }
        if let v = d.minBfmi { parts.append(String(format: "min E-BFMI %.2f", v)) }
        parts.append("\(d.sampler) sampler, \(d.noise) noise")
        return parts.joined(separator: ", ")
    }

    // MARK: - One series

    static func section(_ entry: ReportSeries) -> String {
        let s = entry.series
        let r = entry.results
        let d = r.diagnostics
        var html = "<section class=\"series\" id=\"\(entry.anchor)\">\n"
        html += "<h2>\(SVG.escape(s.test.isEmpty ? s.suite : "\(s.suite) / \(s.test)")) <small>\(SVG.escape(s.platform))</small> \(badge(d))</h2>\n"
        html += "<p class=\"meta\">\(SVG.escape(facts(entry)))</p>\n"
        if d.status == .failed {
            html += "<p class=\"error\">The fit failed: \(SVG.escape(d.error))</p>\n"
        }
        if d.status == .flagged && !d.reasons.isEmpty {
            html += "<p class=\"warning\">Diagnostics flagged this fit: \(SVG.escape(d.reasons)). Read its bands with care.</p>\n"
        }
        if !r.comparisons.isEmpty { html += comparisonTable(r.comparisons) }
        if let chart = SeriesChart.svg(series: s, results: r) { html += "<figure>\(chart)</figure>\n" }
        if let chart = ChangeDistributionChart.svg(series: s, results: r, id: "change-\(s.id)") {
            html += "<figure class=\"change\">\(chart)<figcaption>Posterior of the change of the level from each comparison day to D.</figcaption></figure>\n"
        }
        return html + "<p class=\"top\"><a href=\"#summary\">↑ summary</a></p>\n</section>\n"
    }

    static func facts(_ entry: ReportSeries) -> String {
        let s = entry.series
        let d = entry.results.diagnostics
        var parts: [String] = []
        if !s.project.isEmpty { parts.append(s.project) }
        if !s.framework.isEmpty { parts.append(s.framework) }
        parts.append("unit \(s.unit.isEmpty ? "—" : s.unit)")
        parts.append(s.lowerIsBetterOrDefault ? "lower is better" : "higher is better")
        if let n = d.nPoints { parts.append("\(n) runs fitted" + (d.nOutliers.map { ", \($0) outliers" } ?? "")) }
        if let first = d.firstDate, let last = d.lastDate { parts.append("\(first) … \(last)") }
        if let k = d.k { parts.append("K = \(k)") }
        parts.append("model \(d.model) (\(d.noise) noise, \(d.sampler))")
        if let f = d.recalibrationFactor { parts.append(String(format: "recalibration ×%.3f", f)) }
        if !d.modesSummary.isEmpty { parts.append(d.modesSummary) }
        return parts.joined(separator: " · ")
    }

    static func comparisonTable(_ rows: [ComparisonRow]) -> String {
        var html = "<table class=\"comparisons\"><thead><tr><th>comparison</th><th>day</th><th>p05</th><th>p10</th>"
            + "<th>median</th><th>p90</th><th>p95</th><th>P(worse)</th><th>verdict</th></tr></thead><tbody>\n"
        for c in rows.sorted(by: { $0.date > $1.date }) {
            let verdict = [c.regression ? "regression" : nil, c.alert ? "alert" : nil].compactMap { $0 }.joined(separator: ", ")
            html += "<tr class=\"\(c.regression ? "regression" : "")\"><td>\(SVG.escape(c.label))</td><td>\(SVG.escape(c.date))</td>"
            for v in [c.p05, c.p10, c.p50, c.p90, c.p95] { html += "<td class=\"num\">" + String(format: "%+.2f%%", v) + "</td>" }
            html += "<td class=\"num\">" + String(format: "%.3f", c.pWorse) + "</td><td>\(verdict.isEmpty ? "—" : verdict)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    // MARK: - Style

    static let stylesheet = """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; margin: 1.5em auto; max-width: 1000px; padding: 0 1em; }
        h1 { font-size: 1.5em; margin-bottom: .2em; }
        h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
        h2 small { color: #666; font-weight: normal; }
        p.help, p.scope, p.meta { color: #555; font-size: .9em; }
        code { font-size: .95em; }
        table { border-collapse: collapse; font-size: .85em; margin: .5em 0; }
        th, td { padding: .25em .6em; border-bottom: 1px solid #eee; text-align: left; }
        th { background: #f5f5f5; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.missing { color: #aaa; }
        td.regression, tr.regression td, span.regression { color: #b30000; font-weight: 600; }
        td.alert { background: #fde0dd; }
        .badge { display: inline-block; padding: 0 .5em; border-radius: .8em; font-size: .8em; font-weight: 600; cursor: help; }
        .badge.good { background: #d9f0d3; color: #1b5e20; }
        .badge.flagged { background: #fff3c4; color: #7a5200; }
        .badge.failed { background: #fdd0d0; color: #8b0000; }
        p.error { color: #8b0000; }
        p.warning { color: #7a5200; }
        figure { margin: .5em 0; }
        figcaption { color: #666; font-size: .8em; }
        p.top { font-size: .8em; }
        svg { max-width: 100%; height: auto; display: block; }
        svg text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11px; fill: #333; }
        svg .axis-title { font-size: 12px; fill: #222; }
        svg .grid { stroke: #e8e8e8; stroke-width: 1; }
        svg .axis-line, svg .tick { stroke: #555; stroke-width: 1; }
        svg .band90 { fill: #c6dbef; }
        svg .band50 { fill: #6baed6; fill-opacity: .8; }
        svg .level-median { fill: none; stroke: #08306b; stroke-width: 1.6; }
        svg .run { fill: #252525; fill-opacity: .55; }
        svg .outlier { fill: none; stroke: #d62728; stroke-width: 1.5; }
        svg .outlier.clamped { fill: #d62728; stroke: none; }
        svg .marker-line { stroke-width: 1.3; }
        svg .marker-comparison .marker-line, svg .legend-comparison { stroke: #e6550d; stroke-dasharray: 5 3; }
        svg .marker-comparison text { fill: #a63603; }
        svg .marker-version .marker-line, svg .legend-version { stroke: #6a51a3; stroke-dasharray: 1.5 2.5; }
        svg .marker-version text { fill: #54278f; }
        svg .marker-d .marker-line, svg .legend-d { stroke: #000; }
        svg .marker-d text { font-weight: bold; }
        svg .legend-run { fill: #252525; }
        svg .legend-outlier { fill: none; stroke: #d62728; stroke-width: 1.5; }
        svg .legend-level { stroke: #08306b; stroke-width: 2; }
        svg .legend line { stroke-width: 1.5; }
        svg .violin-worse { fill: #fb6a4a; fill-opacity: .7; }
        svg .violin-better { fill: #6baed6; fill-opacity: .7; }
        svg .violin-outline { fill: none; stroke: #444; stroke-width: .8; }
        svg .interval90 { stroke: #222; stroke-width: 1.2; }
        svg .interval80 { stroke: #222; stroke-width: 4; }
        svg .median-dot { fill: #fff; stroke: #222; stroke-width: 1.5; }
        svg .zero-line { stroke: #000; stroke-width: 1; stroke-dasharray: 3 3; }
        svg .p-worse { font-weight: bold; font-size: 12px; }
        svg .p-worse.regression { fill: #b30000; }
        svg .comparison-label { font-weight: 600; }
        svg .comparison-date { fill: #666; }
        """
}
