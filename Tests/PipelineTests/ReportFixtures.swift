import Foundation
import Pipeline
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

    static func results(seriesId: Int64 = 1, pWorse: Double = 0.9, regression: Bool = true,
                        status: StoredFitStatus = .good) -> SeriesResults {
        guard status != .failed else {
            return SeriesResults(runDate: runDate, seriesId: seriesId, diagnostics: diagnostics(.failed))
        }
        return SeriesResults(runDate: runDate, seriesId: seriesId, modelInput: modelInput(), intervals: intervals(),
                             draws: draws { 1 + 0.01 * Double($0 % 50) }, diagnostics: diagnostics(status),
                             comparisons: comparisons(pWorse: pWorse, regression: regression))
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
        currentText = ""
    }

    func withClass(_ name: String) -> [Element] { elements.filter { $0.classes.contains(name) } }
}

/// The vertices of SVG path data made of `M`/`L` commands (and `Z`).
func pathVertices(_ d: String) -> [(x: Double, y: Double)] {
    let tokens = d.split(whereSeparator: { $0 == " " })
    var vertices: [(x: Double, y: Double)] = []
    var i = 0
    while i < tokens.count {
        var token = tokens[i]
        if token == "Z" { i += 1; continue }
        if token.first == "M" || token.first == "L" { token = token.dropFirst() }
        guard let x = Double(token), i + 1 < tokens.count, let y = Double(tokens[i + 1]) else { return [] }
        vertices.append((x, y))
        i += 2
    }
    return vertices
}
