import Foundation
import Pipeline
import Testing

@Suite("ReportHTML: one self-contained page with the summary and every series")
struct ReportHTMLTests {
    static func page(regressionsOnly: Bool = false) throws -> (String, ReportContent) {
        let content = try ReportContent.load(store: try ReportContentTests.store(), runDate: ReportFixtures.runDate,
                                             selection: ReportSelection(regressionsOnly: regressionsOnly))
        return (ReportHTML.render(content), content)
    }

    @Test("nothing is loaded from elsewhere: no scripts, links, images or remote URLs")
    func selfContained() throws {
        let (html, _) = try Self.page()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for forbidden in ["<script", "<link", "<img", "<iframe", "@import", "url(http", "src=", "href=\"http"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        // The only absolute URL is the SVG namespace name, which is never fetched.
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") })
    }

    @Test("the summary lists every series, highest P(worse) first, with change per comparison day")
    func summaryTable() throws {
        let (html, content) = try Self.page()
        let summary = try #require(html.range(of: "<table class=\"summary\">").map { html[$0.lowerBound...] })
        let end = try #require(summary.range(of: "</table>"))
        let table = String(summary[..<end.lowerBound])
        let links = content.series.map { "href=\"#series-\($0.series.id)\"" }
        let positions = links.map { table.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! })
        #expect(table.contains("<th>prev_week</th>".replacingOccurrences(of: "<th>", with: "<th title=\"median change to D\">")))
        #expect(table.contains("+1.00%"))  // median change against prev_week
        #expect(table.contains("class=\"num regression alert\""))
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
        #expect(html.components(separatedBy: "<section class=\"series\"").count - 1 == content.series.count)
        #expect(html.components(separatedBy: "class=\"series-chart\"").count - 1 == 3)
        #expect(html.components(separatedBy: "class=\"change-chart\"").count - 1 == 3)
        #expect(html.contains("The fit failed: only 3 non-outlier points to fit"))
        // Clip-path ids are unique in the page.
        let ids = html.components(separatedBy: "<clipPath id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Set(ids).count == ids.count && !ids.isEmpty)
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
