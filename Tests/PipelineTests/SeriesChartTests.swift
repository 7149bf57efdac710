import Foundation
import Store
import Reports
import Testing

@Suite("SeriesChart: the last weeks beside the year — runs, bands, level, markers that never overlap, hover details")
struct SeriesChartTests {
    static let recentDays = 56
    /// Day offsets of the fixture inside the recent window: 2024-02-05 … 2024-03-31.
    static let recentFirst = ReportFixtures.dayCount - recentDays

    static func chart(_ window: SeriesChart.Window = .year, results: SeriesResults = ReportFixtures.results(),
                      revisions: [Date: String] = ReportFixtures.revisions()) throws -> XMLElements {
        let svg = try #require(SeriesChart.svg(series: ReportFixtures.series(), results: results, window: window, revisions: revisions))
        return try #require(XMLElements.parse(svg), "the chart is not well-formed XML")
    }

    /// Dots drawn by path data: one zero-length segment (`h0`) each.
    static func dotCount(_ chart: XMLElements, where include: (XMLElements.Element) -> Bool = { _ in true }) -> Int {
        chart.elements.filter { $0.name == "path" && include($0) }
            .map { ($0.attributes["d"] ?? "").components(separatedBy: "h0").count - 1 }.reduce(0, +)
    }

    @Test("recent window: a dot per run; hovering a run or its day shows the day's level, intervals and runs with time, value and revision")
    func recentRuns() throws {
        let input = ReportFixtures.modelInput().filter { $0.day >= Self.recentFirst }
        let chart = try Self.chart(.recent(days: Self.recentDays))
        #expect(Self.dotCount(chart) == input.filter { !$0.outlier }.count)
        #expect(chart.elements.filter { $0.name == "circle" }.isEmpty)
        let revisions = ReportFixtures.revisions()
        for run in input {
            let time = StoreTime.instantText(run.time)
            let line = "\(time.dropFirst(11).prefix(5)) \(String(format: "%.4g", run.y)) \(revisions[run.time]!)"
            #expect(chart.titles.contains { $0.hasPrefix(String(time.prefix(10))) && $0.contains("\n" + line) }, "\(line)")
        }
    }

    @Test("recent window: a hover column per day with the level and its interval")
    func recentDays() throws {
        let chart = try Self.chart(.recent(days: Self.recentDays))
        let dayTitles = chart.titles.filter { $0.contains(" level ") && $0.contains("(90%)") }
        #expect(dayTitles.count == Self.recentDays)
        #expect(chart.elements.filter { $0.name == "use" }.count == Self.recentDays)
        // Day 90 (D): level 109, its 90% interval 108 … 110, predictive 90% 104 … 114; one run at 08:00 of 107.
        #expect(dayTitles.last?.hasPrefix("2024-03-31 level 109 ms (90%: 108–110), runs 104–114 (90%)\n08:00 107 rev") == true)
    }

    @Test("recent window: an outlier is marked, and listed with its score in its day's details")
    func recentOutlier() throws {
        var results = ReportFixtures.results()
        let i = try #require(results.modelInput.firstIndex { $0.day == 87 })
        results.modelInput[i].outlier = true
        results.modelInput[i].z = 7.25
        let chart = try Self.chart(.recent(days: Self.recentDays), results: results)
        #expect(chart.withClass("outlier").count == 1)
        #expect(chart.titles.contains { $0.hasPrefix("2024-03-28 ") && $0.contains(" outlier z 7.2") })
    }

