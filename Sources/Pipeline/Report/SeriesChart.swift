import Foundation

/// The chart analysts read a series from (SPEC §7, §8), as inline SVG:
///
/// - every run the model was given on the run date (`model_input`) as a point,
///   outliers (SPEC §4) as red crosses — outliers far outside the bands are
///   drawn as triangles on the plot's edge so they cannot squash the chart;
/// - the 90% (p05–p95) and 50% (p25–p75) recalibrated predictive bands and
///   the median of the level μ for every day of the fitted range (`intervals`);
/// - vertical markers at the run date D, its comparison days and the first
///   day of each new major version (`model_input.major_version` changes);
/// - a date axis (months, or weeks for short series) and a value axis in the
///   series' unit.
///
/// Days are placed at noon (`day + 0.5`), runs at their time of day, so a
/// day's runs scatter around its band.
public enum SeriesChart {
    /// Drawing size in pixels; the page scales it to its width.
    static let frame = ChartFrame(width: 960, height: 400, left: 76, right: 18, top: 52, bottom: 72)
    /// Radius of a run's dot: visible at a year's ~1,000 runs without hiding the bands.
    static let pointRadius = 1.8
    /// Half-size of an outlier's cross or triangle.
    static let outlierSize = 3.5
    /// Space above and below the data, as a share of the data's span.
    static let paddingShare = 0.05
    /// Height of one row of marker labels above the plot.
    static let labelRowHeight = 12.0
    /// Width of one character of an 11 px label, to keep labels from overlapping.
    static let labelCharacterWidth = 6.4
    /// Below this many days, the date axis ticks weekly instead of monthly.
    static let weeklyTicksBelowDays = 75
    /// About this many value ticks.
    static let valueTickCount = 6

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The SVG chart of one series' results, or nil when there is nothing to
    /// draw (a failed fit stores no intervals).
    public static func svg(series: SeriesRecord, results: SeriesResults) -> String? {
        let days = results.intervals.compactMap { row in StoreTime.daysSinceEpoch(dayText: row.date).map { (Double($0), row) } }
        guard !days.isEmpty else { return nil }
        let runs = results.modelInput.map { (x: $0.time.timeIntervalSince1970 / CivilDays.secondsPerDay, row: $0) }

        // Horizontal domain: whole days covering the bands and every run.
        let firstDay = Swift.min(days.first!.0, runs.map { $0.x.rounded(.down) }.min() ?? .infinity)
        let lastDay = Swift.max(days.last!.0 + 1, runs.map { $0.x.rounded(.up) }.max() ?? -.infinity)
        let f = frame
        let x = LinearScale(domain: firstDay, lastDay, range: f.plotLeft, f.plotRight)

        // Vertical domain: the bands, the level and the non-outlier runs.
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

        var svg = f.open(cssClass: "series-chart", label: "\(series.displayName) on \(results.runDate)")
        svg += valueAxis(y, unit: series.unit)
        svg += dateAxis(x, firstDay: Int(firstDay), lastDay: Int(lastDay))

        func point(_ day: Double, _ value: Double) -> (x: Double, y: Double) { (x(day + 0.5), y(value)) }
        svg += "<path class=\"band90\" d=\"\(SVG.band(upper: days.map { point($0.0, $0.1.p95) }, lower: days.map { point($0.0, $0.1.p05) }))\"/>"
        svg += "<path class=\"band50\" d=\"\(SVG.band(upper: days.map { point($0.0, $0.1.p75) }, lower: days.map { point($0.0, $0.1.p25) }))\"/>"
        svg += "<path class=\"level-median\" d=\"\(SVG.polyline(days.map { point($0.0, $0.1.levelP50) }))\"/>"

        svg += markerLayer(markers(results), x: x)

        var outliers = ""
        for run in runs {
            let cx = x(run.x)
            if !run.row.outlier {
                svg += "<circle class=\"run\" cx=\"\(SVG.number(cx))\" cy=\"\(SVG.number(y(run.row.y)))\" r=\"\(SVG.number(pointRadius))\"/>"
                continue
            }
            outliers += outlierMark(run.row, cx: cx, y: y, unit: series.unit)
        }
        svg += outliers  // drawn last, on top of the runs
        svg += legend()
        return svg + "</svg>"
    }

    // MARK: - Runs

