import Foundation

/// One row of `series`: one (project, suite, test, platform) with what is known
/// about it. `project` and `test` are "" when absent (never NULL), so the
/// uniqueness of the four holds.
public struct SeriesRecord: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var project: String
    public var suite: String
    public var test: String
    public var platform: String
    public var framework: String
    /// Simplified suite name (SPEC §3).
    public var sname: String
    /// Operating system from the platform, "" when unknown.
    public var os: String
    /// `nil` when no source said; see ``lowerIsBetterOrDefault``.
    public var lowerIsBetter: Bool?
    public var unit: String
    /// Perfherder's signature id of the series; "" when unknown.
    public var signature: String

    public init(id: Int64, project: String, suite: String, test: String, platform: String, framework: String,
                sname: String, os: String, lowerIsBetter: Bool?, unit: String, signature: String = "") {
        self.id = id
        self.project = project
        self.suite = suite
        self.test = test
        self.platform = platform
        self.framework = framework
        self.sname = sname
        self.os = os
        self.lowerIsBetter = lowerIsBetter
        self.unit = unit
        self.signature = signature
    }

    /// The direction comparisons use: the stored value, else Treeherder's default.
    public var lowerIsBetterOrDefault: Bool { lowerIsBetter ?? PerfRecord.defaultLowerIsBetter }
}

extension SeriesRecord {
    /// `project/suite/test/platform`, for messages.
    public var displayName: String {
        [project, suite, test, platform].filter { !$0.isEmpty }.joined(separator: " / ")
    }

    /// A stable key of the series' identity (for per-series seeds and alert ids).
    package var identityKey: String { [project, suite, test, platform].joined(separator: "\u{1F}") }
}

/// Conditions for ``PerfStore/listSeries(_:)``; `nil` fields do not restrict.
/// Text fields match exactly.
public struct SeriesFilter: Sendable, Equatable {
    public var project: String?
    public var suite: String?
    public var test: String?
    public var platform: String?
    public var framework: String?
    public var sname: String?
    public var os: String?
    /// Only series with at least one measurement on or after this day (`YYYY-MM-DD`).
    public var withDataSince: String?
    /// … and on or before this day (`YYYY-MM-DD`): together, data in a window.
    public var withDataThrough: String?

    /// Whether no field restricts the series (every series matches).
    public var isUnrestricted: Bool {
        [project, suite, test, platform, framework, sname, os, withDataSince, withDataThrough].allSatisfy { $0 == nil }
    }

    /// The restricting fields as command-line options, for messages:
    /// `--suite 'typo' --platform 'linux64'`.
    public var optionText: String {
        [("project", project), ("suite", suite), ("test", test), ("platform", platform), ("framework", framework),
         ("sname", sname), ("os", os)]
            .compactMap { name, value in value.map { "--\(name) '\(TerminalText.visible($0))'" } }
            .joined(separator: " ")
    }

    public init(project: String? = nil, suite: String? = nil, test: String? = nil, platform: String? = nil,
                framework: String? = nil, sname: String? = nil, os: String? = nil, withDataSince: String? = nil) {
        self.project = project
        self.suite = suite
        self.test = test
        self.platform = platform
        self.framework = framework
        self.sname = sname
        self.os = os
        self.withDataSince = withDataSince
    }

    public static let all = SeriesFilter()
}
