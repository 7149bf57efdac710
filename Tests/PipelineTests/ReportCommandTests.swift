import Foundation
import Reports
import Testing

/// `slowreg report` and `--model` through the built executable.
@Suite("slowreg report / --model executables", .serialized, .timeLimit(.minutes(2)))
struct ReportCommandTests {
    @Test("report writes one HTML file of the selected series")
    func writesReport() throws {
        let store = try ReportContentTests.store()
        let directory = URL(fileURLWithPath: store.location).deletingLastPathComponent()
        let run = try CommandLineTests.run(["report", "--date", ReportFixtures.runDate, "--store", store.location,
                                            "--out", "report.html", "--suite", "tabpaint", "--suite", "tabswitch"],
                                           in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "report.html: 3 series, 1 with a regression\n")
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<details class=\"series\"").count - 1 == 3)
        #expect(!html.contains("sessionrestore"))

        let regressions = try CommandLineTests.run(["report", "--date", ReportFixtures.runDate, "--store", store.location,
                                                    "--out", "regressions.html", "--regressions-only"], in: directory)
        #expect(regressions.stdout == "regressions.html: 1 series, 1 with a regression\n")
    }

    @Test("a date without results exits 2 with a one-line message")
    func noResults() throws {
        let store = try ReportContentTests.store()
        let directory = URL(fileURLWithPath: store.location).deletingLastPathComponent()
        let run = try CommandLineTests.run(["report", "--date", "2024-04-01", "--store", store.location, "--out", "r.html"],
                                           in: directory)
        #expect(run.status == 2)
        #expect(run.stderr == "slowreg: \(ComparisonQueryError.noRun("2024-04-01"))\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("r.html").path))
    }

    @Test("fit --model with a typo'd key exits 2 naming the key")
    func modelTypo() throws {
        let directory = try TestSupport.temporaryDirectory()
        try TestSupport.write("priors:\n  sigma_scael: 1\n", to: "typo.yaml", in: directory)
        try TestSupport.write("time,y\n2024-01-01,1\n2024-01-02,2\n", to: "series.csv", in: directory)
        let run = try CommandLineTests.run(["fit", "series.csv", "--model", "typo.yaml"], in: directory)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("slowreg: typo.yaml: key \"priors.sigma_scael\": unknown key"))
    }
}
