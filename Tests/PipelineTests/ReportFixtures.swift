import Foundation
import Store
import Reports
import NumericCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Synthetic stored results for the report tests: known runs, bands, markers
/// and draws, so every element of a chart can be counted.
enum ReportFixtures {
    static let firstDay = "2024-01-01"
    static let runDate = "2024-03-31"
    /// 2024-01-01 … 2024-03-31.
    static let dayCount = 91
    static let comparisonDates = ["prev_week": "2024-03-24", "prev_week2": "2024-03-17"]
    static let drawCount = 200

    static func dayText(_ offset: Int) -> String {
        StoreTime.dayText(daysSinceEpoch: StoreTime.daysSinceEpoch(dayText: firstDay)! + offset)
    }

    static func level(_ day: Int) -> Double { 100 + 0.1 * Double(day) }

    /// Runs: none on every fifth day (gaps), else 1–3 a day; one outlier inside
    /// the bands' range (day 10) and one far outside it (day 20). Major version
    /// 120 until day 39, 121 until day 74, then 122 (two boundaries).
    static func modelInput() -> [ModelInputRow] {
        var rows: [ModelInputRow] = []
        let start = Date(timeIntervalSince1970: Double(StoreTime.daysSinceEpoch(dayText: firstDay)!) * 86_400)
        for day in 0..<dayCount where day % 5 != 3 {
            for run in 0..<(1 + day % 3) {
                let time = start.addingTimeInterval(Double(day) * 86_400 + Double(8 + 4 * run) * 3600)
                var y = level(day) + Double((day * 7 + run * 3) % 9 - 4) * 0.5
                var outlier = false
                if day == 10 && run == 0 { y = level(day) + 6; outlier = true }
                if day == 20 && run == 0 { y = level(day) + 1000; outlier = true }
                let major = day < 40 ? 120 : (day < 75 ? 121 : 122)
                rows.append(ModelInputRow(time: time, day: day, y: y, z: outlier ? 9.5 : 0.1, outlier: outlier, majorVersion: major))
            }
        }
        return rows
    }

    static func intervals() -> [IntervalRow] {
        (0..<dayCount).map { day in
            let l = level(day)
            return IntervalRow(day: day, date: dayText(day), levelP05: l - 1, levelP25: l - 0.5, levelP50: l,
                               levelP75: l + 0.5, levelP95: l + 1, p05: l - 5, p15: l - 3.6, p16: l - 3.5, p25: l - 2.5,
                               p50: l, p75: l + 2.5, p84: l + 3.5, p85: l + 3.6, p95: l + 5,
                               rawP05: l - 4.5, rawP50: l, rawP95: l + 4.5)
        }
    }

    /// Draws of D and of both comparison days. The level of D in draw `d` is
    /// that of the comparison day times `1 + change(d)/100`.
    static func draws(change: (Int) -> Double) -> [DayDraws] {
        let baselines = (0..<drawCount).map { 100 + 3 * sin(Double($0) * 0.7) }
        return [(76, comparisonDates["prev_week2"]!), (83, comparisonDates["prev_week"]!), (90, runDate)].map { offset, date in
            DayDraws(day: offset, date: date,
                     level: (0..<drawCount).map { Float(offset == 90 ? baselines[$0] * (1 + change($0) / 100) : baselines[$0]) },
                     predictive: baselines.map { Float($0) })
        }
    }

    static func comparisons(pWorse: Double, regression: Bool) -> [ComparisonRow] {
        [ComparisonRow(label: "prev_week", date: comparisonDates["prev_week"]!, p05: 0.2, p10: 0.4, p50: 1.0, p90: 1.6, p95: 1.8,
                       pWorse: pWorse, regression: regression, alert: regression),
         ComparisonRow(label: "prev_week2", date: comparisonDates["prev_week2"]!, p05: -0.8, p10: -0.5, p50: 0.3, p90: 1.1,
                       p95: 1.4, pWorse: pWorse * 0.7, regression: false, alert: false)]
    }

    static func diagnostics(_ status: StoredFitStatus) -> DiagnosticsRow {
        DiagnosticsRow(model: "spline-gaussian", sampler: "gibbs", noise: "gaussian", status: status,
                       reasons: status == .flagged ? "max R̂ 1.030 > 1.01" : "",
                       error: status == .failed ? "only 3 non-outlier points to fit" : "",
                       nPoints: 150, nOutliers: 2, firstDate: firstDay, lastDate: runDate, k: 12, nDivergent: 0,
                       maxRhat: 1.002, minEssBulk: 900, minEssTail: 800, minBfmi: 0.9)
    }

