import Foundation
import SeriesAnalysis
import Store

/// How the header of a delimited file maps to ``PerfRecord`` fields.
///
/// Without a map the Treeherder export layout and common names are recognised
/// (``RecordField/defaultHeaderNames``). A map file (`slowreg ingest --columns FILE`)
/// names the columns of other layouts and constant values for fields the file
/// lacks; fields it does not mention are still found by their default names:
///
/// ```yaml
/// columns:            # field: header name in the file
///   time: run_started
///   value: result_ms
///   suite: benchmark
/// defaults:           # field: value used when the file has no such column or the cell is empty
///   platform: linux64-shippable
///   project: mozilla-central
/// ```
/// Field names are those of ``RecordField`` (`time`, `project`, `framework`,
/// `suite`, `test`, `platform`, `value`, `revision`, `task_id`, `label`,
/// `extra_options`, `lower_is_better`, `unit`, `version`, `signature`).
public struct ColumnMap: Sendable, Equatable {
    /// Field → header name (compared case-insensitively, surrounding spaces ignored).
    public var columns: [RecordField: String]
    /// Field → constant text for rows whose cell is missing or empty.
    public var defaults: [RecordField: String]

    public init(columns: [RecordField: String] = [:], defaults: [RecordField: String] = [:]) {
        self.columns = columns
        self.defaults = defaults
    }

    /// The map that recognises the Treeherder export and nothing else.
    public static let treeherderExport = ColumnMap()

    /// Reads a map file (YAML, layout above); every key is checked.
    public static func load(from url: URL) throws(ConfigError) -> ColumnMap {
        try parse(ConfigNode.load(url: url))
    }

    /// Reads map text (YAML); `file` is the name used in error messages.
    public static func parse(yaml: String, file: String) throws(ConfigError) -> ColumnMap {
        try parse(ConfigNode.load(yaml: yaml, file: file))
    }

    private static func parse(_ root: ConfigNode) throws(ConfigError) -> ColumnMap {
        let top = try root.mapping(allowedKeys: ["columns", "defaults"])
        var map = ColumnMap()
        let fieldNames = RecordField.allCases.map(\.rawValue)
        if let columns = top["columns"] {
            for (name, node) in try columns.mapping(allowedKeys: fieldNames) {
                map.columns[RecordField(rawValue: name)!] = try node.nonEmptyString()
            }
        }
        if let defaults = top["defaults"] {
            for (name, node) in try defaults.mapping(allowedKeys: fieldNames) {
                let field = RecordField(rawValue: name)!
                let text = try node.string()
                try validateDefault(text, field: field, node: node)
                map.defaults[field] = text
            }
        }
        return map
    }

    private static func validateDefault(_ text: String, field: RecordField, node: ConfigNode) throws(ConfigError) {
        switch field {
        case .time:
            if TimestampParser.parse(text) == nil { throw node.failure("not a timestamp; \(TimestampParser.acceptedForms)") }
        case .value:
            if ValueParsing.finiteDecimal(text) == nil { throw node.failure("not a finite number") }
        case .lowerIsBetter:
            if ValueParsing.optionalBool(text) == nil { throw node.failure("expected true or false") }
        default:
            break
        }
    }

    /// The header index of each field: the mapped column when there is one, else
    /// the first default name present. A mapped column missing from the header is
    /// an error naming it.
    func resolve(header: [String], location: IngestLocation) throws(IngestError) -> [RecordField: Int] {
        let normalized = header.map { $0.trimmingWhitespace.lowercased() }
        var indices: [RecordField: Int] = [:]
        for field in RecordField.allCases {
            if let mapped = columns[field] {
                guard let index = normalized.firstIndex(of: mapped.trimmingWhitespace.lowercased()) else {
                    throw location.error(line: 1, field: mapped,
                                         "the column map names column \"\(mapped)\" for \(field.rawValue), but the header has no such column")
                }
                indices[field] = index
            } else if let index = field.defaultHeaderNames.lazy.compactMap({ normalized.firstIndex(of: $0) }).first {
                indices[field] = index
            }
        }
        return indices
    }
}
