import Foundation
import Store

/// The charts analysts read a series from (SPEC §7, §8), as inline SVG, in
/// two windows drawn side by side: the **last eight weeks** up to the run date
/// D, where a recent change is, on its own value scale so that a 3% step
/// fills the chart; and the **whole fitted range** (a year), with the recent
/// window shaded. Each shows
///
/// - the runs the model was given on the run date (`model_input`); outliers
///   (SPEC §4) as red crosses, or as triangles on the plot's edge when far
///   outside the bands so they cannot squash the chart;
/// - the 90% (p05–p95) and 50% (p25–p75) recalibrated predictive bands and
///   the median of the level μ for every day (`intervals`);
/// - vertical markers at D, its comparison days, the first day of each new
///   major version and the model's change days (`change_days`, coloured by
///   the size of the step, ``ChangeScale``), labelled without overlap
///   (``LabelPlacement``);
/// - a date axis (months, or weeks for short windows) and a value axis in the
///   series' unit.
///
/// In the recent window every run and every day can be hovered (SVG `<title>`,
/// no script): a run shows its time, value and revision; a day its level and
/// intervals. The year draws its runs as one path of dots, without hover, to
/// stay within the report's size budget.
///
/// Days are placed at noon (`day + 0.5`), runs at their time of day, so a
/// day's runs scatter around its band; a change day's marker sits at the
/// start of the day, between the two levels it separates.
public enum SeriesChart {
    public enum Window: Sendable, Equatable {
        /// The whole fitted range.
        case year
        /// The last `days` days up to the run date.
        case recent(days: Int)

        /// Eight weeks: D−14 and the change that made it a regression fill
        /// the right quarter, with six weeks of the level before it.
        public static let recentDefault = Window.recent(days: 56)
    }

    /// How much detail the charts carry, from most to least: the report
    /// steps down a level for a series whose section would exceed its size
    /// budget (``ReportHTML/byteBudgetPerSeries``), so that no series can.
    public struct Detail: Sendable, Equatable {
        /// The year's runs are drawn on a grid of this many pixels, each grid
        /// point once (a dot is 3 px wide: the same picture, fewer bytes).
        public var yearRunGrid: Double
        /// Characters of a run's revision in the recent window's hover text (0: none).
        public var revisionLength: Int
        /// Whether the recent window's hover text lists the day's runs.
        public var listsRuns: Bool
        /// Largest distance (px) of the simplified level line from the exact one.
        public var levelTolerance: Double = 0.3
        /// Whether the year draws each day's median run instead of every run
        /// (the recent window still draws every run).
        public var yearDailyMedians = false

        /// Every run in both windows; every run of the recent one listed with
        /// time, value and a 12-character revision (Mercurial's short form).
        public static let full = Detail(yearRunGrid: 2, revisionLength: 12, listsRuns: true)
        /// The year draws each day's median run; the recent window keeps every run and its details.
        public static let compact = Detail(yearRunGrid: 2, revisionLength: 12, listsRuns: true, levelTolerance: 0.5,
                                           yearDailyMedians: true)
        /// … with 8-character revisions and a coarser level line.
        public static let reduced = Detail(yearRunGrid: 2, revisionLength: 8, listsRuns: true, levelTolerance: 0.8,
                                           yearDailyMedians: true)
        /// Days without their runs listed: the bound of what a series can cost.
        public static let minimal = Detail(yearRunGrid: 2, revisionLength: 0, listsRuns: false, levelTolerance: 0.8,
                                           yearDailyMedians: true)
        /// In the order the report tries them.
        public static let levels: [Detail] = [.full, .compact, .reduced, .minimal]
    }

