import Foundation

/// The colour of a change by its size, so that +0.09% does not look like
/// +3.84%: a change's magnitude falls in one of ``bounds``' classes, drawn in
/// red shades on the worse side and blue shades on the better side, deeper
/// with size. Changes below the first bound are practically no change (a
/// quarter of the default alert minimum of 2%) and stay uncoloured.
public enum ChangeScale {
    /// Lower bounds of classes 1…5, in percent of the level.
    public static let bounds: [Double] = [0.5, 1, 2, 4, 8]

    /// 0 (no colour) … 5 for a change of `percent`.
    public static func magnitudeClass(_ percent: Double) -> Int {
        guard percent.isFinite else { return 0 }
        return bounds.lastIndex { abs(percent) >= $0 }.map { $0 + 1 } ?? 0
    }

    /// Whether a change of `percent` is worse for a series with this direction.
    public static func isWorse(_ percent: Double, lowerIsBetter: Bool) -> Bool {
        lowerIsBetter ? percent > 0 : percent < 0
    }

    /// The CSS class of a change: `w1`…`w5` worse, `b1`…`b5` better, "" when below the first bound.
    public static func cssClass(_ percent: Double, lowerIsBetter: Bool) -> String {
        let k = magnitudeClass(percent)
        guard k > 0 else { return "" }
        return (isWorse(percent, lowerIsBetter: lowerIsBetter) ? "w" : "b") + "\(k)"
    }

    /// Fill colours of the classes (ColorBrewer Reds and Blues, 5 classes).
    static let worseColours = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]
    static let betterColours = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]

    /// CSS for table cells (background) and chart markers (stroke and text) of every class.
    static var stylesheet: String {
        var css = ""
        for (k, (worse, better)) in zip(worseColours, betterColours).enumerated() {
            let text = k >= 3 ? "#fff" : "#222"
            css += ".w\(k + 1) { background: \(worse); color: \(text); } .b\(k + 1) { background: \(better); color: \(text); }\n"
            css += "svg .w\(k + 1) line, svg .w\(k + 1) path { stroke: \(worseColours[Swift.max(k, 2)]); } "
                + "svg .w\(k + 1) text { fill: \(worseColours[Swift.max(k, 3)]); }\n"
            css += "svg .b\(k + 1) line, svg .b\(k + 1) path { stroke: \(betterColours[Swift.max(k, 2)]); } "
                + "svg .b\(k + 1) text { fill: \(betterColours[Swift.max(k, 3)]); }\n"
        }
        return css
    }
}
