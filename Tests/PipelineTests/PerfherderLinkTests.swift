import Foundation
import Store
import Ingest
import Reports
import Jobs
import Testing

@Suite("PerfherderLink: the series' graph in Perfherder, only when project, signature and framework are known")
struct PerfherderLinkTests {
    static func series(project: String = "mozilla-beta", framework: String = "talos", signature: String = "3534783") -> SeriesRecord {
        SeriesRecord(id: 1, project: project, suite: "tabpaint", test: "", platform: "linux64-shippable", framework: framework,
                     sname: "tabpaint", os: "linux", lowerIsBetter: true, unit: "ms", signature: signature)
    }

    @Test("project, signature id, shown, framework id; a year of history")
    func link() {
        #expect(PerfherderLink.url(series: Self.series())
                == "https://treeherder.mozilla.org/perfherder/graphs?series=mozilla-beta,3534783,1,1&timerange=31536000")
        #expect(PerfherderLink.url(series: Self.series(framework: "platform_microbench"))?.contains(",3534783,1,6&") == true)
        #expect(PerfherderLink.url(series: Self.series(framework: "13"))?.contains(",1,13&") == true)
    }

    @Test("no link without a project, a numeric signature or a known framework")
    func noGuessedLinks() {
        #expect(PerfherderLink.url(series: Self.series(signature: "")) == nil)
        #expect(PerfherderLink.url(series: Self.series(signature: "abc")) == nil)
        #expect(PerfherderLink.url(series: Self.series(project: "")) == nil)
        #expect(PerfherderLink.url(series: Self.series(framework: "")) == nil)
        #expect(PerfherderLink.url(series: Self.series(framework: "my-harness")) == nil)
    }

    @Test("a Treeherder export's signature_id is stored with its series, and the report links to it")
    func storedAndLinked() throws {
        let (store, _) = try TestSupport.newStore()
        _ = try Ingestion().ingest(files: DemoSeries.realSeriesFiles, into: store)
        let series = try store.listSeries(.all)
        #expect(Set(series.map(\.signature)) == ["3534783", "3891031"])
        let strings = try #require(series.first { $0.signature == "3534783" })
        #expect(PerfherderLink.url(series: strings)
                == "https://treeherder.mozilla.org/perfherder/graphs?series=mozilla-beta,3534783,1,6&timerange=31536000")
        // A later source without the column keeps the signature.
        let csv = "push_timestamp,value,repository_name,machine_platform,test,suite\n"
            + "2024-06-01 10:00:00,1330,mozilla-beta,\(strings.platform),\(strings.test),\(strings.suite)\n"
        let directory = try TestSupport.temporaryDirectory()
        let later = try TestSupport.write(csv, to: "later.csv", in: directory)
        _ = try Ingestion().ingest(files: [later], into: store)
        #expect(try store.series(id: strings.id)?.signature == "3534783")
    }

    @Test("the report's section links to Perfherder; nothing is loaded from there")
    func reportLink() {
        var entry = YearFixture.entry(runsPerDay: 1, changeDays: 1)
        entry.series.signature = "4242"
        entry.series.framework = "raptor"
        let html = ReportHTML.render(ReportContent(runDate: YearFixture.runDate, storeLocation: "s.sqlite", selection: ReportSelection(),
                                                   series: [entry], storedSeriesCount: 1))
        #expect(html.contains("<a href=\"https://treeherder.mozilla.org/perfherder/graphs?series=mozilla-beta,4242,1,10&amp;timerange=31536000\" rel=\"noopener\">Perfherder graph</a>"))
        #expect(!html.contains("src=\"http"))
    }
}
