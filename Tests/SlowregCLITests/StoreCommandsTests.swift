import Testing
import Foundation

/// The store commands as a user runs them: `compare --days` on what a default
/// `run` stored, `export`, `prune` (issues 13 and 14).
struct StoreCommandsTests {
    /// A store with two 60-day series (one with a 3% step) and a default
    /// `run` for 2024-06-30.
    static func defaultRunStore(_ dir: ScratchDirectory, _ backend: CLIStore = .sqlite, _ label: String = #function) throws -> String {
        let store = try backend.location(dir, label)
        var csv = "push_timestamp,value,machine_platform,suite,lower_is_better\n"
        for (platform, step) in [("linux64", 3.0), ("windows10-64", 0.0)] {
            for line in seriesCSV(seed: platform.count == 7 ? 11 : 12, stepPercent: step, days: 60).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                csv += "\(f[0]),\(f[1]),\(platform),tabpaint,True\n"
            }
        }
        try csv.write(toFile: dir.path("runs.csv"), atomically: true, encoding: .utf8)
        let ingest = try Slowreg.run(["ingest", dir.path("runs.csv"), "--store", store])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let run = try Slowreg.run(["run", "--date", "2024-06-30", "--history-days", "60", "--store", store])
        #expect(run.status == 0, "\(run.stderr)")
        return store
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("compare --days works for every day of the fitted range on a store made by a default run",
          arguments: CLIStore.available)
    func compareAnyDayAfterDefaultRun(backend: CLIStore) throws {
        let dir = try ScratchDirectory()
        let store = try Self.defaultRunStore(dir, backend)
        // Every day of the fitted range, from the stored intervals (export).
        let intervals = try Slowreg.run(["export", "--date", "2024-06-30", "--what", "intervals", "--store", store,
                                         "--platform", "linux64"])
        #expect(intervals.status == 0, "\(intervals.stderr)")
        let days = intervals.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[6]) }
        #expect(days.count >= 55 && days.last == "2024-06-30", "\(days.count) days")

        let compare = try Slowreg.run(["compare", "--date", "2024-06-30", "--days"] + days
                                      + ["--min-change", "1", "--format", "json", "--store", store])
        #expect(compare.status == 0, "\(compare.stderr)")
        let rows = try #require(try Self.json(compare.stdout)["comparisons"] as? [[String: Any]])
        #expect(rows.count == 2 * days.count, "every day, for every series")
        for row in rows {
            let pWorse = try #require(row["p_worse"] as? Double), beyond = try #require(row["p_worse_beyond"] as? Double)
            #expect((0...1).contains(pWorse) && beyond <= pWorse && row["min_change"] as? Double == 1)
        }
        let selfComparison = rows.filter { $0["date"] as? String == "2024-06-30" }
        #expect(selfComparison.count == 2 && selfComparison.allSatisfy { $0["p50"] as? Double == 0 && $0["p_worse"] as? Double == 0 })
        // The 3% step 10 days before the end: D is worse than 20 days before, not than 2 days before.
        let linux = rows.filter { $0["platform"] as? String == "linux64" }
        let before = try #require(linux.first { $0["date"] as? String == "2024-06-10" })
        #expect((before["p_worse"] as? Double ?? 0) > 0.95, "\(before)")

        let outside = try Slowreg.run(["compare", "--date", "2024-06-30", "--days", "2023-01-01", "--store", store])
        #expect(outside.status == 2 && outside.stderr.contains("no stored draws for 2023-01-01"), "\(outside.stderr)")

        // The report reads the same store on either backend.
        let report = try Slowreg.run(["report", "--date", "2024-06-30", "--out", dir.path("report.html"), "--store", store])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: dir.path("report.html"), encoding: .utf8)
        #expect(html.contains("linux64") && html.contains("windows10-64"))
    }

    @Test("export writes one file per table: CSV with a header, NDJSON one object per line, the stored values",
          arguments: CLIStore.available)
    func exportFiles(backend: CLIStore) throws {
        let dir = try ScratchDirectory()
        let store = try Self.defaultRunStore(dir, backend)
        let out = dir.path("export")
        let csv = try Slowreg.run(["export", "--date", "2024-06-30", "--out", out, "--store", store])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["comparisons.csv", "draws.csv", "intervals.csv"])
        let comparisons = try String(contentsOfFile: out + "/comparisons.csv", encoding: .utf8)
        let compare = try Slowreg.run(["compare", "--date", "2024-06-30", "--format", "csv", "--store", store])
        #expect(comparisons == compare.stdout, "comparisons as `compare --format csv` prints them")
        let draws = try String(contentsOfFile: out + "/draws.csv", encoding: .utf8).split(separator: "\n")
        #expect(draws[0] == "project,suite,test,platform,run_date,day,date,draw,level,predictive")
        #expect(draws.count - 1 == 2 * 60 * 1000, "1,000 draws of every fitted day of both series")

        let ndjson = try Slowreg.run(["export", "--date", "2024-06-30", "--what", "draws", "--format", "ndjson",
                                      "--days", "2024-06-30", "2024-06-16", "--platform", "linux64", "--store", store])
        #expect(ndjson.status == 0, "\(ndjson.stderr)")
        let lines = ndjson.stdout.split(separator: "\n")
        #expect(lines.count == 2 * 1000)
        var levels: [String: [Int: Double]] = [:]
        for line in lines {
            let object = try Self.json(String(line))
            #expect(object.keys.sorted() == ["date", "day", "draw", "level", "platform", "predictive", "project", "run_date", "suite", "test"])
            levels[object["date"] as? String ?? "", default: [:]][object["draw"] as? Int ?? -1] = object["level"] as? Double
        }
        // Round trip: the exported paired draws give the stored comparison with D−14.
        let now = try #require(levels["2024-06-30"]), then = try #require(levels["2024-06-16"])
        let worse = Double((0..<1000).filter { (now[$0] ?? 0) > (then[$0] ?? 0) }.count) / 1000
        let stored = try Self.json(try Slowreg.run(["compare", "--date", "2024-06-30", "--days", "2024-06-16", "--platform", "linux64",
                                                    "--format", "json", "--store", store]).stdout)
        let row = try #require((stored["comparisons"] as? [[String: Any]])?.first)
        #expect(row["p_worse"] as? Double == worse)

        let bad = try Slowreg.run(["export", "--date", "2024-06-30", "--store", store])
        #expect(bad.status == 2 && bad.stderr.contains("--out -"), "\(bad.stderr)")
        let noRun = try Slowreg.run(["export", "--date", "2024-07-01", "--out", dir.path("none"), "--store", store])
        #expect(noRun.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.path("none")), "nothing written")
    }

    @Test("prune: --help, a dry run that changes nothing, one run date kept, bad options exit 2",
          arguments: CLIStore.available)
    func pruneCommand(backend: CLIStore) throws {
        let dir = try ScratchDirectory()
        let store = try Self.defaultRunStore(dir, backend)
        let next = try Slowreg.run(["run", "--date", "2024-07-01", "--history-days", "60", "--store", store])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try Slowreg.run(["prune", "--help"]).stdout.contains("--keep-run-dates"))

        func contents() throws -> String {
            backend == .sqlite ? try Data(contentsOf: URL(fileURLWithPath: store)).base64EncodedString()
                : try Slowreg.run(["diagnose", "--format", "json", "--store", store]).stdout
        }
        let before = try contents()
        let dry = try Slowreg.run(["prune", "--keep-run-dates", "1", "--dry-run", "--format", "json", "--store", store])
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try Self.json(dry.stdout)
        #expect(plan["removed_run_dates"] as? [String] == ["2024-06-30"] && plan["dry_run"] as? Bool == true)
        #expect(try contents() == before)

        let prune = try Slowreg.run(["prune", "--keep-run-dates", "1", "--vacuum", "--store", store])
        #expect(prune.status == 0 && prune.stdout.contains("removed 1 run dates"), "\(prune.stdout)\(prune.stderr)")
        #expect(try Slowreg.run(["compare", "--date", "2024-06-30", "--store", store]).status == 2)
        #expect(try Slowreg.run(["compare", "--date", "2024-07-01", "--store", store]).status == 0)

        for bad in [["prune"], ["prune", "--keep-run-dates", "0"], ["prune", "--keep-days", "x"],
                    ["prune", "--keep-days", "3", "--dry-run", "--vacuum"]] {
            let r = try Slowreg.run(bad + ["--store", store])
            #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1, "\(bad): \(r.stderr)")
        }
        let missing = try Slowreg.run(["prune", "--keep-days", "3", "--store", dir.path("nothing.sqlite")])
        #expect(missing.status == 2 && !FileManager.default.fileExists(atPath: dir.path("nothing.sqlite")))
    }
}
