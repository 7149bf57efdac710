import Foundation
import Ingest
import Testing

@Suite("SelectionConfig: the release-criteria defaults and user files")
struct SelectionConfigTests {
    /// Models/selection-default.yaml in the repository.
    static let defaultFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models/selection-default.yaml")

    @Test("Models/selection-default.yaml equals the built-in defaults")
    func defaultFileEqualsCode() throws {
        let loaded = try SelectionConfig.load(from: Self.defaultFile)
        #expect(loaded == SelectionConfig.releaseCriteria)
    }

    @Test("the defaults are those of SPEC §3")
    func specDefaults() {
        let config = SelectionConfig.releaseCriteria
        #expect(config.filter.projects == ["fenix", "mozilla-beta"])
        #expect(Set(config.filter.frameworks) == ["raptor", "talos", "awsy", "browsertime"])
        #expect(config.filter.platforms.count == 6)
        #expect(config.filter.suites == ["tabpaint", "tabswitch", "startup_about_home_paint", "sessionrestore"])
        #expect(config.filter.suitePrefixes == ["raptor-speedometer"])
        #expect(config.deduplicate.snames == ["speedometer", "tabswitch"])
        #expect(config.deduplicate.key == [.taskId, .suite, .platform, .label, .extraOptions])
    }

    @Test("an empty file restricts nothing and names nothing")
    func emptyFile() throws {
        let config = try SelectionConfig.parse(yaml: "", file: "empty.yaml")
        #expect(config == SelectionConfig())
        #expect(config.filter.keeps(TestSupport.record("2020-01-01", suite: "anything", value: 1)))
    }

    @Test("a partial file overrides what it names")
    func partialFile() throws {
        let config = try SelectionConfig.parse(yaml: """
            projects: [autoland]
            suite_prefixes: [raptor-tp6]
            simplified_names:
              - {prefix: raptor-tp6, suffix: -cold, sname: cold}
            """, file: "mine.yaml")
        #expect(config.filter.projects == ["autoland"])
        #expect(config.filter.frameworks.isEmpty)
        #expect(config.simplifiedNames == [SimplifiedNameRule(prefix: "raptor-tp6", suffix: "-cold", sname: "cold")])
    }

    @Test("errors name the bad key", arguments: [
        ("platfroms: [a]\n", "platfroms"),
        ("projects: fenix\n", "projects"),
        ("projects: [fenix, [x]]\n", "projects[1]"),
        ("simplified_names:\n  - {prefix: a}\n", "simplified_names[0]"),
        ("simplified_names:\n  - {prefix: a, sname: b, suffx: c}\n", "simplified_names[0].suffx"),
        ("simplified_names:\n  - {prefix: '', sname: b}\n", "simplified_names[0].prefix"),
        ("os_from_platform:\n  - {prefix: linux}\n", "os_from_platform[0]"),
        ("deduplicate:\n  key: [task_id, colour]\n", "deduplicate.key[1]"),
        ("deduplicate:\n  key: []\n", "deduplicate.key"),
        ("deduplicate: [speedometer]\n", "deduplicate"),
        ("- a\n- b\n", "(document)"),
    ])
    func errorsNameTheKey(yaml: String, key: String) {
        do {
            _ = try SelectionConfig.parse(yaml: yaml, file: "bad.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.key == key)
            #expect(error.description.hasPrefix("bad.yaml: key \"\(key)\""))
        }
    }

    @Test("a missing file is a clear error")
    func missingFile() {
        #expect(throws: ConfigError.self) { try SelectionConfig.load(from: URL(fileURLWithPath: "/nonexistent/sel.yaml")) }
    }
}
