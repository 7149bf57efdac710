import Foundation
import SeriesAnalysis

/// Names of Treeherder's performance frameworks by id, as its
/// `/api/performance/framework/` endpoint lists them (ids are stable; the table
/// in Treeherder's `performance_framework` fixtures and front-end tests).
/// Treeherder CSV exports carry only `framework_id`; this turns it into the name
/// the selection rules use (`talos`, `raptor`, `awsy`, `browsertime`).
public enum TreeherderFrameworks {
    public static let knownNames: [Int: String] = [
        1: "talos", 2: "build_metrics", 4: "awsy", 5: "awfy", 6: "platform_microbench",
        10: "raptor", 11: "js-bench", 12: "devtools", 13: "browsertime", 14: "vcs",
        15: "mozperftest", 16: "fxrecord",
    ]

    /// The framework name for a cell that may hold a name or a numeric id; an
    /// unknown id is kept as written.
    public static func name(forCell cell: String) -> String {
        let trimmed = cell.trimmingWhitespace
        if let id = Int(trimmed), let name = knownNames[id] { return name }
        return trimmed
    }
}
