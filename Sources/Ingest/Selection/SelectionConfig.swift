import Foundation
import Store

/// The selection and naming rules of SPEC §3, readable from a YAML file a user
/// can copy and edit (`Models/selection-default.yaml` is ``releaseCriteria``
/// written out; a test keeps the two equal).
///
/// YAML keys (all optional; an omitted or empty list does not restrict):
/// `projects`, `frameworks`, `platforms`, `suites`, `suite_prefixes` (lists of
/// text); `simplified_names` (list of `{prefix, suffix?, sname}`);
/// `os_from_platform` (list of `{prefix, os}`); `deduplicate` (`{snames: […],
/// key: […]}` with key fields among ``DeduplicationRule/KeyField``).
public struct SelectionConfig: Sendable, Equatable {
    public var filter: ReleaseCriteriaFilter
    public var simplifiedNames: [SimplifiedNameRule]
    public var osFromPlatform: [OperatingSystemRule]
    public var deduplicate: DeduplicationRule

    public init(filter: ReleaseCriteriaFilter = ReleaseCriteriaFilter(), simplifiedNames: [SimplifiedNameRule] = [],
                osFromPlatform: [OperatingSystemRule] = [], deduplicate: DeduplicationRule = DeduplicationRule()) {
        self.filter = filter
        self.simplifiedNames = simplifiedNames
        self.osFromPlatform = osFromPlatform
        self.deduplicate = deduplicate
    }

    /// The release-criteria defaults of SPEC §3.
    public static let releaseCriteria = SelectionConfig(
        filter: ReleaseCriteriaFilter(
            projects: ["fenix", "mozilla-beta"],
            frameworks: ["raptor", "talos", "awsy", "browsertime"],
            platforms: [
                "android-hw-g5-7-0-arm7-api-16-shippable",
                "android-hw-p2-8-0-android-aarch64-shippable",
                "linux64-shippable",
                "macosx1014-64-shippable",
                "windows10-64-shippable",
                "windows7-32-shippable",
            ],
            suites: ["tabpaint", "tabswitch", "startup_about_home_paint", "sessionrestore"],
            suitePrefixes: ["raptor-speedometer"]),
        simplifiedNames: [
            SimplifiedNameRule(prefix: "raptor-tp6", suffix: "-cold", sname: "tp6-cold"),
            SimplifiedNameRule(prefix: "raptor-tp6", sname: "tp6-warm"),
            SimplifiedNameRule(prefix: "raptor-speedometer", sname: "speedometer"),
            SimplifiedNameRule(prefix: "raptor-scn-power-idle-fen", sname: "power-idle-foreground"),
            SimplifiedNameRule(prefix: "raptor-scn-power-idle-geckoview", sname: "power-idle-foreground"),
        ],
        osFromPlatform: [
            OperatingSystemRule(prefix: "linux", os: "linux"),
            OperatingSystemRule(prefix: "macosx", os: "osx"),
            OperatingSystemRule(prefix: "windows7", os: "windows7"),
            OperatingSystemRule(prefix: "windows10", os: "windows10"),
            OperatingSystemRule(prefix: "android", os: "android"),
        ],
        deduplicate: DeduplicationRule(snames: ["speedometer", "tabswitch"]))

    public func sname(of record: PerfRecord) -> String {
        SimplifiedName.of(record.suite, rules: simplifiedNames)
    }

    public func os(of record: PerfRecord) -> String {
        OperatingSystem.of(platform: record.platform, rules: osFromPlatform)
    }

    // MARK: - Reading a file

    static let topLevelKeys = ["projects", "frameworks", "platforms", "suites", "suite_prefixes",
                               "simplified_names", "os_from_platform", "deduplicate"]

    public static func load(from url: URL) throws(ConfigError) -> SelectionConfig {
        try parse(ConfigNode.load(url: url))
    }

    public static func parse(yaml: String, file: String) throws(ConfigError) -> SelectionConfig {
        try parse(ConfigNode.load(yaml: yaml, file: file))
    }

    private static func parse(_ root: ConfigNode) throws(ConfigError) -> SelectionConfig {
        let top = try root.mapping(allowedKeys: topLevelKeys)
        var config = SelectionConfig()
        config.filter.projects = try top["projects"]?.stringList() ?? []
        config.filter.frameworks = try top["frameworks"]?.stringList() ?? []
        config.filter.platforms = try top["platforms"]?.stringList() ?? []
        config.filter.suites = try top["suites"]?.stringList() ?? []
        config.filter.suitePrefixes = try top["suite_prefixes"]?.stringList() ?? []
        for element in try top["simplified_names"]?.sequence() ?? [] {
            let rule = try element.mapping(allowedKeys: ["prefix", "suffix", "sname"])
            guard let prefix = rule["prefix"] else { throw element.failure("missing key \"prefix\"") }
            guard let sname = rule["sname"] else { throw element.failure("missing key \"sname\"") }
            config.simplifiedNames.append(SimplifiedNameRule(
                prefix: try prefix.nonEmptyString(), suffix: try rule["suffix"]?.string() ?? "",
                sname: try sname.nonEmptyString()))
        }
        for element in try top["os_from_platform"]?.sequence() ?? [] {
            let rule = try element.mapping(allowedKeys: ["prefix", "os"])
            guard let prefix = rule["prefix"] else { throw element.failure("missing key \"prefix\"") }
            guard let os = rule["os"] else { throw element.failure("missing key \"os\"") }
            config.osFromPlatform.append(OperatingSystemRule(prefix: try prefix.nonEmptyString(), os: try os.nonEmptyString()))
        }
        if let dedup = top["deduplicate"] {
            let members = try dedup.mapping(allowedKeys: ["snames", "key"])
            config.deduplicate.snames = try members["snames"]?.stringList() ?? []
            if let keyNode = members["key"] {
                var key: [DeduplicationRule.KeyField] = []
                for element in try keyNode.sequence() {
                    let name = try element.nonEmptyString()
                    guard let field = DeduplicationRule.KeyField(rawValue: name) else {
                        throw element.failure("unknown key field \"\(name)\"; expected one of: "
                                              + DeduplicationRule.KeyField.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    key.append(field)
                }
                guard !key.isEmpty else { throw keyNode.failure("must name at least one field") }
                config.deduplicate.key = key
            }
        }
        return config
    }
}
