import Foundation
import NumericCore
import Reports
import Testing

@Suite("LabelPlacement: marker labels in rows, never overlapping, inside the drawing")
struct LabelPlacementTests {
    static let width = 580.0

    /// Same-row spans at least the gap apart; every span inside 0…width and as wide as asked.
    static func checkPlacement(_ requests: [LabelPlacement.Request], _ placement: LabelPlacement,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(placement.placed.count == requests.count, sourceLocation: sourceLocation)
        for (request, p) in zip(requests, placement.placed) {
            #expect(p.start >= 0 && p.end <= width + 1e-9, "inside: \(p)", sourceLocation: sourceLocation)
            #expect(abs((p.end - p.start) - request.width) < 1e-9, sourceLocation: sourceLocation)
            #expect(p.row >= 0 && p.row < placement.rowCount, sourceLocation: sourceLocation)
        }
        for (i, a) in placement.placed.enumerated() {
            for b in placement.placed[(i + 1)...] where a.row == b.row {
                #expect(a.end + LabelPlacement.gap <= b.start + 1e-9 || b.end + LabelPlacement.gap <= a.start + 1e-9,
                        "\(a) and \(b) overlap", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("labels far apart share the first row, each just right of its line")
    func farApart() {
        let requests = [10.0, 150, 300, 450].map { LabelPlacement.Request(anchor: $0, width: 40) }
        let placement = LabelPlacement(requests, minX: 0, maxX: Self.width)
        #expect(placement.rowCount == 1)
        #expect(placement.placed.map(\.start) == requests.map { $0.anchor + LabelPlacement.gap })
    }

    @Test("the comparison days a week apart on a year's width (19 px) go to separate rows or sides")
    func crowdedEnd() {
        // prev_week2, prev_week and D near the right edge, as in a year chart.
        let requests = [(530.0, 64.0), (549, 58), (568, 7)].map { LabelPlacement.Request(anchor: $0.0, width: $0.1) }
        let placement = LabelPlacement(requests, minX: 0, maxX: Self.width)
        Self.checkPlacement(requests, placement)
        #expect(placement.rowCount >= 2)
        // A label that would cross the right edge ends at its line instead.
        #expect(placement.placed[0].end == 530 - LabelPlacement.gap)
    }

    @Test("random crowds of 1–40 labels: never an overlap, always inside")
    func randomCrowds() {
        var rng = RandomStream(seed: 13, stream: 0)
        for _ in 0..<500 {
            let count = 1 + Int(40 * rng.uniform())
            let requests = (0..<count).map { _ in
                LabelPlacement.Request(anchor: Self.width * rng.uniform(), width: 6 + 90 * rng.uniform())
            }
            Self.checkPlacement(requests, LabelPlacement(requests, minX: 0, maxX: Self.width))
        }
    }

    @Test("all labels on one spot stack one row each at most")
    func allOnOneSpot() {
        let requests = (0..<10).map { _ in LabelPlacement.Request(anchor: 300, width: 50) }
        let placement = LabelPlacement(requests, minX: 0, maxX: Self.width)
        Self.checkPlacement(requests, placement)
        // Two fit on one row: one left and one right of the line.
        #expect(placement.rowCount == 5)
    }

    @Test("text width estimates grow with the text and are generous for wide glyphs")
    func textWidth() {
        #expect(LabelPlacement.textWidth("", fontSize: 10) == 0)
        #expect(LabelPlacement.textWidth("prev_week2", fontSize: 10) > LabelPlacement.textWidth("prev_week", fontSize: 10))
        #expect(LabelPlacement.textWidth("WWW", fontSize: 10) > LabelPlacement.textWidth("iii", fontSize: 10) * 2)
        // DejaVu Sans advances: digits 0.636 em, '%' 0.95 em — the estimate is at least that.
        #expect(LabelPlacement.textWidth("+3.1% p.93", fontSize: 10) >= 10 * (0.838 + 4 * 0.636 + 2 * 0.318 + 0.95 + 0.318 + 0.635))
    }
}
