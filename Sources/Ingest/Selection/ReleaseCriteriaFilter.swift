import Foundation
import Store

/// Which rows the selection keeps (SPEC §3 "Release-criteria selection"): a row
/// is kept when its project, framework and platform are in the configured lists
/// and its suite is one of `suites` or starts with one of `suitePrefixes`.
/// An empty list does not restrict its field (so a configuration that omits
/// `projects` keeps every project).
public struct ReleaseCriteriaFilter: Sendable, Equatable {
    public var projects: [String]
    public var frameworks: [String]
    public var platforms: [String]
    public var suites: [String]
    public var suitePrefixes: [String]

    public init(projects: [String] = [], frameworks: [String] = [], platforms: [String] = [],
                suites: [String] = [], suitePrefixes: [String] = []) {
        self.projects = projects
        self.frameworks = frameworks
        self.platforms = platforms
        self.suites = suites
        self.suitePrefixes = suitePrefixes
    }

    public func keeps(_ record: PerfRecord) -> Bool {
        (projects.isEmpty || projects.contains(record.project))
            && (frameworks.isEmpty || frameworks.contains(record.framework))
            && (platforms.isEmpty || platforms.contains(record.platform))
            && keepsSuite(record.suite)
    }

    public func keepsSuite(_ suite: String) -> Bool {
        if suites.isEmpty && suitePrefixes.isEmpty { return true }
        return suites.contains(suite) || suitePrefixes.contains { suite.hasPrefix($0) }
    }
}