    @Test("at less detail, the hover lists no runs and the year draws each day's median run")
    func minimalDetail() throws {
        let recentSVG = try #require(SeriesChart.svg(series: ReportFixtures.series(), results: ReportFixtures.results(),
                                                     window: .recentDefault, revisions: ReportFixtures.revisions(), detail: .minimal))
        let recent = try #require(XMLElements.parse(recentSVG))
        #expect(recent.titles.contains { $0.hasPrefix("2024-03-31 ") && $0.hasSuffix("; 1 run") })
        #expect(!recent.titles.contains { $0.contains("\n") })
        let yearSVG = try #require(SeriesChart.svg(series: ReportFixtures.series(), results: ReportFixtures.results(),
                                                   window: .year, detail: .minimal))
        let year = try #require(XMLElements.parse(yearSVG))
        let daysWithRuns = Set(ReportFixtures.modelInput().filter { !$0.outlier }.map(\.day)).count
        #expect(Self.dotCount(year) { $0.classes.contains("runs") } <= daysWithRuns)
        #expect(Self.dotCount(year) { $0.classes.contains("runs") } > daysWithRuns / 2)
    }

    @Test("year: every run drawn as a dot of one path, outliers apart")
    func yearRuns() throws {
        let input = ReportFixtures.modelInput()
        let chart = try Self.chart(.year)
        let dots = Self.dotCount(chart) { $0.classes.contains("runs") }
        // A dot per run, except runs that fall on a grid point already drawn.
        #expect(dots > input.count / 2 && dots <= input.filter { !$0.outlier }.count)
        #expect(chart.elements.filter { $0.name == "circle" }.isEmpty)
        // One cross (the outlier inside the bands' range) and one triangle on the edge (the far one).
        #expect(chart.withClass("outlier").count == 2)
        #expect(chart.withClass("clamped").count == 1, "the far outlier sits on the plot's edge")
        // The recent window is shaded in the year.
        #expect(chart.withClass("recent-window").count == 1)
    }

    @Test("bands and the level span every day of the window, the 90% band around the 50% band")
    func bands() throws {
        for (window, days) in [(SeriesChart.Window.year, ReportFixtures.dayCount), (.recent(days: Self.recentDays), Self.recentDays)] {
            let chart = try Self.chart(window)
            let median = pathVertices(try #require(chart.withClass("level-median").first?.attributes["d"]))
            // The fixture's level is a straight line: simplified to its two ends.
            #expect(median.count == 2, "\(window)")
            let b90 = pathVertices(try #require(chart.withClass("band90").first?.attributes["d"]))
            let b50 = pathVertices(try #require(chart.withClass("band50").first?.attributes["d"]))
            for band in [b90, b50] {
                let xs = band.map(\.x)
                #expect(abs(xs.first! - median.first!.x) < 0.11 && abs(xs.last! - median.first!.x) < 0.11, "starts and ends on day 1")
                #expect(xs.contains { abs($0 - median.last!.x) < 0.11 }, "reaches the last day")
            }
            #expect(b90.map(\.y).min()! < b50.map(\.y).min()! && b90.map(\.y).max()! > b50.map(\.y).max()!)
            _ = days
        }
    }

    @Test("markers: D, comparison days, versions and change days — with size and probability — in each window")
    func markers() throws {
        let year = try Self.chart(.year)
        #expect(year.withClass("marker-comparison").count == 2)
        #expect(year.withClass("marker-version").count == 2)  // 120 → 121, 121 → 122
        #expect(year.withClass("marker-d").count == 1)
        #expect(year.withClass("marker-change").count == 2)
        #expect(year.texts.contains("v121") && year.texts.contains("v122") && !year.texts.contains("v120"))
        #expect(year.texts.contains("+3.1% p.93") && year.texts.contains("-0.7% p.55"))
        // Colour scaled by size: the 3.1% step up (worse, lower is better) is class w3, the 0.7% step down b1.
        #expect(year.withClass("marker-change").map { $0.classes.intersection(["w3", "b1"]) } == [["b1"], ["w3"]])
        #expect(year.titles.contains("2024-03-21: the level stepped +3.10% (P 0.93), 107.9 → 108 ms"))
        // The recent window keeps the markers inside it: the change day of January is not there.
        let recent = try Self.chart(.recent(days: Self.recentDays))
        #expect(recent.withClass("marker-change").count == 1)
        #expect(recent.withClass("marker-comparison").count == 2 && recent.withClass("marker-d").count == 1)
        #expect(recent.titles.contains { $0.hasPrefix("prev_week: 2024-03-24, change to D +1.00%") && $0.hasSuffix("level 108.3 → 109 ms") })
    }

    @Test("marker labels never overlap and stay inside the drawing, however crowded")
    func labelsDoNotOverlap() throws {
        // Crowd the end of the year: a change day on each of the last 12 days next to D and both comparisons.
        var results = ReportFixtures.results()
        results.changeDays = (78...89).map { ChangeDayRow(date: ReportFixtures.dayText($0), probability: 0.6, sizePercent: 1.5) }
        for window in [SeriesChart.Window.year, .recent(days: Self.recentDays)] {
            let chart = try Self.chart(window, results: results)
            let width = try #require(Double(chart.elements.first { $0.name == "svg" }?.attributes["width"] ?? ""))
            let labels = chart.elements.filter { $0.name == "text" && $0.attributes["textLength"] != nil }.map { label -> (x: Double, y: Double, w: Double) in
                (Double(label.attributes["x"]!)!, Double(label.attributes["y"]!)!, Double(label.attributes["textLength"]!)!)
            }
            #expect(labels.count == 12 + 2 + 2 + 1)
            for (i, a) in labels.enumerated() {
                #expect(a.x >= 0 && a.x + a.w <= width + 0.1, "inside the drawing")
                for b in labels[(i + 1)...] where abs(a.y - b.y) < 1 {
                    #expect(a.x + a.w <= b.x || b.x + b.w <= a.x, "labels at \(a) and \(b) overlap")
                }
            }
            // Rows are above the plot: the top margin grew to hold them.
            let plotTop = try #require(chart.withClass("axis-line").flatMap { [$0.attributes["y1"], $0.attributes["y2"]] }
                .compactMap { Double($0 ?? "") }.min())
            #expect(labels.allSatisfy { $0.y < plotTop })
        }
    }

    @Test("axes name months or weeks, and the unit")
    func axes() throws {
        let chart = try Self.chart(.year)
        #expect(chart.texts.contains("Feb 2024") && chart.texts.contains("Mar"))  // the first tick carries the year
        #expect(chart.texts.contains("ms"))
        #expect(chart.texts.contains("date (UTC)"))
        // Value ticks are round numbers within the data's range (levels 100 … 109 ± 5).
        let ticks = chart.texts.compactMap(Double.init)
        #expect(ticks.count >= 3)
        #expect(ticks.allSatisfy { (90...120).contains($0) })
        let recent = try Self.chart(.recent(days: Self.recentDays))
        #expect(recent.texts.contains("03-25") && recent.texts.contains("02-05"), "Mondays of the last weeks")
        // The recent window's value axis spans the window's data only (levels 103.5 … 109 ± 5).
        #expect(recent.texts.compactMap(Double.init).allSatisfy { (95...118).contains($0) })
    }

    @Test("large values get an SI suffix on the value axis")
    func largeValues() {
        #expect(SeriesChart.tickLabel(90_000_000, step: 5_000_000, largest: 92_000_000) == "90M")
        #expect(SeriesChart.tickLabel(187_500_000, step: 2_500_000, largest: 190_000_000) == "187.5M")
        #expect(SeriesChart.tickLabel(250_000, step: 50_000, largest: 260_000) == "250k")
        #expect(SeriesChart.tickLabel(1_500, step: 100, largest: 1_600) == "1500")
    }

    @Test("a failed fit has no chart")
    func failedFit() {
        #expect(SeriesChart.svg(series: ReportFixtures.series(), results: ReportFixtures.results(status: .failed)) == nil)
        #expect(SeriesChart.svg(series: ReportFixtures.series(), results: ReportFixtures.results(status: .failed),
                                window: .recentDefault) == nil)
    }
}
