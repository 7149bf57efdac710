import Foundation
import Store

/// `slowreg report`'s page: one self-contained HTML file (inline CSS, SVG and
/// a small inline script; no fonts, images or scripts from elsewhere), readable
/// offline, that answers *what* got worse, *when* and *by how much*.
///
/// - A summary table of every series, highest `P(worse)` first: the median
///   change against each comparison day coloured by its size
///   (``ChangeScale``), the latest change day, the level at D in the series'
///   unit, the diagnostics badge. The script sorts it by any column and
///   filters it by name or to regressions; without script it is the same
///   table in report order.
/// - Per series a collapsible section (`<details>`, open for the first
///   ``openSections`` series; the browser lays out closed ones only when
///   opened, so a page of 1,000 series stays usable): one line with what, when
///   and how much; the comparisons with the level before → after in the unit;
///   the last eight weeks beside the year (``SeriesChart``); the posterior of
///   each change (``ChangeDistributionChart``); a link to the series in
///   Perfherder when its project and signature are known.
///
/// Each series costs at most ``byteBudgetPerSeries`` bytes of page.
public enum ReportHTML {
    /// The size budget of one series on the page (issue 13): 1,000 series make a page of at most 40 MB.
    public static let byteBudgetPerSeries = 40_000
    /// Sections open when the page loads: the riskiest series, read first.
    static let openSections = 12

    public static func render(_ content: ReportContent) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="slowreg">
            <title>slowreg report \(SVG.escape(content.runDate))</title>
            <style>\(stylesheet)\(ChangeScale.stylesheet)</style>
            </head>
            <body>

