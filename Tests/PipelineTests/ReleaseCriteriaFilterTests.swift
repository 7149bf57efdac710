import Store
import Ingest
import Testing

@Suite("ReleaseCriteriaFilter: which rows the selection keeps")
struct ReleaseCriteriaFilterTests {
    let filter = SelectionConfig.releaseCriteria.filter

    func record(project: String = "mozilla-beta", framework: String = "talos", platform: String = "windows10-64-shippable",
                suite: String = "tabswitch") -> PerfRecord {
        TestSupport.record("2020-05-01", suite: suite, platform: platform, value: 1, project: project, framework: framework)
    }

    @Test("a release-criteria row is kept")
    func keeps() {
        #expect(filter.keeps(record()))
        #expect(filter.keeps(record(project: "fenix", framework: "raptor", platform: "android-hw-p2-8-0-android-aarch64-shippable",
                                    suite: "raptor-speedometer-geckoview")))
    }

    @Test("any field outside the criteria drops the row")
    func drops() {
        #expect(!filter.keeps(record(project: "autoland")))
        #expect(!filter.keeps(record(framework: "platform_microbench")))
        #expect(!filter.keeps(record(platform: "linux1804-64-shippable-qr")))
        #expect(!filter.keeps(record(suite: "JS")))
        #expect(!filter.keeps(record(suite: "tabswitch-extra")))     // exact names, not prefixes
    }

    @Test("the bundled real data are not release-criteria tests")
    func bundledDataNotSelected() throws {
        let records = try DelimitedRecordParser().parse(try TestSupport.fixtureData("mozilla-beta_3891031", "csv"), file: "a.csv")
        #expect(!records.contains(where: filter.keeps))
    }

    @Test("empty lists do not restrict")
    func emptyLists() {
        #expect(ReleaseCriteriaFilter().keeps(record(project: "x", framework: "y", platform: "z", suite: "w")))
        #expect(ReleaseCriteriaFilter(suitePrefixes: ["raptor-"]).keepsSuite("raptor-tp6"))
        #expect(!ReleaseCriteriaFilter(suitePrefixes: ["raptor-"]).keepsSuite("tabswitch"))
    }
}
