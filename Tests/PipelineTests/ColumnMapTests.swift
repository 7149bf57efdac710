import Foundation
import Ingest
import Testing

@Suite("ColumnMap: mapping other layouts, validated")
struct ColumnMapTests {
    @Test("fields and defaults are read")
    func reads() throws {
        let map = try ColumnMap.parse(yaml: "columns:\n  time: ts\n  task_id: job\ndefaults:\n  lower_is_better: false\n",
                                      file: "m.yaml")
        #expect(map.columns == [.time: "ts", .taskId: "job"])
        #expect(map.defaults == [.lowerIsBetter: "false"])
    }

    @Test("an unknown field is an error naming the key")
    func unknownField() {
        #expect(throws: ConfigError.self) { try ColumnMap.parse(yaml: "columns:\n  tme: ts\n", file: "m.yaml") }
        do {
            _ = try ColumnMap.parse(yaml: "columns:\n  tme: ts\n", file: "m.yaml")
        } catch {
            #expect(error.key == "columns.tme")
            #expect(error.description.hasPrefix("m.yaml: key \"columns.tme\": unknown key"))
        }
    }

    @Test("an unknown top-level key and bad default values are rejected with their key", arguments: [
        ("column:\n  time: ts\n", "column"),
        ("defaults:\n  value: fast\n", "defaults.value"),
        ("defaults:\n  time: soon\n", "defaults.time"),
        ("defaults:\n  lower_is_better: maybe\n", "defaults.lower_is_better"),
        ("columns: [time, value]\n", "columns"),
        ("columns:\n  time: ''\n", "columns.time"),
    ])
    func invalid(yaml: String, key: String) {
        do {
            _ = try ColumnMap.parse(yaml: yaml, file: "m.yaml")
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.key == key)
        }
    }

    @Test("text that is not YAML is rejected")
    func notYAML() {
        #expect(throws: ConfigError.self) { try ColumnMap.parse(yaml: "columns: [unclosed\n", file: "m.yaml") }
    }
}