    /// Two change days: a 3% step up on day 80 (2024-03-21, probable) and an
    /// earlier small step down on day 30 (2024-01-31).
    static let changeDays = [ChangeDayRow(date: dayText(30), probability: 0.55, sizePercent: -0.7),
                             ChangeDayRow(date: dayText(80), probability: 0.93, sizePercent: 3.1)]

    static func results(seriesId: Int64 = 1, pWorse: Double = 0.9, regression: Bool = true,
                        status: StoredFitStatus = .good) -> SeriesResults {
        guard status != .failed else {
            return SeriesResults(runDate: runDate, seriesId: seriesId, diagnostics: diagnostics(.failed))
        }
        return SeriesResults(runDate: runDate, seriesId: seriesId, modelInput: modelInput(), intervals: intervals(),
                             draws: draws { 1 + 0.01 * Double($0 % 50) }, diagnostics: diagnostics(status),
                             comparisons: comparisons(pWorse: pWorse, regression: regression), changeDays: changeDays)
    }

    /// A revision for every run: `rev` and the run's index, zero-padded to 12 characters.
    static func revisions(_ input: [ModelInputRow] = modelInput()) -> [Date: String] {
        Dictionary(uniqueKeysWithValues: input.enumerated().map { ($0.element.time, String(format: "rev%09d", $0.offset)) })
    }

    static func series(id: Int64 = 1, suite: String = "tabswitch", platform: String = "linux64-shippable",
                       lowerIsBetter: Bool? = true) -> SeriesRecord {
        SeriesRecord(id: id, project: "mozilla-beta", suite: suite, test: "", platform: platform, framework: "talos",
                     sname: suite, os: "linux", lowerIsBetter: lowerIsBetter, unit: "ms")
    }
}

/// The elements of an XML document (the SVG of a chart), parsed by
/// Foundation's XMLParser so that a test also checks the markup is well formed.
final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    }

    private(set) var elements: [Element] = []
    private(set) var texts: [String] = []
    /// The text of every `<title>` (hover details), in document order.
    private(set) var titles: [String] = []
    private var currentText = ""

    /// Parses `xml`; nil when it is not well-formed.
    static func parse(_ xml: String) -> XMLElements? {
        let collector = XMLElements()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(currentText) }
        if name == "title" { titles.append(currentText) }
        currentText = ""
    }

    func withClass(_ name: String) -> [Element] { elements.filter { $0.classes.contains(name) } }
}

/// The vertices of SVG path data (`M`, `m`, `L`, `l`, `H`, `h`, `V`, `v`, `Z`/`z`, commands
/// repeated implicitly), as absolute points: what a browser draws through.
func pathVertices(_ d: String) -> [(x: Double, y: Double)] {
    // Tokens: command letters and numbers ("-" and a second "." start a new number).
    var tokens: [String] = []
    var number = ""
    func flush() { if !number.isEmpty { tokens.append(number); number = "" } }
    for c in d {
        if c.isLetter { flush(); tokens.append(String(c)) }
        else if c == " " || c == "," { flush() }
        else if c == "-" { flush(); number = "-" }
        else if c == "." && number.contains(".") { flush(); number = "." }
        else { number.append(c) }
    }
    flush()
    var vertices: [(x: Double, y: Double)] = []
    var (x, y) = (0.0, 0.0)
    var command = "M"
    var i = 0
    func next() -> Double? { i < tokens.count ? Double(tokens[i]).map { i += 1; return $0 } : nil }
    while i < tokens.count {
        if Double(tokens[i]) == nil { command = tokens[i]; i += 1; if command == "Z" || command == "z" { continue } }
        switch command {
        case "M", "L": guard let a = next(), let b = next() else { return [] }; (x, y) = (a, b)
        case "m", "l": guard let a = next(), let b = next() else { return [] }; (x, y) = (x + a, y + b)
        case "H": guard let a = next() else { return [] }; x = a
        case "h": guard let a = next() else { return [] }; x += a
        case "V": guard let a = next() else { return [] }; y = a
        case "v": guard let a = next() else { return [] }; y += a
        default: return []
        }
        vertices.append((x, y))
        // After a move, repeated pairs are line-tos of the same kind.
        if command == "M" { command = "L" } else if command == "m" { command = "l" }
    }
    return vertices
}

/// A year-long series as large as the report meets: `runsPerDay` runs every
/// day with 40-character revisions, a level that wanders every day (the worst
/// case for path simplification), 1% outliers, a version every four weeks,
/// four comparisons with 1,000 draws each, and `changeDays` change days.
enum YearFixture {
    static let runDate = "2024-05-06"
    static let dayCount = 365

