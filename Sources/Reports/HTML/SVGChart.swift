import Foundation

/// The small amount of SVG the report needs, written by hand so the report
/// stays one self-contained file: text escaping, compact coordinates, linear
/// scales, "nice" axis ticks and path data.
///
/// Coordinates are written with one decimal (a tenth of a pixel is below what
/// a screen shows) so that a year of bands stays a few kilobytes.
enum SVG {
    /// Escapes text for element content and double-quoted attribute values
    /// (XML 1.0 §2.4, §3.3.3): `& < > "` and `'`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal and no trailing zero (`12`, `12.5`, `-3.1`).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths == 0 { return "0" }
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths)) % 10
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Path data through `points` as straight segments (`M x y L x y …`).
    static func polyline(_ points: [(x: Double, y: Double)]) -> String {
        var out = ""
        for (i, p) in points.enumerated() {
            out += (i == 0 ? "M" : " L") + number(p.x) + " " + number(p.y)
        }
        return out
    }

    /// A closed band: along `upper` left to right, back along `lower` right to
    /// left. Every x appears twice, so a band over `n` days has `2n` vertices.
    static func band(upper: [(x: Double, y: Double)], lower: [(x: Double, y: Double)]) -> String {
        guard !upper.isEmpty else { return "" }
        return polyline(upper + lower.reversed()) + " Z"
    }

    /// Path data through `points` in relative coordinates, the shortest SVG
    /// writes: `M x y l dx dy dx dy …` (`.5` for 0.5, a minus sign as the
    /// separator). Points are rounded to tenths first and the steps taken
    /// between rounded points, so rounding never accumulates along the path;
    /// `close` ends it with `z`.
    static func relativePath(_ points: [(x: Double, y: Double)], close: Bool = false) -> String {
        guard let first = points.first else { return "" }
        var out = "M" + number(first.x) + " " + number(first.y)
        var (px, py) = (tenths(first.x), tenths(first.y))
        var started = false
        for p in points.dropFirst() {
            let (x, y) = (tenths(p.x), tenths(p.y))
            let dx = compact(x - px), dy = compact(y - py)
            out += started ? (dx.hasPrefix("-") ? "" : " ") : "l"
            out += dx + (dy.hasPrefix("-") ? "" : " ") + dy
            started = true
            (px, py) = (x, y)
        }
        return close ? out + "z" : out
    }

    /// Dots: a zero-length segment at each point (`M x y h0 m dx dy h0 …`),
    /// drawn as a dot by a round line cap, each distinct tenth-pixel once.
    static func dots(_ points: [(x: Double, y: Double)]) -> String {
        var out = ""
        var seen = Set<Int>()
        var last: (Int, Int)?
        for p in points {
            let (x, y) = (tenths(p.x), tenths(p.y))
            guard seen.insert(x &* 1_000_003 &+ y).inserted else { continue }
            if let last {
                let dx = compact(x - last.0), dy = compact(y - last.1)
                out += "m" + dx + (dy.hasPrefix("-") ? "" : " ") + dy + "h0"
            } else {
                out += "M" + number(Double(x) / 10) + " " + number(Double(y) / 10) + "h0"
            }
            last = (x, y)
        }
        return out
    }

    /// A value in whole tenths.
    static func tenths(_ value: Double) -> Int { value.isFinite ? Int((value * 10).rounded()) : 0 }

    /// A number of tenths as the shortest decimal: `5` → `.5`, `-12` → `-1.2`, `30` → `3`.
    static func compact(_ tenths: Int) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        let whole = magnitude / 10, fraction = magnitude % 10
        if fraction == 0 { return sign + "\(whole)" }
        return sign + (whole == 0 ? "" : "\(whole)") + ".\(fraction)"
    }

    /// `<text>` with the given attributes, escaped.
    static func text(_ content: String, x: Double, y: Double, attributes: String = "") -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\"\(attributes.isEmpty ? "" : " " + attributes)>\(escape(content))</text>"
    }

    /// `<line>` from (x1, y1) to (x2, y2) with a class.
    static func line(x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String) -> String {
        "<line class=\"\(cssClass)\" x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\"/>"
    }
}

/// The affine map of a data interval onto a pixel interval: `a ↦ from`, `b ↦ to`.
/// A degenerate domain (`a == b`) maps everything to the middle of the range.
struct LinearScale: Sendable {
    let domain: (lower: Double, upper: Double)
    let range: (from: Double, to: Double)

    init(domain lower: Double, _ upper: Double, range from: Double, _ to: Double) {
        domain = (lower, upper)
        range = (from, to)
    }

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0 else { return (range.from + range.to) / 2 }
        return range.from + (value - domain.lower) / span * (range.to - range.from)
    }

    /// `value` moved into the domain.
    func clamp(_ value: Double) -> Double {
        Swift.min(Swift.max(value, Swift.min(domain.lower, domain.upper)), Swift.max(domain.lower, domain.upper))
    }
}

/// Axis ticks at round numbers (1, 2, 2.5 or 5 × 10ᵏ apart), the classic choice
/// of Heckbert, "Nice numbers for graph labels" (Graphics Gems, 1990), which
/// people read without effort.
enum NiceTicks {
    /// Steps, in units of a power of ten, tried in order.
    static let steps: [Double] = [1, 2, 2.5, 5, 10]

    /// The step between ticks for about `count` ticks over `lower…upper`.
    static func step(lower: Double, upper: Double, count: Int) -> Double {
        let span = upper - lower
        guard span > 0, span.isFinite, count >= 1 else { return 1 }
        let raw = span / Double(count)
        let magnitude = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let step = steps.first { $0 * magnitude >= raw } ?? 10
        return step * magnitude
    }

    /// The multiples of ``step(lower:upper:count:)`` inside `lower…upper`.
    static func ticks(lower: Double, upper: Double, count: Int) -> [Double] {
        let s = step(lower: lower, upper: upper, count: count)
        guard upper > lower else { return [lower] }
        var out: [Double] = []
        var k = (lower / s).rounded(.up)
        while k * s <= upper + s * 1e-9 {
            out.append(k * s)
            k += 1
        }
        return out
    }

    /// A tick label with as many decimals as the step needs (`0.25` → 2, `2.5` → 1, `50` → 0).
    static func label(_ value: Double, step: Double) -> String {
        let text = String(format: "%.\(decimals(step: step))f", value)
        // "-0.0" reads as a sign error.
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// Decimals of `step` written exactly (at most 6).
    static func decimals(step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        var scaled = step
        var decimals = 0
        while decimals < 6 && abs(scaled - scaled.rounded()) > 1e-9 * Swift.max(1, abs(scaled)) {
            scaled *= 10
            decimals += 1
        }
        return decimals
    }
}

/// The pixel frame of a chart: the whole drawing and the plot area inside its margins.
struct ChartFrame: Sendable {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// The opening `<svg>` tag: a fixed viewBox that scales with the page width.
    func open(cssClass: String, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(cssClass)\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\" aria-label=\"\(SVG.escape(label))\">"
    }
}
