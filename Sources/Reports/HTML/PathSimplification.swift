import Foundation

/// Fewer vertices for a polyline that look the same on screen: the
/// Ramer–Douglas–Peucker algorithm (Ramer 1972; Douglas & Peucker, "Algorithms
/// for the reduction of the number of points required to represent a
/// digitized line", The Canadian Cartographer 10(2), 1973).
///
/// The kept vertices are a subsequence of the input that includes both ends;
/// every dropped vertex lies within `tolerance` of the segment between the
/// kept vertices around it, so the simplified line is never further than
/// `tolerance` from the original at any input vertex. With a tolerance below
/// half a pixel a year of daily bands draws the same and costs a fraction of
/// the bytes (flat stretches and straight runs collapse to their ends).
public enum PathSimplification {
    /// Indices of the kept vertices of `points`, ascending.
    public static func keptIndices(_ points: [(x: Double, y: Double)], tolerance: Double) -> [Int] {
        guard points.count > 2 else { return Array(points.indices) }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        // An explicit stack: a year of days would be deep recursion on a step-shaped line.
        var stack = [(0, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last - first > 1 else { continue }
            var farthest = first, distance = -1.0
            for i in (first + 1)..<last {
                let d = segmentDistance(points[i], points[first], points[last])
                if d > distance { (farthest, distance) = (i, d) }
            }
            if distance > tolerance {
                keep[farthest] = true
                stack.append((first, farthest))
                stack.append((farthest, last))
            }
        }
        return points.indices.filter { keep[$0] }
    }

    /// The kept vertices themselves.
    public static func simplify(_ points: [(x: Double, y: Double)], tolerance: Double) -> [(x: Double, y: Double)] {
        keptIndices(points, tolerance: tolerance).map { points[$0] }
    }

    /// Distance from `p` to the segment `a`–`b` (to `a` when the segment is a point).
    public static func segmentDistance(_ p: (x: Double, y: Double), _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let length2 = dx * dx + dy * dy
        guard length2 > 0 else { return ((p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y)).squareRoot() }
        let t = Swift.max(0, Swift.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2))
        let (cx, cy) = (a.x + t * dx - p.x, a.y + t * dy - p.y)
        return (cx * cx + cy * cy).squareRoot()
    }
}
