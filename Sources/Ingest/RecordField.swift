import Foundation

/// The fields of a ``PerfRecord`` as they are named in column maps, configuration
/// files and the store (snake_case, like the store's columns).
public enum RecordField: String, CaseIterable, Sendable, Hashable {
    case time, project, framework, suite, test, platform, value, revision
    case taskId = "task_id"
    case label
    case extraOptions = "extra_options"
    case lowerIsBetter = "lower_is_better"
    case unit, version
    /// Perfherder's id of the series (`signature_id` in Treeherder exports), for links.
    case signature

    /// Fields every row must have (SPEC §3: time, suite, platform, value).
    public static let required: [RecordField] = [.time, .value, .suite, .platform]

    /// Header names recognised without a column map, first match wins; compared
    /// case-insensitively. The Treeherder export layout
    /// (`push_timestamp,value,revision,repository_name,…,machine_platform,test,suite,
    /// lower_is_better,measurement_unit`) comes first; `job_id` stands in for a task
    /// id because it identifies one run just as well.
    public var defaultHeaderNames: [String] {
        switch self {
        case .time: return ["push_timestamp", "time", "timestamp"]
        case .project: return ["repository_name", "project", "repository"]
        case .framework: return ["framework", "framework_name", "framework_id"]
        case .suite: return ["suite"]
        case .test: return ["test", "subtest"]
        case .platform: return ["machine_platform", "platform"]
        case .value: return ["value"]
        case .revision: return ["revision", "push_revision"]
        case .taskId: return ["task_id", "taskid", "job_id"]
        case .label: return ["label"]
        case .extraOptions: return ["extra_options", "extraoptions"]
        case .lowerIsBetter: return ["lower_is_better", "lowerisbetter"]
        case .unit: return ["measurement_unit", "unit"]
        case .version: return ["version"]
        case .signature: return ["signature_id", "signature"]
        }
    }
}
