import Foundation
import NumericCore
import SeriesAnalysis
import Store

/// The synthetic series of `slowreg demo`: a year of runs (1–5 a day, some
/// days without any, occasional outliers) for a few suites with known
/// behaviour, so the demo shows what slowreg finds and what it does not.
/// Generated from a fixed seed, so every demo run sees the same data.
public struct DemoSeries: Sendable {
    public enum Pattern: Sendable {
        /// A step of `percent` starting `daysBeforeEnd` days before the last day.
        case step(percent: Double, daysBeforeEnd: Int)
        /// A linear drift of `percentPerWeek` over the last `weeks` weeks.
        case drift(percentPerWeek: Double, weeks: Int)
        case steady
        /// Two modes `percent` apart, chosen at random per run.
        case bimodal(percent: Double)
    }

    public var suite: String
    public var test: String
    public var platform: String
    public var framework: String
    public var unit: String
    public var lowerIsBetter: Bool
    public var level: Double
    /// Noise sd as a fraction of the level.
    public var noise: Double
    public var pattern: Pattern
    /// What the demo expects slowreg to say about the last day.
    public var expectation: String

    /// The last day of the demo data and the demo's run date: the last day of the bundled real series.
    public static let lastDay = CalendarDay(year: 2024, month: 5, day: 6)!
    public static let dayCount = 365
    public static let seed: UInt64 = 2024

    public static let all: [DemoSeries] = [
        DemoSeries(suite: "tabpaint", test: "", platform: "windows10-64-shippable", framework: "talos", unit: "ms",
                   lowerIsBetter: true, level: 52, noise: 0.04, pattern: .step(percent: 3, daysBeforeEnd: 10),
                   expectation: "3% step regression 10 days ago: regression against prev_week2"),
        DemoSeries(suite: "tabswitch", test: "", platform: "linux64-shippable", framework: "talos", unit: "ms",
                   lowerIsBetter: true, level: 11.5, noise: 0.05, pattern: .drift(percentPerWeek: 0.6, weeks: 8),
                   expectation: "slow drift, +0.6% a week for 8 weeks: likely worse than two weeks ago"),
        DemoSeries(suite: "startup_about_home_paint", test: "", platform: "macosx1014-64-shippable", framework: "talos",
                   unit: "ms", lowerIsBetter: true, level: 610, noise: 0.03, pattern: .steady,
                   expectation: "no change: no alert"),
        DemoSeries(suite: "raptor-speedometer-geckoview", test: "", platform: "android-hw-p2-8-0-android-aarch64-shippable",
                   framework: "raptor", unit: "score", lowerIsBetter: false, level: 48, noise: 0.03,
                   pattern: .step(percent: -3, daysBeforeEnd: 9),
                   expectation: "score 3% lower for 9 days (higher is better): regression"),
        DemoSeries(suite: "sessionrestore", test: "", platform: "windows7-32-shippable", framework: "talos", unit: "ms",
                   lowerIsBetter: true, level: 330, noise: 0.03, pattern: .step(percent: -4, daysBeforeEnd: 12),
                   expectation: "4% improvement: no alert"),
        DemoSeries(suite: "tabpaint", test: "", platform: "linux64-shippable", framework: "talos", unit: "ms",
                   lowerIsBetter: true, level: 47, noise: 0.02, pattern: .bimodal(percent: 8),
                   expectation: "two modes 8% apart, no change: 2 modes reported, no alert"),
    ]

    /// The series' runs as Treeherder-export CSV text, with a `version` column
    /// (a beta every three days, the release for the last week of each
    /// four-week cycle) so the version comparison days can be derived.
    public func csv(index: Int) -> String {
        var rng = RandomStream(seed: Self.seed, stream: UInt64(index))
        let first = Self.lastDay.advanced(by: -(Self.dayCount - 1))
        var out = "push_timestamp,value,revision,repository_name,framework,machine_platform,test,suite,lower_is_better,measurement_unit,version\n"
        for d in 0..<Self.dayCount {
            let day = first.advanced(by: d)
            let runs = d == Self.dayCount - 1 ? 3 : (rng.uniform() < 0.1 ? 0 : 1 + Int(5 * rng.uniform()))
            var seconds = (0..<runs).map { _ in Int(86_000 * rng.uniform()) }
            seconds.sort()
            for s in seconds {
                var value = level * (1 + multiplier(day: d) / 100)
                if case let .bimodal(percent) = pattern, rng.uniform() < 0.35 { value *= 1 + percent / 100 }
                value *= 1 + noise * rng.standardNormal()
                if rng.uniform() < 0.01 { value *= 1.5 } // an occasional broken run
                let time = Date(timeIntervalSince1970: Double(day.daysSince1970 * 86_400 + s))
                let revision = String(format: "%012llx", rng.next() & 0xFFFF_FFFF_FFFF)
                out += "\(Self.timestamp(time)),\(value),\(revision),mozilla-beta,\(framework),\(platform),\(test),\(suite),"
                    + "\(lowerIsBetter ? "True" : "False"),\(unit),\(Self.version(dayIndex: d))\n"
            }
        }
        return out
    }

    /// The level change in percent on day `d` (0 … dayCount − 1).
    func multiplier(day d: Int) -> Double {
        let end = Self.dayCount - 1
        switch pattern {
        case let .step(percent, back): return d > end - back ? percent : 0
        case let .drift(perWeek, weeks):
            let start = end - 7 * weeks
            return d > start ? perWeek * Double(d - start) / 7 : 0
        case .steady, .bimodal: return 0
        }
    }

    /// Major version 113 on the first day, one every 28 days; betas b1, b2, …
    /// every three days for three weeks, then the release.
    static func version(dayIndex d: Int) -> String {
        let major = 113 + d / 28
        let inCycle = d % 28
        return inCycle >= 21 ? "\(major).0" : "\(major).0b\(1 + inCycle / 3)"
    }

    static func timestamp(_ date: Date) -> String {
        StoreTime.instantText(date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
            .replacingOccurrences(of: ".000", with: "")
    }

    /// Writes every synthetic series as a CSV file into `directory`; returns the files.
    public static func writeAll(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try all.enumerated().map { i, series in
            let name = "demo-\(series.suite)-\(series.platform).csv"
            let url = directory.appendingPathComponent(name)
            try series.csv(index: i).write(to: url, atomically: true, encoding: .utf8)
            return url
        }
    }

    /// The bundled real series.
    public static var realSeriesFiles: [URL] {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("Data")
        return ["mozilla-beta_3534783.csv", "mozilla-beta_3891031.csv"].map { dir.appendingPathComponent($0) }
    }
}
