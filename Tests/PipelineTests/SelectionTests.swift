import Foundation
import Ingest
import Testing

@Suite("Selection: opt-in filtering, naming always")
struct SelectionTests {
    let records = [
        TestSupport.record("2020-05-01", suite: "tabswitch", platform: "windows10-64-shippable", value: 1, taskId: "T"),
        TestSupport.record("2020-05-01", suite: "tabswitch", platform: "windows10-64-shippable", value: 2, taskId: "T"),
        TestSupport.record("2020-05-01", suite: "raptor-tp6-amazon-firefox", platform: "linux64-shippable", value: 3),
    ]

    @Test("by default everything is kept and named")
    func keepAll() {
        let outcome = Selection.keepAll.apply(records)
        #expect(outcome.kept.count == 3)
        #expect(outcome.filteredOut == 0 && outcome.deduplicated == 0)
        #expect(outcome.kept.map(\.sname) == ["tabswitch", "tabswitch", "tp6-warm"])
        #expect(outcome.kept.map(\.os) == ["windows10", "windows10", "linux"])
    }

    @Test("release criteria filter and de-duplicate")
    func releaseCriteria() {
        let outcome = Selection.releaseCriteria.apply(records)
        #expect(outcome.kept.map(\.record.value) == [1])
        #expect(outcome.filteredOut == 1)
        #expect(outcome.deduplicated == 1)
    }

    @Test("--select names the built-in rules or a file")
    func named() throws {
        #expect(try Selection.named(nil) == .keepAll)
        #expect(try Selection.named("release-criteria") == .releaseCriteria)
        let directory = try TestSupport.temporaryDirectory()
        let file = try TestSupport.write("projects: [autoland]\n", to: "sel.yaml", in: directory)
        let selection = try Selection.named(file.path)
        #expect(selection.filters)
        #expect(selection.config.filter.projects == ["autoland"])
    }
}
