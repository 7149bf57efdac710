import Foundation
import NumericCore
import SeriesAnalysis
import Store

/// The posterior of the percent change from each comparison day to the run
/// date D (SPEC §8), as violins side by side on one change axis.
///
/// Each violin is the Gaussian kernel density (``KernelDensity``, the
/// normal-reference bandwidth of SPEC §7) of the paired change draws, its half
/// on the worse side of 0 in red and the other half in blue; over it the
/// stored 80% (p10–p90) and 90% (p05–p95) intervals and the median. `P(worse)`
/// is written above each violin. When the draws of a day are not stored, only
/// the stored intervals are drawn.
public enum ChangeDistributionChart {
    /// Width given to each comparison.
    static let slotWidth = 190.0
    /// Widest half-violin, in pixels.
    static let halfWidth = 72.0
    static let left = 70.0
    static let right = 16.0
    static let height = 300.0
    static let top = 44.0
    static let bottom = 50.0
    /// The axis spans the central 99% of every violin's draws, so a few far
    /// draws cannot flatten the bulk of the distributions.
    static let tailProbability = 0.005
    /// Density points kept per violin (the density grid has ≥ 512) before the
    /// outline is simplified (``PathSimplification``, 0.3 px): enough for a
    /// smooth curve 230 px tall, a few hundred bytes a violin.
    static let outlinePoints = 64

