import Foundation
import Store

/// What ingest keeps. Selection is opt-in (`--select release-criteria` or
/// `--select FILE`); without it every row is kept, and the naming rules of the
/// release-criteria defaults still give each series its `sname` and `os`.
public struct Selection: Sendable, Equatable {
    /// Whether the filter and de-duplication run (naming always does).
    public var filters: Bool
    public var config: SelectionConfig

    public init(filters: Bool, config: SelectionConfig) {
        self.filters = filters
        self.config = config
    }

    /// Keep everything; name with the default rules.
    public static let keepAll = Selection(filters: false, config: .releaseCriteria)
    /// SPEC §3 release criteria.
    public static let releaseCriteria = Selection(filters: true, config: .releaseCriteria)

    /// The outcome of applying a selection to the rows of one source.
    public struct Outcome: Sendable, Equatable {
        public var kept: [IngestRecord]
        /// Rows the release-criteria filter dropped.
        public var filteredOut: Int
        /// Rows the de-duplication dropped.
        public var deduplicated: Int
    }

    public func apply(_ records: [PerfRecord]) -> Outcome {
        var rows = records
        var filteredOut = 0
        var deduplicated = 0
        if filters {
            rows = records.filter(config.filter.keeps)
            filteredOut = records.count - rows.count
            let config = self.config
            let result = config.deduplicate.apply(rows, sname: { config.sname(of: $0) })
            rows = result.kept
            deduplicated = result.dropped
        }
        let kept = rows.map { IngestRecord(record: $0, sname: config.sname(of: $0), os: config.os(of: $0)) }
        return Outcome(kept: kept, filteredOut: filteredOut, deduplicated: deduplicated)
    }
}

extension Selection {
    /// The name `--select` takes for the built-in rules.
    public static let releaseCriteriaName = "release-criteria"

    /// The selection a `--select` value names: none → ``keepAll``;
    /// `release-criteria` → ``releaseCriteria``; anything else is a YAML file
    /// in the layout of `Models/selection-default.yaml`.
    public static func named(_ option: String?) throws(ConfigError) -> Selection {
        guard let option else { return .keepAll }
        if option == releaseCriteriaName { return .releaseCriteria }
        return Selection(filters: true, config: try SelectionConfig.load(from: URL(fileURLWithPath: option)))
    }
}
