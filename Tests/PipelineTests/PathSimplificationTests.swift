import Foundation
import NumericCore
import Reports
import Testing

@Suite("PathSimplification: Ramer–Douglas–Peucker within a tolerance")
struct PathSimplificationTests {
    /// Distance from `p` to the polyline through `line`.
    static func distance(_ p: (x: Double, y: Double), toPolyline line: [(x: Double, y: Double)]) -> Double {
        zip(line, line.dropFirst()).map { PathSimplification.segmentDistance(p, $0, $1) }.min() ?? .infinity
    }

    @Test("collinear points collapse to the two ends")
    func straightLine() {
        let points = (0..<100).map { (x: Double($0), y: 3 + 0.5 * Double($0)) }
        #expect(PathSimplification.keptIndices(points, tolerance: 0.1) == [0, 99])
    }

    @Test("a step keeps its corners")
    func step() {
        let points = (0..<50).map { (x: Double($0), y: $0 < 25 ? 10.0 : 20.0) }
        #expect(PathSimplification.keptIndices(points, tolerance: 0.3) == [0, 24, 25, 49])
    }

    @Test("a random walk: ends kept, a subsequence, every point within the tolerance")
    func randomWalk() {
        var rng = RandomStream(seed: 7, stream: 1)
        for tolerance in [0.1, 0.3, 2.0] {
            var y = 0.0
            let points = (0..<365).map { i -> (x: Double, y: Double) in
                y += rng.standardNormal()
                return (Double(i) * 1.3, y)
            }
            let kept = PathSimplification.keptIndices(points, tolerance: tolerance)
            #expect(kept.first == 0 && kept.last == 364)
            #expect(zip(kept, kept.dropFirst()).allSatisfy { $0 < $1 })
            let line = kept.map { points[$0] }
            #expect(points.allSatisfy { Self.distance($0, toPolyline: line) <= tolerance + 1e-9 })
            #expect(kept.count < points.count)
        }
    }

    @Test("fewer than three points are kept as they are")
    func short() {
        #expect(PathSimplification.keptIndices([], tolerance: 1).isEmpty)
        #expect(PathSimplification.keptIndices([(x: 0, y: 0), (x: 1, y: 5)], tolerance: 1) == [0, 1])
    }
}

@Suite("ChangeScale: colour by the size of a change, red worse and blue better")
struct ChangeScaleTests {
    @Test("classes by magnitude; below 0.5% no colour")
    func classes() {
        #expect(ChangeScale.cssClass(0.09, lowerIsBetter: true) == "")
        #expect(ChangeScale.cssClass(0.5, lowerIsBetter: true) == "w1")
        #expect(ChangeScale.cssClass(3.84, lowerIsBetter: true) == "w3")
        #expect(ChangeScale.cssClass(-3.84, lowerIsBetter: true) == "b3")
        #expect(ChangeScale.cssClass(-3.84, lowerIsBetter: false) == "w3")
        #expect(ChangeScale.cssClass(12, lowerIsBetter: false) == "b5")
        #expect(ChangeScale.magnitudeClass(.nan) == 0)
        #expect((0..<6).map { ChangeScale.magnitudeClass([0.1, 0.7, 1.5, 2.5, 5, 9][$0]) } == [0, 1, 2, 3, 4, 5])
    }
}