    /// The SVG for one series, or nil when it has no comparisons.
    /// `id` must be unique in the page (it names the chart's clip paths).
    public static func svg(series: SeriesRecord, results: SeriesResults, id: String) -> String? {
        let distributions = ChangeDistribution.of(results)
        guard !distributions.isEmpty else { return nil }
        let width = left + right + slotWidth * Double(distributions.count)
        let f = ChartFrame(width: width, height: height, left: left, right: right, top: top, bottom: bottom)

        // Shared change axis, always showing 0.
        var values: [Double] = [0]
        for d in distributions {
            values += [d.comparison.p05, d.comparison.p95]
            if let changes = d.changes {
                values += [quantile(sorted: changes, tailProbability), quantile(sorted: changes, 1 - tailProbability)]
            }
        }
        var low = values.min()!, high = values.max()!
        if high - low < 1e-9 { low -= 1; high += 1 }
        let pad = (high - low) * 0.08
        let y = LinearScale(domain: low - pad, high + pad, range: f.plotBottom, f.plotTop)
        let zero = y(0)
        let lowerIsBetter = series.lowerIsBetterOrDefault

        var svg = f.open(cssClass: "change-chart", label: "change of the level to \(results.runDate), \(series.displayName)")
        // Worse side: above 0 when lower is better (a positive change is worse), below otherwise.
        let worseRect = lowerIsBetter ? (f.plotTop, zero) : (zero, f.plotBottom)
        let betterRect = lowerIsBetter ? (zero, f.plotBottom) : (f.plotTop, zero)
        svg += "<defs>" + clip("\(id)-worse", from: worseRect.0, to: worseRect.1, f) + clip("\(id)-better", from: betterRect.0, to: betterRect.1, f) + "</defs>"
        svg += axis(y, f, lowerIsBetter: lowerIsBetter)
        svg += SVG.line(x1: f.plotLeft, y1: zero, x2: f.plotRight, y2: zero, cssClass: "zero-line")

        for (i, d) in distributions.enumerated() {
            let cx = f.plotLeft + slotWidth * (Double(i) + 0.5)
            svg += violin(d, index: i, cx: cx, y: y, id: id)
            svg += intervals(d.comparison, cx: cx, y: y)
            let c = d.comparison
            svg += "<g text-anchor=\"middle\">"
            svg += SVG.text(String(format: "P(worse) = %.3f", c.pWorse), x: cx, y: f.plotTop - 22,
                            attributes: "class=\"p-worse\(c.regression ? " regression" : "")\"")
            svg += SVG.text(String(format: "median %+.2f%%", c.p50), x: cx, y: f.plotTop - 8)
            svg += SVG.text(c.label, x: cx, y: f.plotBottom + 18, attributes: "class=\"comparison-label\"")
            svg += SVG.text(d.changes == nil ? "\(c.date) (draws not stored)" : c.date, x: cx, y: f.plotBottom + 33,
                            attributes: "class=\"comparison-date\"")
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    static func clip(_ id: String, from y0: Double, to y1: Double, _ f: ChartFrame) -> String {
        "<clipPath id=\"\(SVG.escape(id))\"><rect x=\"\(SVG.number(f.plotLeft))\" y=\"\(SVG.number(Swift.min(y0, y1)))\" "
            + "width=\"\(SVG.number(f.plotRight - f.plotLeft))\" height=\"\(SVG.number(abs(y1 - y0)))\"/></clipPath>"
    }

    /// The density outline, drawn twice: clipped to the worse and to the better side of 0.
    static func violin(_ d: ChangeDistribution, index: Int, cx: Double, y: LinearScale, id: String) -> String {
        guard let changes = d.changes, let density = KernelDensity(values: changes), let top = density.density.max(), top > 0
        else { return "" }
        let (low, high) = (y.domain.lower, y.domain.upper)
        let inside = density.grid.indices.filter { density.grid[$0] >= low && density.grid[$0] <= high }
        guard inside.count >= 2 else { return "" }
        let stride = Swift.max(1, inside.count / outlinePoints)
        var kept = Swift.stride(from: 0, to: inside.count, by: stride).map { inside[$0] }
        if kept.last != inside.last { kept.append(inside.last!) }
        let rightSide = PathSimplification.simplify(
            kept.map { (x: cx + density.density[$0] / top * halfWidth, y: y(density.grid[$0])) }, tolerance: 0.4)
        // The left half mirrors the right one about the violin's centre line.
        let leftSide = rightSide.map { (x: 2 * cx - $0.x, y: $0.y) }
        let path = SVG.relativePath(rightSide + leftSide.reversed(), close: true)
        let c = d.comparison
        let title = SVG.escape("\(c.label) (\(c.date)): "
            + String(format: "median %+.2f%%, 80%% interval %+.2f%% … %+.2f%%, 90%% interval %+.2f%% … %+.2f%%, P(worse) %.3f, ",
                     c.p50, c.p10, c.p90, c.p05, c.p95, c.pWorse) + "\(changes.count) draws")
        // The outline once (in defs, unstyled); the coloured halves and the stroke reuse it.
        let outline = "\(SVG.escape(id))-violin\(index)"
        return "<g class=\"violin\"><title>\(title)</title><defs><path id=\"\(outline)\" d=\"\(path)\"/></defs>"
            + "<use href=\"#\(outline)\" class=\"violin-worse\" clip-path=\"url(#\(SVG.escape(id))-worse)\"/>"
            + "<use href=\"#\(outline)\" class=\"violin-better\" clip-path=\"url(#\(SVG.escape(id))-better)\"/>"
            + "<use href=\"#\(outline)\" class=\"violin-outline\"/></g>"
    }

    /// The stored 90% (thin) and 80% (thick) intervals and the median (dot).
    static func intervals(_ c: ComparisonRow, cx: Double, y: LinearScale) -> String {
        SVG.line(x1: cx, y1: y(c.p05), x2: cx, y2: y(c.p95), cssClass: "interval90")
            + SVG.line(x1: cx, y1: y(c.p10), x2: cx, y2: y(c.p90), cssClass: "interval80")
            + "<circle class=\"median-dot\" cx=\"\(SVG.number(cx))\" cy=\"\(SVG.number(y(c.p50)))\" r=\"3.5\"/>"
    }

    static func axis(_ y: LinearScale, _ f: ChartFrame, lowerIsBetter: Bool) -> String {
        let (low, high) = (y.domain.lower, y.domain.upper)
        let step = NiceTicks.step(lower: low, upper: high, count: 6)
        let ticks = NiceTicks.ticks(lower: low, upper: high, count: 6)
        var out = "<g class=\"axis value-axis\"><path class=\"grid\" d=\""
            + ticks.map { "M\(SVG.number(f.plotLeft)) \(SVG.number(y($0)))H\(SVG.number(f.plotRight))" }.joined() + "\"/><g text-anchor=\"end\">"
        for tick in ticks { out += SVG.text(NiceTicks.label(tick, step: step) + "%", x: f.plotLeft - 6, y: y(tick) + 4) }
        out += "</g>"
        out += SVG.line(x1: f.plotLeft, y1: f.plotTop, x2: f.plotLeft, y2: f.plotBottom, cssClass: "axis-line")
        let cy = (f.plotTop + f.plotBottom) / 2
        out += "<text class=\"axis-title\" transform=\"translate(14 \(SVG.number(cy))) rotate(-90)\" text-anchor=\"middle\">"
            + "change to D, % (\(lowerIsBetter ? "worse ↑" : "worse ↓"))</text>"
        return out + "</g>"
    }
}
