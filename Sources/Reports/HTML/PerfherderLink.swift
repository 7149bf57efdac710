import Foundation
import Store
import Ingest

/// The address of a series' graph in Perfherder (Treeherder's performance
/// view), where its runs, alerts and pushes can be inspected:
/// `https://treeherder.mozilla.org/perfherder/graphs?series=<project>,<signature id>,1,<framework id>&timerange=31536000`
/// — Perfherder's own form of a graph link (project, signature, shown, framework),
/// over a year. Only when the project, a numeric signature id and a known
/// framework are stored; otherwise nil (no guessed links).
public enum PerfherderLink {
    public static let base = "https://treeherder.mozilla.org/perfherder/graphs"
    /// A year in seconds: the history the report's year chart shows.
    static let timeRange = 31_536_000

    public static func url(series: SeriesRecord) -> String? {
        guard !series.project.isEmpty, let signature = Int(series.signature), signature > 0,
              let framework = frameworkId(series.framework)
        else { return nil }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard let project = series.project.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
        return "\(base)?series=\(project),\(signature),1,\(framework)&timerange=\(timeRange)"
    }

    /// Treeherder's id of a framework stored by name (or as its id).
    static func frameworkId(_ framework: String) -> Int? {
        if let id = Int(framework), id > 0 { return id }
        return TreeherderFrameworks.knownNames.first { $0.value == framework }?.key
    }
}