    static func entry(id: Int64 = 1, runsPerDay: Int, changeDays: Int = 10, seed: UInt64 = 3) -> ReportSeries {
        var rng = RandomStream(seed: seed, stream: UInt64(id))
        let last = StoreTime.daysSinceEpoch(dayText: runDate)!
        let first = last - dayCount + 1
        var level = 1000.0
        var levels: [Double] = []
        var input: [ModelInputRow] = []
        var intervals: [IntervalRow] = []
        var revisions: [Date: String] = [:]
        for d in 0..<dayCount {
            level *= 1 + 0.002 * rng.standardNormal()
            levels.append(level)
            for r in 0..<runsPerDay {
                let time = Date(timeIntervalSince1970: Double((first + d) * 86_400 + 3_600 * (2 + 4 * r) + Int(600 * rng.uniform())))
                let outlier = rng.uniform() < 0.01
                let y = level * (1 + 0.03 * rng.standardNormal()) * (outlier ? 1.5 : 1)
                input.append(ModelInputRow(time: time, day: d, y: y, z: outlier ? 8.2 : 0.4, outlier: outlier, majorVersion: 113 + d / 28))
                revisions[time] = (0..<5).map { _ in String(format: "%08x", UInt32(truncatingIfNeeded: rng.next())) }.joined()
            }
            let l = level
            intervals.append(IntervalRow(day: d, date: StoreTime.dayText(daysSinceEpoch: first + d),
                                         levelP05: l * 0.99, levelP25: l * 0.995, levelP50: l, levelP75: l * 1.005, levelP95: l * 1.01,
                                         p05: l * 0.95, p15: l * 0.97, p16: l * 0.97, p25: l * 0.98, p50: l, p75: l * 1.02,
                                         p84: l * 1.03, p85: l * 1.03, p95: l * 1.05, rawP05: l * 0.96, rawP50: l, rawP95: l * 1.04))
        }
        let compared = [(7, "prev_week"), (14, "prev_week2"), (40, "v125"), (70, "v124")]
        var draws: [DayDraws] = []
        for (back, _) in [(0, "D")] + compared {
            let d = dayCount - 1 - back
            let level = (0..<1000).map { _ in Float(levels[d] * (1 + 0.004 * rng.standardNormal())) }
            draws.append(DayDraws(day: d, date: intervals[d].date, level: level,
                                  predictive: [Float](repeating: Float(levels[d]), count: 1000)))
        }
        let comparisons = compared.map { (back: Int, label: String) -> ComparisonRow in
            ComparisonRow(label: label, date: intervals[dayCount - 1 - back].date, p05: -1.5, p10: -1.2, p50: 2.5, p90: 3.1, p95: 3.6,
                          pWorse: 0.97, regression: true, alert: true, minChange: 2, threshold: 0.8, pWorseBeyond: 0.85)
        }
        let changes = (0..<changeDays).map { (k: Int) -> ChangeDayRow in
            let size: Double = k % 2 == 0 ? 3.2 : -1.4
            let probability: Double = 0.5 + 0.04 * Double(k)
            return ChangeDayRow(date: intervals[dayCount - 2 - 9 * k].date, probability: probability, sizePercent: size)
        }
        let diagnostics = DiagnosticsRow(model: "step-level v1", sampler: "gibbs", noise: "student-t", status: .good,
                                         nPoints: input.count, nOutliers: input.filter(\.outlier).count,
                                         firstDate: intervals.first!.date, lastDate: runDate, k: dayCount, nDivergent: 0,
                                         maxRhat: 1.004, minEssBulk: 850, minEssTail: 700, minBfmi: 0.95, recalibrationFactor: 1.04,
                                         modesSummary: "2 modes found; 71% in mode 1; 29% in mode 2")
        let results = SeriesResults(runDate: runDate, seriesId: id, modelInput: input, intervals: intervals, draws: draws,
                                    diagnostics: diagnostics, comparisons: comparisons, changeDays: changes)
        let series = SeriesRecord(id: id, project: "mozilla-beta", suite: "raptor-tp6-amazon-firefox-cold-fcp",
                                  test: "fcp-subtest-with-a-long-name", platform: "android-hw-p2-8-0-android-aarch64-shippable",
                                  framework: "raptor", sname: "tp6-cold", os: "android", lowerIsBetter: true, unit: "ms")
        return ReportSeries(series: series, results: results, revisions: revisions)
    }
}
