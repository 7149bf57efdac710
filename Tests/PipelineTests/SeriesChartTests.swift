import Foundation
import Pipeline
import Testing

@Suite("SeriesChart: one point per run, bands and the level for every day, markers")
struct SeriesChartTests {
    static func chart(_ results: SeriesResults = ReportFixtures.results()) throws -> XMLElements {
        let svg = try #require(SeriesChart.svg(series: ReportFixtures.series(), results: results))
        return try #require(XMLElements.parse(svg), "the chart is not well-formed XML")
    }

    @Test("exactly one point element per run of the run date, outliers marked differently")
    func onePointPerRun() throws {
        let input = ReportFixtures.modelInput()
        let chart = try Self.chart()
        let runs = chart.withClass("run")
        #expect(runs.count == input.count)
        #expect(chart.withClass("outlier").count == input.filter(\.outlier).count)
        #expect(runs.filter { $0.name == "circle" }.count == input.filter { !$0.outlier }.count)
        // Outliers are crosses or edge triangles, never the dots of ordinary runs.
        #expect(chart.withClass("outlier").allSatisfy { $0.name == "path" })
        // The far outlier sits on the plot's edge instead of stretching the axis.
        #expect(chart.withClass("clamped").count == 1)
    }

    @Test("both predictive bands cover every day; the median level has a vertex per day")
    func bandsCoverEveryDay() throws {
        let chart = try Self.chart()
        let days = ReportFixtures.dayCount
        let median = pathVertices(try #require(chart.withClass("level-median").first?.attributes["d"]))
        #expect(median.count == days)
        let dayXs = median.map(\.x)
        #expect(zip(dayXs, dayXs.dropFirst()).allSatisfy { $0 < $1 }, "days left to right")
        for band in ["band90", "band50"] {
            let paths = chart.withClass(band).filter { $0.name == "path" }
            #expect(paths.count == 1, "\(band)")
            let vertices = pathVertices(try #require(paths.first?.attributes["d"]))
            #expect(vertices.count == 2 * days, "\(band): upper and lower edge for every day")
            // Upper edge left to right at the days' positions, lower edge back.
            let upper = vertices.prefix(days).map(\.x), lower = vertices.suffix(days).map(\.x)
            #expect(zip(upper, dayXs).allSatisfy { abs($0 - $1) < 0.11 }, "\(band) upper edge")
            #expect(zip(lower.reversed(), dayXs).allSatisfy { abs($0 - $1) < 0.11 }, "\(band) lower edge")
            // Screen y grows downwards: the upper quantile is above the lower one every day.
            let tops = vertices.prefix(days).map(\.y), bottoms = Array(vertices.suffix(days).map(\.y).reversed())
            #expect(zip(tops, bottoms).allSatisfy { $0 < $1 }, "\(band) upper above lower")
        }
        // The 50% band lies inside the 90% band.
        let b90 = pathVertices(chart.withClass("band90").first!.attributes["d"]!)
        let b50 = pathVertices(chart.withClass("band50").first!.attributes["d"]!)
        #expect(zip(b50.prefix(days), b90.prefix(days)).allSatisfy { $0.y >= $1.y })
    }

    @Test("markers at D, every comparison day and every major-version change")
    func markers() throws {
        let chart = try Self.chart()
        #expect(chart.withClass("marker-comparison").count == 2)
        #expect(chart.withClass("marker-version").count == 2)  // 120 → 121, 121 → 122
        #expect(chart.withClass("marker-d").count == 1)
        #expect(chart.texts.contains("v121") && chart.texts.contains("v122") && !chart.texts.contains("v120"))
        #expect(chart.texts.contains("prev_week") && chart.texts.contains("prev_week2") && chart.texts.contains("D"))
    }

    @Test("axes name months and the unit")
    func axes() throws {
        let chart = try Self.chart()
        #expect(chart.texts.contains("Feb 2024") && chart.texts.contains("Mar"))  // the first tick carries the year
        #expect(chart.texts.contains("ms"))
        #expect(chart.texts.contains("date (UTC)"))
        // Value ticks are round numbers within the data's range (levels 100 … 109 ± 5).
        let ticks = chart.texts.compactMap(Double.init)
        #expect(ticks.count >= 3)
        #expect(ticks.allSatisfy { (90...120).contains($0) })
    }

    @Test("a failed fit has no chart")
    func failedFit() {
        #expect(SeriesChart.svg(series: ReportFixtures.series(), results: ReportFixtures.results(status: .failed)) == nil)
    }
}