            """
        html += header(content)
        let labels = content.comparisonLabels
        html += summary(content)
        for (i, entry) in content.series.enumerated() {
            // The section gets what the series' summary row leaves of its budget.
            let row = summaryRow(entry, rank: i + 1, labels: labels)
            html += section(entry, open: i < openSections, budget: byteBudgetPerSeries - row.utf8.count)
        }
        return html + "<script>\(ReportScript.source)</script>\n</body>\n</html>\n"
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
            in % of the comparison day's level, from paired posterior draws; its colour deepens with its size \
            (<span class="w1">&nbsp;0.5%&nbsp;</span><span class="w2">&nbsp;1%&nbsp;</span><span class="w3">&nbsp;2%&nbsp;</span><span class="w4">&nbsp;4%&nbsp;</span><span class="w5">&nbsp;8%&nbsp;</span> worse, \
            <span class="b2">&nbsp;blue&nbsp;</span> better). P(worse) is the share of draws in which D is worse. \
            A comparison is a <span class="regression">regression</span> when its 80% interval lies wholly on the worse side. \
            Change days are the days the model's level stepped by at least 1% with the probability shown. \
            Hover over a cell, badge or marker, or over a day of the last weeks (its level, intervals and runs with their revisions), for details; click a column to sort.</p>
            \(SeriesChart.legend())
            </header>

            """
    }

    static func summary(_ content: ReportContent) -> String {
        guard !content.series.isEmpty else {
            return "<section id=\"summary\"><h2>Summary</h2><p>No series match.</p></section>\n"
        }
        let labels = content.comparisonLabels
        var html = "<section id=\"summary\"><h2>Summary</h2>\n"
            + "<p class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"filter by suite, test, platform or project\" size=\"40\"> "
            + "<label><input id=\"only-regressions\" type=\"checkbox\"> regressions only</label> <span id=\"shown\"></span></p>\n"
            + "<table class=\"summary\" id=\"summary-table\">\n<thead><tr>"
            + "<th data-type=\"num\" title=\"report order: highest P(worse) first\">#</th><th>series</th><th>platform</th><th>project</th>"
            + "<th data-type=\"num\">highest P(worse)</th>"
        for label in labels { html += "<th data-type=\"num\" title=\"median change to D\">\(SVG.escape(label))</th>" }
        html += "<th title=\"the most recent day the level stepped (size, probability)\">last change day</th>"
            + "<th data-type=\"num\" title=\"median of the level at D\">level at D</th><th>diagnostics</th></tr></thead>\n<tbody>\n"
        for (i, entry) in content.series.enumerated() { html += summaryRow(entry, rank: i + 1, labels: labels) }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static func summaryRow(_ entry: ReportSeries, rank: Int, labels: [String]) -> String {
        let s = entry.series
        let name = s.test.isEmpty ? s.suite : "\(s.suite) / \(s.test)"
        let key = [s.suite, s.test, s.platform, s.project].filter { !$0.isEmpty }.joined(separator: " ").lowercased()
        var html = "<tr data-k=\"\(SVG.escape(key))\"\(entry.hasRegression ? " class=\"reg\"" : "")><td class=\"num\">\(rank)</td>"
            + "<td><a href=\"#\(entry.anchor)\">\(SVG.escape(name))</a></td>"
            + "<td>\(SVG.escape(s.platform))</td><td>\(SVG.escape(s.project))</td>"
        html += "<td class=\"num\">" + (entry.highestProbabilityWorse.map { String(format: "%.3f", $0) } ?? "—") + "</td>"
        let byLabel = Dictionary(entry.results.comparisons.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        for label in labels {
            guard let c = byLabel[label] else { html += "<td class=\"num missing\">—</td>"; continue }
            html += "<td class=\"\(changeCellClass(c, s))\" data-v=\"\(String(format: "%.4f", c.p50))\" title=\"\(SVG.escape(comparisonDetail(c)))\">"
                + String(format: "%+.2f%%", c.p50) + "</td>"
        }
        if let change = entry.results.changeDays.last {
            html += "<td class=\"\(ChangeScale.cssClass(change.sizePercent, lowerIsBetter: s.lowerIsBetterOrDefault))\" "
                + "title=\"\(SVG.escape(String(format: "probability %.2f", change.probability)))\">"
                + "\(SVG.escape(change.date)) \(String(format: "%+.1f%%", change.sizePercent))</td>"
        } else {
            html += "<td class=\"missing\">—</td>"
        }
        if let level = entry.levelAtRunDate {
            html += "<td class=\"num\" data-v=\"\(level)\">\(SeriesChart.formatValue(level))\(s.unit.isEmpty ? "" : " " + SVG.escape(s.unit))</td>"
        } else {
            html += "<td class=\"num missing\">—</td>"
        }
        return html + "<td>\(badge(entry.results.diagnostics))</td></tr>\n"
    }

    /// `num`, the colour of the change's size, and `regression`/`alert` flags.
    static func changeCellClass(_ c: ComparisonRow, _ s: SeriesRecord) -> String {
        var classes = ["num"]
        let scale = ChangeScale.cssClass(c.p50, lowerIsBetter: s.lowerIsBetterOrDefault)
        if !scale.isEmpty { classes.append(scale) }
        if c.regression { classes.append("regression") }
        if c.alert { classes.append("alert") }
        return classes.joined(separator: " ")
    }

    static func comparisonDetail(_ c: ComparisonRow) -> String {
        "\(c.date) → D: " + String(format: "%+.2f%% (80%%: %+.2f … %+.2f), P(worse) %.3f", c.p50, c.p10, c.p90, c.pWorse)
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

    /// The series' section at the most detailed ``SeriesChart/Detail`` level that fits `budget` bytes.
    static func section(_ entry: ReportSeries, open: Bool = true, budget: Int = byteBudgetPerSeries) -> String {
        let charts = SectionCharts(entry)
        var html = ""
        for detail in SeriesChart.Detail.levels {
            html = section(entry, open: open, detail: detail, charts: charts)
            if html.utf8.count <= budget { break }
        }
        return html
    }

    /// A series' charts, each drawn once per set of the detail settings it depends on.
    final class SectionCharts {
        let entry: ReportSeries
        private var recent: [String: String?] = [:]
        private var year: [String: String?] = [:]
        lazy var change: String? = ChangeDistributionChart.svg(series: entry.series, results: entry.results, id: "change-\(entry.series.id)")

        init(_ entry: ReportSeries) { self.entry = entry }

        func recent(_ d: SeriesChart.Detail) -> String? {
            let key = "\(d.revisionLength) \(d.listsRuns)"
            if let cached = recent[key] { return cached }
            let svg = SeriesChart.svg(series: entry.series, results: entry.results, window: .recentDefault,
                                      revisions: entry.revisions, detail: d)
            recent[key] = svg
            return svg
        }

        func year(_ d: SeriesChart.Detail) -> String? {
            let key = "\(d.yearRunGrid) \(d.levelTolerance) \(d.yearDailyMedians)"
            if let cached = year[key] { return cached }
            let svg = SeriesChart.svg(series: entry.series, results: entry.results, window: .year, detail: d)
            year[key] = svg
            return svg
        }
    }

    static func section(_ entry: ReportSeries, open: Bool, detail: SeriesChart.Detail, charts: SectionCharts) -> String {
        let s = entry.series
        let r = entry.results
        let d = r.diagnostics
        var html = "<details class=\"series\" id=\"\(entry.anchor)\"\(open ? " open" : "")>\n"
        html += "<summary><h2>\(SVG.escape(s.test.isEmpty ? s.suite : "\(s.suite) / \(s.test)")) <small>\(SVG.escape(s.platform))</small> \(badge(d))</h2>"
        html += "<span class=\"headline\">\(SVG.escape(headline(entry)))</span></summary>\n"
        html += "<p class=\"meta\">\(SVG.escape(facts(entry)))"
        if let link = PerfherderLink.url(series: s) {
            html += " · <a href=\"\(SVG.escape(link))\" rel=\"noopener\">Perfherder graph</a>"
        }
        html += "</p>\n"
        if d.status == .failed {
            html += "<p class=\"error\">The fit failed: \(SVG.escape(d.error))</p>\n"
        }
        if d.status == .flagged && !d.reasons.isEmpty {
            html += "<p class=\"warning\">Diagnostics flagged this fit: \(SVG.escape(d.reasons)). Read its bands with care.</p>\n"
        }
        if d.status != .failed { html += answer(entry) }
        if !r.comparisons.isEmpty { html += comparisonTable(entry) }
        let recent = charts.recent(detail)
        let year = charts.year(detail)
        if recent != nil || year != nil {
            html += "<div class=\"charts\">"
            if let recent, case let .recent(n) = SeriesChart.Window.recentDefault {
                html += "<figure>\(recent)<figcaption>The last \(n / 7) weeks up to D (hover a run or a day).</figcaption></figure>"
            }
            if let year {
                let runs = detail.yearDailyMedians ? " (each day's median run: this series has too many runs to draw every one within the page's budget)" : ""
                html += "<figure>\(year)<figcaption>The whole fitted range\(runs); the last weeks shaded.</figcaption></figure>"
            }
            html += "</div>\n"
        }
        if let chart = charts.change {
            html += "<figure class=\"change\">\(chart)<figcaption>Posterior of the change of the level from each comparison day to D.</figcaption></figure>\n"
        }
        return html + "<p class=\"top\"><a href=\"#summary\">↑ summary</a></p>\n</details>\n"
    }

    /// The comparison of most concern: the highest `P(worse)`, the latest day on ties.
    static func concern(_ comparisons: [ComparisonRow]) -> ComparisonRow? {
        comparisons.max { ($0.pWorse, $0.date) < ($1.pWorse, $1.date) }
    }

    /// One line for the section's summary, readable when the section is closed:
    /// `+3.05% vs prev_week2, P(worse) 0.998, regression · changed 2024-04-27 (+3.1%)`.
    static func headline(_ entry: ReportSeries) -> String {
        let r = entry.results
        guard r.diagnostics.status != .failed else { return "no fit" }
        var parts: [String] = []
        if let c = concern(r.comparisons) {
            parts.append(String(format: "%+.2f%% vs %@, P(worse) %.3f", c.p50, c.label, c.pWorse) + (c.regression ? ", regression" : ""))
        }
        if let change = r.changeDays.last {
            parts.append("changed \(change.date) (\(String(format: "%+.1f%%", change.sizePercent)))")
        }
        return parts.joined(separator: " · ")
    }

    /// What, when and how much, in words and in the series' unit.
    static func answer(_ entry: ReportSeries) -> String {
        let s = entry.series
        let r = entry.results
        let unit = s.unit.isEmpty ? "" : " " + s.unit
        let levels = entry.levelsByDate
        var parts: [String] = []
        if let c = concern(r.comparisons) {
            let worse = ChangeScale.isWorse(c.p50, lowerIsBetter: s.lowerIsBetterOrDefault)
            var what = "<b>What</b>: D is \(worse ? "worse" : "better") than \(SVG.escape(c.label)) (\(SVG.escape(c.date))) by "
                + "<span class=\"\(ChangeScale.cssClass(c.p50, lowerIsBetter: s.lowerIsBetterOrDefault))\">"
                + String(format: "%+.2f%%", c.p50) + "</span>"
                + String(format: " (80%% interval %+.2f%% … %+.2f%%), P(worse) %.3f", c.p10, c.p90, c.pWorse)
            if c.regression { what += ", a <span class=\"regression\">regression</span>" }
            parts.append(what + ".")
            if let then = levels[c.date]?.levelP50, let now = levels[r.runDate]?.levelP50 {
                parts.append("<b>How much</b>: the level went from \(SeriesChart.formatValue(then)) to \(SeriesChart.formatValue(now))\(SVG.escape(unit)) "
                             + "(\(SVG.escape(c.label)) → D).")
            }
        }
        if r.changeDays.isEmpty {
            parts.append("<b>When</b>: no change day stored (the step-level model reports the days its level stepped; the reference model does not).")
        } else {
            let shown = r.changeDays.suffix(3).reversed().map { change -> String in
                let before = StoreTime.daysSinceEpoch(dayText: change.date).map { StoreTime.dayText(daysSinceEpoch: $0 - 1) }
                var text = "\(SVG.escape(change.date)) <span class=\"\(ChangeScale.cssClass(change.sizePercent, lowerIsBetter: s.lowerIsBetterOrDefault))\">"
                    + String(format: "%+.2f%%", change.sizePercent) + "</span>" + String(format: " (probability %.2f", change.probability)
                if let before, let a = levels[before]?.levelP50, let b = levels[change.date]?.levelP50 {
                    text += ", \(SeriesChart.formatValue(a)) → \(SeriesChart.formatValue(b))\(SVG.escape(unit))"
                }
                return text + ")"
            }
            let more = r.changeDays.count > 3 ? " and \(r.changeDays.count - 3) earlier" : ""
            parts.append("<b>When</b>: the level stepped on " + shown.joined(separator: "; ") + more + ".")
        }
        return "<p class=\"answer\">" + parts.joined(separator: " ") + "</p>\n"
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

    static func comparisonTable(_ entry: ReportSeries) -> String {
        let s = entry.series
        let levels = entry.levelsByDate
        let now = levels[entry.results.runDate]?.levelP50
        let unit = s.unit.isEmpty ? "" : " " + SVG.escape(s.unit)
        var html = "<table class=\"comparisons\"><thead><tr><th>comparison</th><th>day</th><th>level then → D</th><th>p05</th><th>p10</th>"
            + "<th>median</th><th>p90</th><th>p95</th><th>P(worse)</th><th>verdict</th></tr></thead><tbody>\n"
        for c in entry.results.comparisons.sorted(by: { $0.date > $1.date }) {
            let verdict = [c.regression ? "regression" : nil, c.alert ? "alert" : nil].compactMap { $0 }.joined(separator: ", ")
            html += "<tr class=\"\(c.regression ? "regression" : "")\"><td>\(SVG.escape(c.label))</td><td>\(SVG.escape(c.date))</td>"
            if let then = levels[c.date]?.levelP50, let now {
                html += "<td class=\"num\">\(SeriesChart.formatValue(then)) → \(SeriesChart.formatValue(now))\(unit)</td>"
            } else {
                html += "<td class=\"num missing\">—</td>"
            }
            for v in [c.p05, c.p10] { html += "<td class=\"num\">" + String(format: "%+.2f%%", v) + "</td>" }
            html += "<td class=\"\(changeCellClass(c, s))\">" + String(format: "%+.2f%%", c.p50) + "</td>"
            for v in [c.p90, c.p95] { html += "<td class=\"num\">" + String(format: "%+.2f%%", v) + "</td>" }
            html += "<td class=\"num\">" + String(format: "%.3f", c.pWorse) + "</td><td>\(verdict.isEmpty ? "—" : verdict)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    // MARK: - Style

    static let stylesheet = """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; margin: 1.5em auto; max-width: 1220px; padding: 0 1em; }
        h1 { font-size: 1.5em; margin-bottom: .2em; }
        h2 { font-size: 1.15em; margin: 0; display: inline; }
        #summary h2 { display: block; margin-top: 1.5em; }
        h2 small { color: #666; font-weight: normal; }
        p.help, p.scope, p.meta { color: #555; font-size: .9em; }
        p.answer { font-size: .95em; line-height: 1.45; }
        code { font-size: .95em; }
        table { border-collapse: collapse; font-size: .85em; margin: .5em 0; }
        th, td { padding: .25em .6em; border-bottom: 1px solid #eee; text-align: left; }
        th { background: #f5f5f5; }
        #summary-table th { cursor: pointer; user-select: none; }
        #shown { margin-left: 1em; color: #555; font-size: .9em; }
        #summary-table th[data-dir="asc"]::after { content: " ▲"; }
        #summary-table th[data-dir="desc"]::after { content: " ▼"; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.missing { color: #aaa; }
        td.regression, tr.regression td, span.regression { font-weight: 700; }
        span.regression { color: #b30000; }
        td.alert { outline: 2px solid #b30000; outline-offset: -2px; }
        .badge { display: inline-block; padding: 0 .5em; border-radius: .8em; font-size: .8em; font-weight: 600; cursor: help; }
        .badge.good { background: #d9f0d3; color: #1b5e20; }
        .badge.flagged { background: #fff3c4; color: #7a5200; }
        .badge.failed { background: #fdd0d0; color: #8b0000; }
        p.error { color: #8b0000; }
        p.warning { color: #7a5200; }
        details.series { border-top: 1px solid #ddd; margin-top: 1em; padding-top: .4em; }
        details.series > summary { cursor: pointer; }
        details.series > summary .headline { color: #444; font-size: .9em; margin-left: .6em; }
        .charts { display: flex; flex-wrap: wrap; gap: 0 16px; }
        .charts figure { flex: 1 1 560px; max-width: 600px; }
        figure { margin: .5em 0; }
        figcaption { color: #666; font-size: .8em; }
        p.top { font-size: .8em; }
        svg { max-width: 100%; height: auto; display: block; }
        svg.legend { margin: .3em 0; }
        svg text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11px; fill: #333; }
        svg .axis-title { font-size: 12px; fill: #222; }
        svg .marker text { font-size: 10px; }
        svg .grid { stroke: #e8e8e8; stroke-width: 1; }
        svg .axis-line, svg .tick { stroke: #555; stroke-width: 1; }
        svg .recent-window { fill: #f2f0f7; }
        svg .band90 { fill: #c6dbef; }
        svg .band50 { fill: #6baed6; fill-opacity: .8; }
        svg .level-median { fill: none; stroke: #08306b; stroke-width: 1.6; }
        svg .days use { fill: transparent; }
        svg .days g:hover use { fill: rgba(0, 0, 0, .07); }
        svg path.runs, svg .days path { fill: none; stroke: #252525; stroke-opacity: .55; stroke-width: 3; stroke-linecap: round; }
        svg .days path { stroke-width: 4; }
        svg .days g:hover path { stroke: #e6550d; stroke-opacity: 1; }
        svg .days path.outlier { stroke: #d62728; stroke-width: 1.5; stroke-opacity: 1; stroke-linecap: butt; }
        svg .days path.outlier.clamped { fill: #d62728; stroke: none; }
        svg .outlier { fill: none; stroke: #d62728; stroke-width: 1.5; }
        svg .outlier.clamped { fill: #d62728; stroke: none; }
        svg .marker path, svg .marker-line { fill: none; stroke-width: 1.3; }
        svg .marker-comparison path, svg .legend-comparison { stroke: #e6550d; stroke-dasharray: 5 3; }
        svg .marker-comparison text { fill: #a63603; }
        svg .marker-version path, svg .legend-version { stroke: #6a51a3; stroke-dasharray: 1.5 2.5; }
        svg .marker-version text { fill: #54278f; }
        svg .marker-change path, svg .marker-change line { stroke-width: 2; stroke-dasharray: 2 2; }
        svg .marker-change text { font-weight: bold; }
        svg .marker-d path, svg .legend-d { stroke: #000; }
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

extension ReportSeries {
    /// The stored intervals by day (`YYYY-MM-DD`).
    var levelsByDate: [String: IntervalRow] {
        Dictionary(results.intervals.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Median of the level at the run date, when stored.
    var levelAtRunDate: Double? {
        results.intervals.last { $0.date == results.runDate }?.levelP50
    }
}
