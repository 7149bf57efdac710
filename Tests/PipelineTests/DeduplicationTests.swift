import Foundation
import Store
import Ingest
import Testing

@Suite("Deduplication: one row per task for speedometer and tabswitch")
struct DeduplicationTests {
    let config = SelectionConfig.releaseCriteria

    func apply(_ records: [PerfRecord]) -> (kept: [PerfRecord], dropped: Int) {
        config.deduplicate.apply(records, sname: config.sname(of:))
    }

    @Test("repeated rows of one task keep the earliest")
    func keepsEarliest() {
        let records = [
            TestSupport.record("2020-05-01T10:05:00Z", suite: "tabswitch", value: 2, taskId: "T", label: "L"),
            TestSupport.record("2020-05-01T10:00:00Z", suite: "tabswitch", value: 1, taskId: "T", label: "L"),
            TestSupport.record("2020-05-01T10:10:00Z", suite: "tabswitch", value: 3, taskId: "U", label: "L"),
        ]
        let result = apply(records)
        #expect(result.dropped == 1)
        #expect(result.kept.map(\.value) == [1, 3])
    }

    @Test("speedometer suites share the sname but differ by suite name in the key")
    func speedometer() {
        let records = [
            TestSupport.record("2020-05-01", suite: "raptor-speedometer-firefox", value: 1, taskId: "T"),
            TestSupport.record("2020-05-01", suite: "raptor-speedometer-firefox", value: 1, taskId: "T"),
            TestSupport.record("2020-05-01", suite: "raptor-speedometer-geckoview", value: 1, taskId: "T"),
        ]
        #expect(apply(records).dropped == 1)
    }

    @Test("other suites, other key values and rows without a task are never merged")
    func notMerged() {
        let records = [
            TestSupport.record("2020-05-01", suite: "sessionrestore", value: 1, taskId: "T"),
            TestSupport.record("2020-05-01", suite: "sessionrestore", value: 1, taskId: "T"),
            TestSupport.record("2020-05-01", suite: "tabswitch", value: 1, taskId: "T", extraOptions: "e10s"),
            TestSupport.record("2020-05-01", suite: "tabswitch", value: 1, taskId: "T", extraOptions: "fission"),
            TestSupport.record("2020-05-01", suite: "tabswitch", value: 1),
            TestSupport.record("2020-05-01", suite: "tabswitch", value: 1),
        ]
        #expect(apply(records).dropped == 0)
    }

    @Test("a key with the test keeps one row per subtest")
    func customKey() {
        let rule = DeduplicationRule(snames: ["tabswitch"], key: [.taskId, .test])
        let records = [
            TestSupport.record("2020-05-01", suite: "tabswitch", test: "a", value: 1, taskId: "T"),
            TestSupport.record("2020-05-01", suite: "tabswitch", test: "b", value: 1, taskId: "T"),
            TestSupport.record("2020-05-01", suite: "tabswitch", test: "a", value: 2, taskId: "T"),
        ]
        #expect(rule.apply(records, sname: { $0.suite }).dropped == 1)
    }
}
