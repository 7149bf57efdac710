import Foundation
import Store

/// The posterior of the percent change of the level from a comparison day c to
/// the run date D (SPEC §8), rebuilt from the stored draws of both days.
///
/// Draw `d` of D and draw `d` of c come from one posterior draw, so
/// `change%_d = (μ_D,d − μ_c,d) / μ_c,d × 100` are draws of the change —
/// the same pairing `run` used for the stored quantiles and `P(worse)`.
public struct ChangeDistribution: Sendable {
    /// The stored comparison (quantiles, `P(worse)`, flags).
    public let comparison: ComparisonRow
    /// Draws of the change in percent, ascending; nil when the draws of D or
    /// of c are not stored (`run --keep-draws none`) or a baseline level is 0.
    public let changes: [Double]?

    /// One distribution per stored comparison of `results`, in the store's order.
    public static func of(_ results: SeriesResults) -> [ChangeDistribution] {
        let wanted = Set([results.runDate] + results.comparisons.map(\.date))
        var levels: [String: [Int: Double]] = [:]
        for day in results.draws where wanted.contains(day.date) {
            levels[day.date] = Dictionary(uniqueKeysWithValues: day.level.enumerated().map { ($0.offset, Double($0.element)) })
        }
        let now = levels[results.runDate]
        return results.comparisons.map { comparison in
            ChangeDistribution(comparison: comparison, changes: now.flatMap { pairedChanges(now: $0, then: levels[comparison.date]) })
        }
    }

    /// Changes over the draw indices stored for both days.
    static func pairedChanges(now: [Int: Double], then: [Int: Double]?) -> [Double]? {
        guard let then else { return nil }
        var changes: [Double] = []
        changes.reserveCapacity(now.count)
        for (draw, level) in now {
            guard let baseline = then[draw] else { continue }
            guard baseline != 0, baseline.isFinite, level.isFinite else { return nil }
            changes.append((level - baseline) / baseline * 100)
        }
        return changes.isEmpty ? nil : changes.sorted()
    }
}
