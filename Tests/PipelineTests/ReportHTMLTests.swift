import Foundation
import Reports
import Testing

@Suite("ReportHTML: one self-contained page with the summary and every series")
struct ReportHTMLTests {
    static func page(regressionsOnly: Bool = false) throws -> (String, ReportContent) {
        let content = try ReportContent.load(store: try ReportContentTests.store(), runDate: ReportFixtures.runDate,
                                             selection: ReportSelection(regressionsOnly: regressionsOnly))
        return (ReportHTML.render(content), content)
    }

    @Test("nothing is loaded from elsewhere: one inline script, no linked scripts, styles, images or remote URLs")
    func selfContained() throws {
        let (html, _) = try Self.page()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for forbidden in ["<link", "<img", "<iframe", "@import", "url(http", "src=", "href=\"http", "fetch(", "XMLHttpRequest"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.components(separatedBy: "<script").count - 1 == 1)
        #expect(html.contains("<script>(function () {"))
        // The only absolute URL is the SVG namespace name, which is never fetched.
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") })
    }

    @Test("the summary lists every series, highest P(worse) first, with change per comparison day")
    func summaryTable() throws {
        let (html, content) = try Self.page()
        let summary = try #require(html.range(of: "<table class=\"summary\" id=\"summary-table\">").map { html[$0.lowerBound...] })
        let end = try #require(summary.range(of: "</table>"))
        let table = String(summary[..<end.lowerBound])
        let links = content.series.map { "href=\"#series-\($0.series.id)\"" }
        let positions = links.map { table.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! })
        #expect(table.contains("<th data-type=\"num\" title=\"median change to D\">prev_week</th>"))
        // The median change against prev_week, coloured by its size (1% → class w2), with its flags and sort value.
        #expect(table.contains("<td class=\"num w2 regression alert\" data-v=\"1.0000\""))
        #expect(table.contains(">+1.00%</td>"))
        // +0.30% against prev_week2 is below the first colour class.
        #expect(table.contains("<td class=\"num\" data-v=\"0.3000\""))
        // The latest change day with its size, the level at D in the unit; rows carry their filter key.
        #expect(table.contains(">2024-03-21 +3.1%</td>"))
        #expect(table.contains("data-v=\"109.0\">109</td>"))
        #expect(table.contains("<tr data-k=\"tabswitch linux64-shippable mozilla-beta\" class=\"reg\">"))
        // The controls the script drives.
        #expect(html.contains("id=\"filter\"") && html.contains("id=\"only-regressions\"") && html.contains("id=\"shown\""))
    }

    @Test("diagnostics badges: good, flagged and failed, with the reason on hover")
    func badges() throws {
        let (html, _) = try Self.page()
        #expect(html.contains("<span class=\"badge flagged\" title=\"max R̂ 1.030 &gt; 1.01\">flagged</span>"))
        #expect(html.contains("<span class=\"badge failed\" title=\"only 3 non-outlier points to fit\">failed</span>"))
        #expect(html.contains("<span class=\"badge good\" title=\"max R̂ 1.0020"))
    }

    @Test("each fitted series has its chart and its change distribution; a failed one its error")
    func sections() throws {
        let (html, content) = try Self.page()
        #expect(html.components(separatedBy: "<details class=\"series\"").count - 1 == content.series.count)
        #expect(html.components(separatedBy: "class=\"series-chart recent\"").count - 1 == 3)
        #expect(html.components(separatedBy: "class=\"series-chart year\"").count - 1 == 3)
        #expect(html.components(separatedBy: "class=\"change-chart\"").count - 1 == 3)
        #expect(html.contains("The fit failed: only 3 non-outlier points to fit"))
        // Clip-path ids are unique in the page.
        let ids = html.components(separatedBy: "<clipPath id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Set(ids).count == ids.count && !ids.isEmpty)
    }

    @Test("what, when and how much: the comparison of most concern, the change days, levels before → after in the unit")
    func answer() throws {
        let (html, _) = try Self.page()
        #expect(html.contains("<b>What</b>: D is worse than prev_week (2024-03-24) by <span class=\"w2\">+1.00%</span> "
                              + "(80% interval +0.40% … +1.60%), P(worse) 0.900, a <span class=\"regression\">regression</span>."))
        #expect(html.contains("<b>How much</b>: the level went from 108.3 to 109 (prev_week → D)."))
        #expect(html.contains("<b>When</b>: the level stepped on 2024-03-21 <span class=\"w3\">+3.10%</span> (probability 0.93, 107.9 → 108); "
                              + "2024-01-31 <span class=\"b1\">-0.70%</span> (probability 0.55, 102.9 → 103)."))
        // The comparison table has the levels too, and the closed section's headline says the same in one line.
        #expect(html.contains("<td class=\"num\">108.3 → 109</td>"))
        #expect(html.contains("<span class=\"headline\">+1.00% vs prev_week, P(worse) 0.900, regression · changed 2024-03-21 (+3.1%)</span>"))
    }

    @Test("a page of many series opens only the first sections; the rest open on demand")
    func lazySections() throws {
        let entries = (1...30).map { YearFixture.entry(id: Int64($0), runsPerDay: 1, changeDays: 1) }
        let html = ReportHTML.render(ReportContent(runDate: YearFixture.runDate, storeLocation: "s.sqlite", selection: ReportSelection(),
                                                   series: entries, storedSeriesCount: 30))
        #expect(html.components(separatedBy: "<details class=\"series\"").count - 1 == 30)
        #expect(html.components(separatedBy: "\" open>").count - 1 == 12)
        #expect(html.contains("window.addEventListener(\"hashchange\", openTarget)"))
    }

    @Test("size budget: a year-long series costs at most 40 KB of page, however many runs, change days and comparisons")
    func sizeBudget() throws {
        for runsPerDay in [1, 3, 5] {
            func page(_ n: Int) -> Int {
                let entries = (1...n).map { YearFixture.entry(id: Int64($0), runsPerDay: runsPerDay) }
                return ReportHTML.render(ReportContent(runDate: YearFixture.runDate, storeLocation: "s.sqlite",
                                                       selection: ReportSelection(), series: entries, storedSeriesCount: n)).utf8.count
            }
            let one = page(1), three = page(3)
            let perSeries = (three - one) / 2
            #expect(perSeries <= ReportHTML.byteBudgetPerSeries, "\(runsPerDay) runs a day: \(perSeries) bytes a series")
            #expect(perSeries > 5_000, "the measure is real: \(perSeries)")
            print("report size: \(runsPerDay) runs a day: \(perSeries) bytes a series")
        }
    }

    @Test("text from the store is escaped")
    func escaping() throws {
        var content = try Self.page().1
        content.series[0].series.suite = "<b>&\"suite\""
        let html = ReportHTML.render(content)
        #expect(!html.contains("<b>&"))
        #expect(html.contains("&lt;b&gt;&amp;&quot;suite&quot;"))
    }
}