    /// A cross at the outlier, or a triangle on the edge it lies beyond.
    static func outlierMark(_ row: ModelInputRow, cx: Double, y: LinearScale, unit: String) -> String {
        let s = outlierSize
        let z = row.z.map { String(format: ", z = %.1f", $0) } ?? ""
        let title = "<title>\(SVG.escape("\(StoreTime.instantText(row.time)): \(formatValue(row.y)) \(unit)\(z) (outlier)"))</title>"
        let top = Swift.max(y.range.from, y.range.to), bottom = Swift.min(y.range.from, y.range.to)
        let cy = y(row.y)
        if cy < bottom {
            let ty = bottom + s + 1
            return "<path class=\"run outlier clamped\" d=\"M\(SVG.number(cx)) \(SVG.number(ty - s)) L\(SVG.number(cx + s)) \(SVG.number(ty + s)) L\(SVG.number(cx - s)) \(SVG.number(ty + s)) Z\">\(title)</path>"
        }
        if cy > top {
            let ty = top - s - 1
            return "<path class=\"run outlier clamped\" d=\"M\(SVG.number(cx)) \(SVG.number(ty + s)) L\(SVG.number(cx + s)) \(SVG.number(ty - s)) L\(SVG.number(cx - s)) \(SVG.number(ty - s)) Z\">\(title)</path>"
        }
        return "<path class=\"run outlier\" d=\"M\(SVG.number(cx - s)) \(SVG.number(cy - s)) L\(SVG.number(cx + s)) \(SVG.number(cy + s)) "
            + "M\(SVG.number(cx - s)) \(SVG.number(cy + s)) L\(SVG.number(cx + s)) \(SVG.number(cy - s))\">\(title)</path>"
    }

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

    /// D, its comparison days (at noon, where their bands are) and the first
    /// day of each new major version (at its start).
    static func markers(_ results: SeriesResults) -> [Marker] {
        var markers: [Marker] = []
        var previous: Int?
        for row in results.modelInput {
            guard let major = row.majorVersion else { continue }
            if let previous, major != previous {
                let day = (row.time.timeIntervalSince1970 / CivilDays.secondsPerDay).rounded(.down)
                markers.append(Marker(x: day, label: "v\(major)", cssClass: "marker-version",
                                      title: "major version \(major) from \(StoreTime.dayText(row.time))"))
            }
            previous = major
        }
        for c in results.comparisons {
            guard let day = StoreTime.daysSinceEpoch(dayText: c.date) else { continue }
            markers.append(Marker(x: Double(day) + 0.5, label: c.label, cssClass: "marker-comparison",
                                  title: "\(c.label): \(c.date), change to D \(String(format: "%+.2f%%", c.p50)), P(worse) \(String(format: "%.3f", c.pWorse))"))
        }
        if let day = StoreTime.daysSinceEpoch(dayText: results.runDate) {
            markers.append(Marker(x: Double(day) + 0.5, label: "D", cssClass: "marker-d", title: "run date D = \(results.runDate)"))
        }
        return markers
    }

    /// Vertical lines across the plot with their labels in rows above it, a
    /// label moving up a row when it would overlap one already placed.
    static func markerLayer(_ markers: [Marker], x: LinearScale) -> String {
        let f = frame
        var rows: [[ClosedRange<Double>]] = []
        var out = ""
        for marker in markers.sorted(by: { $0.x < $1.x }) {
            let px = x(x.clamp(marker.x))
            let width = Double(marker.label.count) * labelCharacterWidth
            // Labels start at the line; near the right edge they end there.
            let anchorEnd = px + width + 2 > f.plotRight
            let span = anchorEnd ? (px - width - 2)...(px) : (px)...(px + width + 2)
            var row = rows.firstIndex { placed in !placed.contains { $0.overlaps(span) } } ?? rows.count
            let maxRows = Int((f.top - 4) / labelRowHeight)
            row = Swift.min(row, maxRows - 1)
            if row == rows.count { rows.append([]) }
            rows[row].append(span)
            let labelY = f.plotTop - 4 - Double(row) * labelRowHeight
            out += "<g class=\"marker \(marker.cssClass)\"><title>\(SVG.escape(marker.title))</title>"
            out += SVG.line(x1: px, y1: labelY + 2, x2: px, y2: f.plotBottom, cssClass: "marker-line")
            out += SVG.text(marker.label, x: anchorEnd ? px - 2 : px + 2, y: labelY,
                            attributes: "class=\"marker-label\"" + (anchorEnd ? " text-anchor=\"end\"" : ""))
            out += "</g>"
        }
        return out
    }

    // MARK: - Axes and legend

