import Foundation
import Store

/// SPEC §3 de-duplication: for the suites whose `sname` is listed, keep one row
/// per value of the key (by default task, suite name, platform, label, extra
/// options) — the earliest by time, ties broken by input order. Rows without a
/// task id are never merged, since nothing identifies their run.
public struct DeduplicationRule: Sendable, Equatable {
    /// The fields a de-duplication key may use.
    public enum KeyField: String, CaseIterable, Sendable {
        case taskId = "task_id"
        case suite, test, platform, label
        case extraOptions = "extra_options"
        case project, revision

        func value(of record: PerfRecord) -> String {
            switch self {
            case .taskId: return record.taskId
            case .suite: return record.suite
            case .test: return record.test
            case .platform: return record.platform
            case .label: return record.label
            case .extraOptions: return record.extraOptions
            case .project: return record.project
            case .revision: return record.revision
            }
        }
    }

    public var snames: [String]
    public var key: [KeyField]

    public init(snames: [String] = [], key: [KeyField] = [.taskId, .suite, .platform, .label, .extraOptions]) {
        self.snames = snames
        self.key = key
    }

    /// The rows kept, in input order, and how many were dropped. `sname` gives
    /// each row's simplified name.
    public func apply(_ records: [PerfRecord], sname: (PerfRecord) -> String) -> (kept: [PerfRecord], dropped: Int) {
        guard !snames.isEmpty else { return (records, 0) }
        let order = records.indices.sorted { (records[$0].time, $0) < (records[$1].time, $1) }
        var seen = Set<[String]>()
        var drop = Set<Int>()
        for index in order {
            let record = records[index]
            guard !record.taskId.isEmpty, snames.contains(sname(record)) else { continue }
            let value = [sname(record)] + key.map { $0.value(of: record) }
            if !seen.insert(value).inserted { drop.insert(index) }
        }
        let kept = records.indices.filter { !drop.contains($0) }.map { records[$0] }
        return (kept, drop.count)
    }
}
