import Foundation

/// Places the labels of vertical markers (comparison days, versions, change
/// days, D) in rows above a plot so that no two labels overlap and every label
/// stays inside the drawing.
///
/// Greedy first fit, left to right by anchor: a label sits just right of its
/// marker line, or just left of it when it would cross the right edge or meet
/// a label already in that row; it goes to the lowest row where one of the two
/// is free. Rows are unbounded (the chart grows its top margin to
/// ``rowCount``), so the guarantee — in one row, spans are disjoint with at
/// least ``gap`` between them — holds for any number of markers. A label wider
/// than the whole drawing is the one case it cannot fit; it is clamped to the
/// left edge in a row of its own.
public struct LabelPlacement: Sendable {
    /// One label to place: the marker's x (px) and the label's width (px).
    public struct Request: Sendable {
        public var anchor: Double
        public var width: Double

        public init(anchor: Double, width: Double) {
            self.anchor = anchor
            self.width = width
        }
    }

    /// Where a label went: its row (0 = nearest the plot) and horizontal span.
    public struct Placed: Sendable, Equatable {
        public var row: Int
        public var start: Double
        public var end: Double
    }

    /// Space between a marker line and its label, and between neighbouring labels, in px.
    public static let gap = 3.0

    /// One entry per request, in the requests' order.
    public let placed: [Placed]
    /// Rows used (0 when there are no labels).
    public var rowCount: Int { (placed.map(\.row).max() ?? -1) + 1 }

    /// Places `requests` within `minX…maxX`.
    public init(_ requests: [Request], minX: Double, maxX: Double) {
        var rows: [[ClosedRange<Double>]] = []
        var result = [Placed?](repeating: nil, count: requests.count)
        let order = requests.indices.sorted { (requests[$0].anchor, $0) < (requests[$1].anchor, $1) }
        for index in order {
            let request = requests[index]
            let width = Swift.max(0, request.width)
            // Candidates: right of the line, then left of it, each kept inside the drawing.
            let right = Self.inside(start: request.anchor + Self.gap, width: width, minX: minX, maxX: maxX)
            let left = Self.inside(start: request.anchor - Self.gap - width, width: width, minX: minX, maxX: maxX)
            let preferRight = request.anchor + Self.gap + width <= maxX
            let candidates = preferRight ? [right, left] : [left, right]
            var chosen: (row: Int, span: ClosedRange<Double>)?
            for row in 0...rows.count {
                let taken = row < rows.count ? rows[row] : []
                if let free = candidates.first(where: { candidate in !taken.contains { Self.tooClose($0, candidate) } }) {
                    chosen = (row, free)
                    break
                }
            }
            let c = chosen!  // the row after the last is always free
            if c.row == rows.count { rows.append([]) }
            rows[c.row].append(c.span)
            result[index] = Placed(row: c.row, start: c.span.lowerBound, end: c.span.upperBound)
        }
        placed = result.map { $0! }
    }

    /// `start…start+width` moved inside `minX…maxX` (to `minX` when it is wider).
    static func inside(start: Double, width: Double, minX: Double, maxX: Double) -> ClosedRange<Double> {
        let s = Swift.max(minX, Swift.min(start, maxX - width))
        return s...(s + width)
    }

    /// A generous width of `text` at `fontSize` px in DejaVu Sans (per-glyph
    /// advance classes, in em). Labels are drawn with this as their
    /// `textLength`, so the browser fits the glyphs to exactly the width that
    /// was placed, whatever font it found.
    public static func textWidth(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for c in text {
            switch c {
            case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", " ", "(", ")", "[", "]", "I": em += 0.36
            case "f", "t", "r", "-": em += 0.45
            case "m", "w", "M", "W", "%", "…", "→": em += 1.0
            case "+", "=", "<", ">", "~": em += 0.84
            case _ where c.isUppercase: em += 0.74
            case _ where c.isNumber: em += 0.64
            default: em += 0.62
            }
        }
        return em * fontSize
    }

    /// Whether two spans overlap or come closer than ``gap``.
    static func tooClose(_ a: ClosedRange<Double>, _ b: ClosedRange<Double>) -> Bool {
        a.lowerBound < b.upperBound + gap && b.lowerBound < a.upperBound + gap
    }
}