    static func valueAxis(_ y: LinearScale, unit: String) -> String {
        let f = frame
        let (low, high) = (y.domain.lower, y.domain.upper)
        let step = NiceTicks.step(lower: low, upper: high, count: valueTickCount)
        var out = "<g class=\"axis value-axis\">"
        for tick in NiceTicks.ticks(lower: low, upper: high, count: valueTickCount) {
            let py = y(tick)
            out += SVG.line(x1: f.plotLeft, y1: py, x2: f.plotRight, y2: py, cssClass: "grid")
            out += SVG.text(NiceTicks.label(tick, step: step), x: f.plotLeft - 6, y: py + 4,
                            attributes: "text-anchor=\"end\"")
        }
        out += SVG.line(x1: f.plotLeft, y1: f.plotTop, x2: f.plotLeft, y2: f.plotBottom, cssClass: "axis-line")
        let title = unit.isEmpty ? "value" : unit
        let cy = (f.plotTop + f.plotBottom) / 2
        out += "<text class=\"axis-title\" transform=\"translate(16 \(SVG.number(cy))) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(title))</text>"
        return out + "</g>"
    }

    /// Month ticks labelled `Jun`, with the year at January and at the first
    /// tick; weekly ticks (`05-06`) for short series.
    static func dateAxis(_ x: LinearScale, firstDay: Int, lastDay: Int) -> String {
        let f = frame
        var ticks: [(day: Int, label: String)] = []
        if lastDay - firstDay < weeklyTicksBelowDays {
            // Mondays (1970-01-05 was one).
            var day = firstDay + ((5 - firstDay) % 7 + 7) % 7
            while day <= lastDay {
                let (_, m, d) = CivilDays.civilFromDays(day)
                ticks.append((day, String(format: "%02d-%02d", m, d)))
                day += 7
            }
        } else {
            var (year, month, _) = CivilDays.civilFromDays(firstDay)
            // Every month, or every 2nd/3rd when the range spans years.
            let stride = lastDay - firstDay > 800 ? 3 : (lastDay - firstDay > 500 ? 2 : 1)
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
        var out = "<g class=\"axis date-axis\">"
        out += SVG.line(x1: f.plotLeft, y1: f.plotBottom, x2: f.plotRight, y2: f.plotBottom, cssClass: "axis-line")
        for tick in ticks {
            let px = x(Double(tick.day))
            out += SVG.line(x1: px, y1: f.plotBottom, x2: px, y2: f.plotBottom + 5, cssClass: "tick")
            out += SVG.text(tick.label, x: px, y: f.plotBottom + 18, attributes: "text-anchor=\"middle\"")
        }
        out += SVG.text("date (UTC)", x: (f.plotLeft + f.plotRight) / 2, y: f.plotBottom + 36,
                        attributes: "class=\"axis-title\" text-anchor=\"middle\"")
        return out + "</g>"
    }

    static func legend() -> String {
        let f = frame
        let y = f.height - 12
        var out = "<g class=\"legend\">"
        var x = f.plotLeft
        func item(_ symbol: String, _ label: String) {
            out += symbol + SVG.text(label, x: x + 16, y: y + 4)
            x += 16 + Double(label.count) * labelCharacterWidth + 18
        }
        item("<circle class=\"legend-run\" cx=\"\(SVG.number(x + 6))\" cy=\"\(SVG.number(y))\" r=\"2.5\"/>", "run")
        item("<path class=\"legend-outlier\" d=\"M\(SVG.number(x + 3)) \(SVG.number(y - 3)) L\(SVG.number(x + 9)) \(SVG.number(y + 3)) M\(SVG.number(x + 3)) \(SVG.number(y + 3)) L\(SVG.number(x + 9)) \(SVG.number(y - 3))\"/>", "outlier")
        item("<rect class=\"band50\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y - 5))\" width=\"12\" height=\"10\"/>", "50% predictive")
        item("<rect class=\"band90\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y - 5))\" width=\"12\" height=\"10\"/>", "90% predictive")
        item(SVG.line(x1: x, y1: y, x2: x + 12, y2: y, cssClass: "legend-level"), "level median")
        item(SVG.line(x1: x + 6, y1: y - 6, x2: x + 6, y2: y + 6, cssClass: "legend-comparison"), "comparison day")
        item(SVG.line(x1: x + 6, y1: y - 6, x2: x + 6, y2: y + 6, cssClass: "legend-version"), "major version")
        item(SVG.line(x1: x + 6, y1: y - 6, x2: x + 6, y2: y + 6, cssClass: "legend-d"), "run date D")
        return out + "</g>"
    }
}