    /// Drawing width in pixels (two fit side by side on a wide page; the page
    /// scales them to its width).
    static let width = 580.0
    static let plotHeight = 230.0
    static let left = 62.0
    static let right = 12.0
    static let bottom = 40.0
    /// Space above the rows of marker labels.
    static let topMargin = 6.0
    /// Height of one row of marker labels above the plot.
    static let labelRowHeight = 13.0
    /// Font size of marker labels (px).
    static let labelFontSize = 10.0
    /// Radius of a run's dot in the recent window.
    static let pointRadius = 2.0
    /// Half-size of an outlier's cross or triangle.
    static let outlierSize = 3.5
    /// Space above and below the data, as a share of the data's span.
    static let paddingShare = 0.05
    /// Below this many days, the date axis ticks weekly instead of monthly.
    static let weeklyTicksBelowDays = 75
    /// About this many value ticks.
    static let valueTickCount = 5
    /// Narrowest block of days (px) the year's bands are averaged over.
    static let yearBandPixels = 3.0
    /// Largest distance (px) of a simplified band or level line from the exact one
    /// (``PathSimplification``): below what a screen shows.
    static let simplificationTolerance = 0.3

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The SVG chart of one series' results in `window`, or nil when there is
    /// nothing to draw (a failed fit stores no intervals). `revisions` maps a
    /// run's time to its revision, for the recent window's hover details.
    public static func svg(series: SeriesRecord, results: SeriesResults, window: Window = .year,
                           revisions: [Date: String] = [:], detail: Detail = .full) -> String? {
        var days = results.intervals.compactMap { row in StoreTime.daysSinceEpoch(dayText: row.date).map { (Double($0), row) } }
        guard !days.isEmpty else { return nil }
        var runs = results.modelInput.map { (x: $0.time.timeIntervalSince1970 / CivilDays.secondsPerDay, row: $0) }

        // Horizontal domain: whole days covering the bands and every run, or the window's days up to D.
        var firstDay = Swift.min(days.first!.0, runs.map { $0.x.rounded(.down) }.min() ?? .infinity)
        var lastDay = Swift.max(days.last!.0 + 1, runs.map { $0.x.rounded(.up) }.max() ?? -.infinity)
        if case let .recent(n) = window {
            let runDay = StoreTime.daysSinceEpoch(dayText: results.runDate).map(Double.init) ?? days.last!.0
            lastDay = runDay + 1
            firstDay = Swift.max(firstDay, lastDay - Double(n))
            days = days.filter { $0.0 >= firstDay && $0.0 < lastDay }
            runs = runs.filter { $0.x >= firstDay && $0.x < lastDay }
            guard !days.isEmpty else { return nil }
        }
        let plotLeft = left, plotRight = width - right
        let x = LinearScale(domain: firstDay, lastDay, range: plotLeft, plotRight)

        // Markers first: their label rows decide the top margin.
        let levels = Dictionary(results.intervals.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        var shown = markers(results, series: series, levels: levels)
        if window != .year { shown = shown.filter { $0.x >= firstDay && $0.x <= lastDay } }
        let labels = LabelPlacement(shown.map {
            LabelPlacement.Request(anchor: x(x.clamp($0.x)), width: LabelPlacement.textWidth($0.label, fontSize: labelFontSize))
        }, minX: 0, maxX: width)
        let plotTop = topMargin + Double(Swift.max(labels.rowCount, 1)) * labelRowHeight + 4
        let f = ChartFrame(width: width, height: plotTop + plotHeight + bottom, left: left, right: right, top: plotTop, bottom: bottom)

        // Vertical domain: the bands, the level and the non-outlier runs of the window.
        var values = days.flatMap { [$0.1.p05, $0.1.p95, $0.1.levelP50] }
        values += runs.filter { !$0.row.outlier }.map(\.row.y)
        var low = values.min()!, high = values.max()!
        if high - low <= Swift.max(abs(high), 1) * 1e-12 {
            let spread = Swift.max(abs(high) * 0.01, 1)
            low -= spread
            high += spread
        }
        let pad = (high - low) * paddingShare
        let y = LinearScale(domain: low - pad, high + pad, range: f.plotBottom, f.plotTop)
        let recent = window != .year
        let what = recent ? "last \(Int(lastDay - firstDay)) days" : "whole range"
        var svg = f.open(cssClass: "series-chart \(recent ? "recent" : "year")", label: "\(series.displayName) on \(results.runDate), \(what)")
        svg += valueAxis(y, unit: series.unit, f)
        svg += dateAxis(x, firstDay: Int(firstDay), lastDay: Int(lastDay), f)
        if !recent, case let .recent(n) = Window.recentDefault {
            svg += recentShade(x: x, lastDay: lastDay, days: n, f)
        }

        func point(_ day: Double, _ value: Double) -> (x: Double, y: Double) { (x(day + 0.5), y(value)) }
        // The year's bands in blocks of days at least `yearBandPixels` wide: Monte Carlo jitter
        // of a day's quantiles is not drawn, the level line below keeps every day.
        let blocks = recent ? days.map { [$0] } : dayBlocks(days, pixelsPerDay: x(1) - x(0))
        func edge(_ quantile: KeyPath<IntervalRow, Double>) -> [(x: Double, y: Double)] {
            blocks.map { block in
                point(block.map(\.0).reduce(0, +) / Double(block.count), block.map { $0.1[keyPath: quantile] }.reduce(0, +) / Double(block.count))
            }
        }
        svg += "<path class=\"band90\" d=\"\(band(edge(\.p95), edge(\.p05)))\"/>"
        svg += "<path class=\"band50\" d=\"\(band(edge(\.p75), edge(\.p25)))\"/>"
        let median = PathSimplification.simplify(days.map { point($0.0, $0.1.levelP50) }, tolerance: detail.levelTolerance)
        svg += "<path class=\"level-median\" d=\"\(SVG.relativePath(median))\"/>"

        svg += markerLayer(shown, placement: labels, x: x, f)

        if recent {
            svg += dayGroups(days, runs: runs, x: x, y: y, unit: series.unit, revisions: revisions, detail: detail,
                             idSuffix: "\(series.id)", f)
        } else {
            let grid = detail.yearRunGrid
            var inliers = runs.filter { !$0.row.outlier }
            if detail.yearDailyMedians { inliers = dailyMedians(inliers) }
            let points = inliers.map { (x: (x($0.x) / grid).rounded() * grid, y: (y($0.row.y) / grid).rounded() * grid) }
            if !points.isEmpty { svg += "<path class=\"runs\" d=\"\(SVG.dots(points))\"/>" }
            svg += outlierMarks(runs.filter(\.row.outlier).map { (cx: x($0.x), value: $0.row.y) }, y: y)
        }
        return svg + "</svg>"
    }

    /// Each day's median run (the lower middle one), at noon.
    static func dailyMedians(_ runs: [(x: Double, row: ModelInputRow)]) -> [(x: Double, row: ModelInputRow)] {
        var byDay: [Int: [(x: Double, row: ModelInputRow)]] = [:]
        for run in runs { byDay[Int(run.x.rounded(.down)), default: []].append(run) }
        return byDay.keys.sorted().map { day in
            let sorted = byDay[day]!.sorted { $0.row.y < $1.row.y }
            let middle = sorted[(sorted.count - 1) / 2]
            return (x: Double(day) + 0.5, row: middle.row)
        }
    }

    /// A band between two edges, each simplified on its own: along the upper
    /// edge left to right, back along the lower one.
    static func band(_ upper: [(x: Double, y: Double)], _ lower: [(x: Double, y: Double)]) -> String {
        let top = PathSimplification.simplify(upper, tolerance: simplificationTolerance)
        let bottom = PathSimplification.simplify(lower, tolerance: simplificationTolerance)
        return SVG.relativePath(top + bottom.reversed(), close: true)
    }

    /// Consecutive days grouped so that each group spans at least
    /// ``yearBandPixels`` (one day per group when days are that wide).
    static func dayBlocks(_ days: [(Double, IntervalRow)], pixelsPerDay: Double) -> [[(Double, IntervalRow)]] {
        let size = Swift.max(1, Int((yearBandPixels / Swift.max(pixelsPerDay, 1e-9)).rounded(.up)))
        return stride(from: 0, to: days.count, by: size).map { Array(days[$0..<Swift.min($0 + size, days.count)]) }
    }

    /// The recent window, shaded in the year chart, so the two read together.
    static func recentShade(x: LinearScale, lastDay: Double, days: Int, _ f: ChartFrame) -> String {
        let x0 = x(x.clamp(lastDay - Double(days))), x1 = x(lastDay)
        return "<rect class=\"recent-window\" x=\"\(SVG.number(x0))\" y=\"\(SVG.number(f.plotTop))\" width=\"\(SVG.number(x1 - x0))\" "
            + "height=\"\(SVG.number(f.plotBottom - f.plotTop))\"><title>the last \(days) days, drawn in the chart beside</title></rect>"
    }

    // MARK: - Runs

    /// The recent window's days, one group each: a transparent column over
    /// the day and the day's runs (dots; outliers as crosses or edge
    /// triangles), under one `<title>` with the day's level and intervals and
    /// every run's time, value and revision — hovering a run or its day shows
    /// them. One title a day, not one a run: the page stays within its budget.
    static func dayGroups(_ days: [(Double, IntervalRow)], runs: [(x: Double, row: ModelInputRow)], x: LinearScale,
                          y: LinearScale, unit: String, revisions: [Date: String], detail: Detail, idSuffix: String,
                          _ f: ChartFrame) -> String {
        var byDay: [Int: [(x: Double, row: ModelInputRow)]] = [:]
        for run in runs { byDay[Int(run.x.rounded(.down)), default: []].append(run) }
        let u = unit.isEmpty ? "" : " \(unit)"
        // One column drawn once, placed per day (`<use>`): its id is unique in the page.
        let column = "c\(idSuffix)"
        var out = "<g class=\"days\"><defs><rect id=\"\(column)\" y=\"\(SVG.number(f.plotTop))\" "
            + "width=\"\(SVG.number(x(1) - x(0) + 0.1))\" height=\"\(SVG.number(f.plotBottom - f.plotTop))\"/></defs>"
        for (day, row) in days {
            let dayRuns = byDay[Int(day)] ?? []
            var title = "\(row.date) level \(formatValue(row.levelP50))\(u) (90%: \(formatValue(row.levelP05))–\(formatValue(row.levelP95))), "
                + "runs \(formatValue(row.p05))–\(formatValue(row.p95)) (90%)"
            if detail.listsRuns {
                for run in dayRuns {
                    title += "\n" + runDetail(run.row, revision: revisions[run.row.time].map { String($0.prefix(detail.revisionLength)) })
                }
            } else if !dayRuns.isEmpty {
                title += "; \(dayRuns.count) run\(dayRuns.count == 1 ? "" : "s")"
            }
            out += "<g><title>\(SVG.escape(title))</title><use href=\"#\(column)\" x=\"\(SVG.number(x(day)))\"/>"
            let inliers = dayRuns.filter { !$0.row.outlier }.map { (x: x($0.x).rounded(), y: y($0.row.y).rounded()) }
            if !inliers.isEmpty { out += "<path d=\"\(SVG.dots(inliers))\"/>" }
            out += outlierMarks(dayRuns.filter(\.row.outlier).map { (cx: x($0.x), value: $0.row.y) }, y: y)
            out += "</g>"
        }
        return out + "</g>"
    }

    /// `10:23 53.61 59efee44047a` (time UTC, value, revision), and `outlier z 7.2` for an outlier.
    static func runDetail(_ row: ModelInputRow, revision: String?) -> String {
        let time = StoreTime.instantText(row.time)  // YYYY-MM-DDTHH:MM:SS.mmmZ
        var text = "\(time.dropFirst(11).prefix(5)) \(formatValue(row.y))"
        if let revision, !revision.isEmpty { text += " \(revision)" }
        if row.outlier { text += " outlier" + (row.z.map { String(format: " z %.1f", $0) } ?? "") }
        return text
    }

    /// Outliers: crosses where they are, triangles on the edge they lie
    /// beyond (so they cannot squash the chart); one path each kind.
    static func outlierMarks(_ outliers: [(cx: Double, value: Double)], y: LinearScale) -> String {
        let s = outlierSize
        let top = Swift.max(y.range.from, y.range.to), bottom = Swift.min(y.range.from, y.range.to)
        var crosses: [String] = [], triangles: [String] = []
        for o in outliers {
            let cy = y(o.value)
            if cy < bottom {
                let ty = bottom + s + 1
                triangles.append("M\(SVG.number(o.cx)) \(SVG.number(ty - s))l\(SVG.number(s)) \(SVG.number(2 * s))h\(SVG.number(-2 * s))z")
            } else if cy > top {
                let ty = top - s - 1
                triangles.append("M\(SVG.number(o.cx)) \(SVG.number(ty + s))l\(SVG.number(s)) \(SVG.number(-2 * s))h\(SVG.number(-2 * s))z")
            } else {
                crosses.append("M\(SVG.number(o.cx - s)) \(SVG.number(cy - s))l\(SVG.number(2 * s)) \(SVG.number(2 * s))m0 \(SVG.number(-2 * s))l\(SVG.number(-2 * s)) \(SVG.number(2 * s))")
            }
        }
        var out = ""
        if !crosses.isEmpty { out += "<path class=\"outlier\" d=\"\(crosses.joined())\"/>" }
        if !triangles.isEmpty { out += "<path class=\"outlier clamped\" d=\"\(triangles.joined())\"/>" }
        return out
    }

    /// Four significant digits, or whole numbers from 1,000 up: enough to see
    /// a 1% change in a level.
    static func formatValue(_ value: Double) -> String {
        String(format: abs(value) >= 1000 ? "%.0f" : "%.4g", value)
    }

    // MARK: - Markers

    struct Marker {
        /// Fractional days since 1970.
        var x: Double
        var label: String
        var cssClass: String
        var title: String
    }

    /// D, its comparison days (at noon, where their bands are), the first day
    /// of each new major version (at its start) and the model's change days
    /// (at the start of the day, labelled with size and probability).
    static func markers(_ results: SeriesResults, series: SeriesRecord, levels: [String: IntervalRow]) -> [Marker] {
        var markers: [Marker] = []
        var previous: Int?
        for row in results.modelInput {
            guard let major = row.majorVersion else { continue }
            if let previous, major != previous {
                let day = (row.time.timeIntervalSince1970 / CivilDays.secondsPerDay).rounded(.down)
                // No hover text: the label says it, the axis says when.
                markers.append(Marker(x: day, label: "v\(major)", cssClass: "marker-version", title: ""))
            }
            previous = major
        }
        let unit = series.unit.isEmpty ? "" : " \(series.unit)"
        let levelD = levels[results.runDate]?.levelP50
        for c in results.comparisons {
            guard let day = StoreTime.daysSinceEpoch(dayText: c.date) else { continue }
            var title = "\(c.label): \(c.date), change to D \(String(format: "%+.2f%%", c.p50)), P(worse) \(String(format: "%.3f", c.pWorse))"
            if let then = levels[c.date]?.levelP50, let now = levelD {
                title += "; level \(formatValue(then)) → \(formatValue(now))\(unit)"
            }
            markers.append(Marker(x: Double(day) + 0.5, label: c.label, cssClass: "marker-comparison", title: title))
        }
        for change in results.changeDays {
            guard let day = StoreTime.daysSinceEpoch(dayText: change.date) else { continue }
            let before = StoreTime.dayText(daysSinceEpoch: day - 1)
            var title = "\(change.date): the level stepped \(String(format: "%+.2f%%", change.sizePercent)) (P \(String(format: "%.2f", change.probability)))"
            if let a = levels[before]?.levelP50, let b = levels[change.date]?.levelP50 {
                title += ", \(formatValue(a)) → \(formatValue(b))\(unit)"
            }
            let scale = ChangeScale.cssClass(change.sizePercent, lowerIsBetter: series.lowerIsBetterOrDefault)
            markers.append(Marker(x: Double(day), label: changeLabel(change), cssClass: "marker-change \(scale.isEmpty ? "w1" : scale)",
                                  title: title))
        }
        if let day = StoreTime.daysSinceEpoch(dayText: results.runDate) {
            markers.append(Marker(x: Double(day) + 0.5, label: "D", cssClass: "marker-d", title: "run date D = \(results.runDate)"))
        }
        return markers
    }

    /// `+3.1% p.93`: the step's size and its probability.
    static func changeLabel(_ change: ChangeDayRow) -> String {
        let p = Int((change.probability * 100).rounded())
        return String(format: "%+.1f%%", change.sizePercent) + (p >= 100 ? " p1" : " p.\(String(format: "%02d", p))")
    }

    /// Vertical lines across the plot with their labels in the rows above it
    /// (``LabelPlacement``); each label is drawn at exactly its placed width.
    static func markerLayer(_ markers: [Marker], placement: LabelPlacement, x: LinearScale, _ f: ChartFrame) -> String {
        var out = ""
        for (marker, placed) in zip(markers, placement.placed) {
            let px = x(x.clamp(marker.x))
            let labelY = f.plotTop - 4 - Double(placed.row) * labelRowHeight
            out += "<g class=\"marker \(marker.cssClass)\">" + (marker.title.isEmpty ? "" : "<title>\(SVG.escape(marker.title))</title>")
            out += "<path d=\"M\(SVG.number(px)) \(SVG.number(labelY + 2))V\(SVG.number(f.plotBottom))\"/>"
            out += SVG.text(marker.label, x: placed.start, y: labelY, attributes: "textLength=\"\(SVG.number(placed.end - placed.start))\"")
            out += "</g>"
        }
        return out
    }

    // MARK: - Axes and legend

    static func valueAxis(_ y: LinearScale, unit: String, _ f: ChartFrame) -> String {
        let (low, high) = (y.domain.lower, y.domain.upper)
        let step = NiceTicks.step(lower: low, upper: high, count: valueTickCount)
        let ticks = NiceTicks.ticks(lower: low, upper: high, count: valueTickCount)
        var out = "<g class=\"axis value-axis\"><path class=\"grid\" d=\""
            + ticks.map { "M\(SVG.number(f.plotLeft)) \(SVG.number(y($0)))H\(SVG.number(f.plotRight))" }.joined() + "\"/>"
        out += "<g text-anchor=\"end\">"
        for tick in ticks { out += SVG.text(tickLabel(tick, step: step, largest: Swift.max(abs(low), abs(high))), x: f.plotLeft - 5, y: y(tick) + 4) }
        out += "</g>" + SVG.line(x1: f.plotLeft, y1: f.plotTop, x2: f.plotLeft, y2: f.plotBottom, cssClass: "axis-line")
        let title = unit.isEmpty ? "value" : unit
        let cy = (f.plotTop + f.plotBottom) / 2
        out += "<text class=\"axis-title\" transform=\"translate(13 \(SVG.number(cy))) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(title))</text>"
        return out + "</g>"
    }

    /// A value tick's label, with an SI suffix when the values reach 100,000
    /// (`186M` for bytes), so that long numbers fit the margin.
    public static func tickLabel(_ value: Double, step: Double, largest: Double) -> String {
        guard largest >= 100_000 else { return NiceTicks.label(value, step: step) }
        let (factor, suffix) = [(1e9, "G"), (1e6, "M"), (1e3, "k")].first { largest >= 10 * $0.0 } ?? (1e3, "k")
        return NiceTicks.label(value / factor, step: step / factor) + suffix
    }

    /// Month ticks labelled `Jun`, with the year at January and at the first
    /// tick; weekly ticks (`05-06`) for short windows.
    static func dateAxis(_ x: LinearScale, firstDay: Int, lastDay: Int, _ f: ChartFrame) -> String {
        var ticks: [(day: Int, label: String)] = []
        if lastDay - firstDay < weeklyTicksBelowDays {
            // Mondays (1970-01-05, day 4, was one).
            var day = firstDay + ((4 - firstDay) % 7 + 7) % 7
            while day <= lastDay {
                let (_, m, d) = CivilDays.civilFromDays(day)
                ticks.append((day, String(format: "%02d-%02d", m, d)))
                day += 7
            }
        } else {
            var (year, month, _) = CivilDays.civilFromDays(firstDay)
            // Every second month on a year's width, every third or sixth when the range spans years.
            let span = lastDay - firstDay
            let stride = span > 800 ? 6 : (span > 500 ? 3 : (span > 200 ? 2 : 1))
            while true {
                month += 1
                if month > 12 { month = 1; year += 1 }
                let day = CivilDays.daysFromCivil(year: year, month: month, day: 1)
                if day > lastDay { break }
                guard (month - 1) % stride == 0 else { continue }
                let name = monthNames[month - 1]
                ticks.append((day, ticks.isEmpty || month == 1 ? "\(name) \(year)" : name))
            }
        }
        var out = "<g class=\"axis date-axis\" text-anchor=\"middle\">"
        out += SVG.line(x1: f.plotLeft, y1: f.plotBottom, x2: f.plotRight, y2: f.plotBottom, cssClass: "axis-line")
        out += "<path class=\"tick\" d=\"" + ticks.map { "M\(SVG.number(x(Double($0.day)))) \(SVG.number(f.plotBottom))v5" }.joined() + "\"/>"
        for tick in ticks { out += SVG.text(tick.label, x: x(Double(tick.day)), y: f.plotBottom + 17) }
        out += SVG.text("date (UTC)", x: (f.plotLeft + f.plotRight) / 2, y: f.plotBottom + 33, attributes: "class=\"axis-title\"")
        return out + "</g>"
    }

    /// The key to both charts, drawn once per page.
    public static func legend() -> String {
        let height = 24.0
        let y = height / 2
        var items = ""
        var x = 4.0
        func item(_ symbol: String, _ label: String) {
            items += symbol + SVG.text(label, x: x + 16, y: y + 4)
            x += 16 + LabelPlacement.textWidth(label, fontSize: 11) + 14
        }
        item("<circle class=\"legend-run\" cx=\"\(SVG.number(x + 6))\" cy=\"\(SVG.number(y))\" r=\"2.5\"/>", "run")
        item("<path class=\"legend-outlier\" d=\"M\(SVG.number(x + 3)) \(SVG.number(y - 3)) L\(SVG.number(x + 9)) \(SVG.number(y + 3)) M\(SVG.number(x + 3)) \(SVG.number(y + 3)) L\(SVG.number(x + 9)) \(SVG.number(y - 3))\"/>", "outlier")
        item("<rect class=\"band50\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y - 5))\" width=\"12\" height=\"10\"/>", "50% predictive")
        item("<rect class=\"band90\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y - 5))\" width=\"12\" height=\"10\"/>", "90% predictive")
        item(SVG.line(x1: x, y1: y, x2: x + 12, y2: y, cssClass: "legend-level"), "level median")
        item(SVG.line(x1: x + 6, y1: y - 7, x2: x + 6, y2: y + 7, cssClass: "legend-comparison"), "comparison day")
        item(SVG.line(x1: x + 6, y1: y - 7, x2: x + 6, y2: y + 7, cssClass: "legend-version"), "major version")
        item("<g class=\"marker-change w3\">" + SVG.line(x1: x + 6, y1: y - 7, x2: x + 6, y2: y + 7, cssClass: "marker-line") + "</g>",
             "change day (size, probability)")
        item(SVG.line(x1: x + 6, y1: y - 7, x2: x + 6, y2: y + 7, cssClass: "legend-d"), "run date D")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"legend\" viewBox=\"0 0 \(SVG.number(x)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(x))\" height=\"\(SVG.number(height))\" role=\"img\" aria-label=\"key to the charts\">" + items + "</svg>"
    }
}
