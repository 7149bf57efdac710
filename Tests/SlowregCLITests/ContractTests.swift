import Foundation
import Testing
import Sampling

/// The contract schedulers and alerting scripts rely on, through the
/// executable: exit statuses of every command, one-line option errors,
/// `--date today|yesterday`, read-only commands that create nothing, failed
/// series retried, other models refitted, two processes that never fit a
/// series twice, `--timeout`, machine-readable summaries, terminal-safe names.
@Suite("The command-line contract", .serialized)
struct ContractTests {
    /// A store with two series (a 3% step on linux64, steady on windows10-64), ingested.
    static func ingestedStore(_ dir: ScratchDirectory, suite: String = "tabpaint", stepPercent: Double = 3) throws -> String {
        let store = dir.path("s.sqlite")
        var csv = "push_timestamp,value,machine_platform,suite,lower_is_better\n"
        for (platform, step, seed) in [("linux64", stepPercent, UInt64(11)), ("windows10-64", 0.0, UInt64(12))] {
            for line in seriesCSV(seed: seed, stepPercent: step).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                csv += "\(f[0]),\(f[1]),\(platform),\(suite),True\n"
            }
        }
        try csv.write(toFile: dir.path("runs.csv"), atomically: true, encoding: .utf8)
        let ingest = try Slowreg.run(["ingest", dir.path("runs.csv"), "--store", store])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return store
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static let short = ["--history-days", "120", "--warmup", "200", "--draws", "200", "--kept-draws", "200"]

    @Test("option errors are one line on stderr and exit 2, for every command")
    func optionErrorsExitTwo() throws {
        let cases: [[String]] = [
            ["alert", "--date", "2024-06-30", "--threshold", "1.5"],
            ["alert", "--date", "yesterday2"],
            ["compare", "--date", "2024-13-01"],
            ["run", "--date", "2024-06-30", "--history-days", "1"],
            ["run", "--date", "2024-06-30", "--timeout", "-3"],
            ["run"],
            ["report", "--date", "2024-06-30"],
            ["diagnose", "--format", "xml"],
            ["fit"],
            ["fit", "x.csv", "--chains", "0"],
            ["ingest"],
            ["demo", "--no-such-option"],
            ["no-such-command"],
            ["alert", "--date", "2024-06-30", "--min-change", "-1"],
        ]
        for arguments in cases {
            let r = try Slowreg.run(arguments)
            #expect(r.status == 2, "\(arguments): \(r.status) \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("slowreg: "), "\(arguments): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(arguments): \(r.stdout)")
        }
        for help in [["--help"], ["run", "--help"], ["alert", "--help"], ["--version"]] {
            #expect(try Slowreg.run(help).status == 0, "\(help)")
        }
    }

    @Test("read-only commands on a missing store: exit 2, nothing created")
    func readOnlyCommandsCreateNothing() throws {
        let dir = try ScratchDirectory()
        let missing = dir.path("typo.sqlite")
        for arguments in [["alert", "--date", "2024-06-30"], ["compare", "--date", "2024-06-30"],
                          ["report", "--date", "2024-06-30", "--out", dir.path("r.html")], ["diagnose"]] {
            let r = try Slowreg.run(arguments + ["--store", missing])
            #expect(r.status == 2 && r.stderr.contains("no store there"), "\(arguments): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }

    @Test("the daily cycle: exit statuses, summaries, retries, refits, read-only reads, today/yesterday")
    func dailyCycle() throws {
        let dir = try ScratchDirectory()
        let store = try Self.ingestedStore(dir)

        // A filter that matches nothing, or a day without data, is an error.
        let typo = try Slowreg.run(["run", "--date", "2024-06-30", "--suite", "typo", "--store", store])
        #expect(typo.status == 2 && typo.stderr.contains("no series matches --suite 'typo'"), "\(typo.stderr)")
        let empty = try Slowreg.run(["run", "--date", "2023-01-01", "--store", store])
        #expect(empty.status == 2 && empty.stderr.contains("has data from"), "\(empty.stderr)")
        let today = try Slowreg.run(["alert", "--date", "today", "--store", store])
        #expect(today.status == 2 && today.stderr.contains("no results are stored for run date"), "\(today.stderr)")

        let run = try Slowreg.run(["run", "--date", "2024-06-30", "--format", "json"] + Self.short + ["--store", store])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(run.stdout)
        #expect(summary["schema_version"] as? Int == 1 && summary["fitted"] as? Int == 2 && summary["failed"] as? Int == 0)
        #expect(summary["model"] as? String == "step-level v\(StepLevelFitter.modelVersion)", "the default model: \(summary)")
        // Logs on stderr with a timestamp and a level.
        #expect(run.stderr.contains(" info slowreg.run:"), "\(run.stderr)")
        #expect(run.stderr.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"#, options: .regularExpression) != nil)
        let quiet = try Slowreg.run(["run", "--date", "2024-06-30", "--quiet", "--format", "csv"] + Self.short + ["--store", store])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdout.hasPrefix("run_date,model,series,fitted,skipped,") && quiet.stdout.contains("2024-06-30,step-level v\(StepLevelFitter.modelVersion),2,0,2,"),
                "\(quiet.stdout)")

        // Another model: the stored fits are refitted, not skipped (and back again).
        let other = try Slowreg.run(["run", "--date", "2024-06-30", "--model", "reference", "--format", "json", "--quiet"]
                                    + Self.short + ["--store", store])
        #expect(try Self.json(other.stdout)["fitted"] as? Int == 2, "\(other.stdout)")
        let back = try Slowreg.run(["run", "--date", "2024-06-30", "--format", "json", "--quiet"] + Self.short + ["--store", store])
        #expect(try Self.json(back.stdout)["fitted"] as? Int == 2, "\(back.stdout)")

        // Read-only commands leave the store's bytes as they are.
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        for arguments in [["alert", "--date", "2024-06-30", "--format", "table"], ["compare", "--date", "2024-06-30"],
                          ["diagnose", "--format", "json"], ["diagnose", "--format", "csv"],
                          ["report", "--date", "2024-06-30", "--out", dir.path("r.html")]] {
            let r = try Slowreg.run(arguments + ["--store", store])
            #expect(r.status == 0 || (arguments[0] == "alert" && r.status == 1), "\(arguments): \(r.status) \(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        let diagnose = try Self.json(try Slowreg.run(["diagnose", "--format", "json", "--store", store]).stdout)
        #expect(diagnose["schema_version"] as? Int == 1 && diagnose["healthy"] as? Bool == true)
    }

    @Test("a failed series is retried by the next run, and alerts say whether they are new")
    func failedSeriesRetriedAndNewAlerts() throws {
        let dir = try ScratchDirectory()
        let store = dir.path("s.sqlite")
        // 2024-06-30: one day of data only, the fit fails; more data arrives; the next run fits it.
        try "push_timestamp,value,machine_platform,suite\n2024-06-30 01:00:00,1,linux64,tiny\n2024-06-30 02:00:00,2,linux64,tiny\n"
            .write(toFile: dir.path("tiny.csv"), atomically: true, encoding: .utf8)
        #expect(try Slowreg.run(["ingest", dir.path("tiny.csv"), "--store", store]).status == 0)
        let failing = try Slowreg.run(["run", "--date", "2024-06-30", "--format", "json", "--store", store])
        let failingSummary = try Self.json(failing.stdout)
        #expect(failing.status == 1 && failingSummary["failed"] as? Int == 1, "\(failing.stdout)")
        var more = "push_timestamp,value,machine_platform,suite\n"
        for day in 1...29 { more += String(format: "2024-06-%02d 01:00:00,%.3f,linux64,tiny\n", day, 1 + 0.01 * Double(day % 5)) }
        try more.write(toFile: dir.path("more.csv"), atomically: true, encoding: .utf8)
        #expect(try Slowreg.run(["ingest", dir.path("more.csv"), "--store", store]).status == 0)
        let retried = try Slowreg.run(["run", "--date", "2024-06-30", "--format", "json"] + Self.short + ["--store", store])
        let summary = try Self.json(retried.stdout)
        #expect(summary["fitted"] as? Int == 1 && summary["failed"] as? Int == 0, "\(retried.stdout) \(retried.stderr)")

        // The same step regression on two consecutive run dates: new, then not new.
        // (5%: a step the model dates to its day; a 3% step in 2% noise with
        // 1–5 runs a day is dated with P ≈ 0.5, and this checks the contract,
        // not the detection power the change study measures.)
        let dir2 = try ScratchDirectory()
        let store2 = try Self.ingestedStore(dir2, stepPercent: 5)
        for date in ["2024-06-29", "2024-06-30"] {
            #expect(try Slowreg.run(["run", "--date", date, "--quiet", "--history-days", "120", "--store", store2]).status == 0)
        }
        let alert = ["alert", "--min-change", "1", "--include-flagged", "--store", store2]
        let first = try Self.json(try Slowreg.run(alert + ["--date", "2024-06-29"]).stdout)
        let second = try Self.json(try Slowreg.run(alert + ["--date", "2024-06-30"]).stdout)
        let firstAlerts = try #require(first["alerts"] as? [[String: Any]])
        let secondAlerts = try #require(second["alerts"] as? [[String: Any]])
        #expect(firstAlerts.count == 1 && firstAlerts[0]["new"] as? Bool == true, "\(first)")
        #expect(secondAlerts.count == 1 && secondAlerts[0]["new"] as? Bool == false, "\(second)")
        #expect(firstAlerts[0]["id"] as? String != secondAlerts[0]["id"] as? String)
        // compare --format json lists the stored change days too.
        let compared = try Self.json(try Slowreg.run(["compare", "--date", "2024-06-29", "--format", "json", "--store", store2]).stdout)
        #expect((compared["change_days"] as? [[String: Any]])?.isEmpty == false, "\(compared)")
        // The step behind the alert is a change day of the default model, between D−14 and D.
        let changeDays = try #require(firstAlerts[0]["change_days"] as? [[String: Any]])
        #expect(changeDays.contains { ($0["size_percent"] as? Double ?? 0) > 1 && ($0["probability"] as? Double ?? 0) >= 0.5
                                      && ($0["date"] as? String ?? "") > "2024-06-15" }, "\(firstAlerts[0])")
        let onlyNew = try Slowreg.run(alert + ["--date", "2024-06-30", "--new-only"])
        #expect(onlyNew.status == 0, "no new alert: exit 0 (\(onlyNew.stdout))")
    }

    @Test("a constant series is one clear error in fit, and a stored failure in run that the others survive")
    func constantSeries() throws {
        let dir = try ScratchDirectory()
        var constant = "time,value\n"
        for d in 0..<60 { for r in 0..<3 { constant += "\(1_714_521_600 + d * 86_400 + r * 3_600),100\n" } }
        try constant.write(toFile: dir.path("constant.csv"), atomically: true, encoding: .utf8)
        let byDefault = try Slowreg.run(["fit", dir.path("constant.csv")])
        #expect(byDefault.status == 2 && byDefault.stderr.contains("constant series"), "default model: \(byDefault.stderr)")
        for sampler in ["gibbs", "nuts", "metropolis"] {
            for noise in ["gaussian", "student-t"] {
                let r = try Slowreg.run(["fit", dir.path("constant.csv"), "--model", "reference", "--sampler", sampler,
                                         "--noise", noise])
                #expect(r.status == 2 && r.stderr.contains("constant series"), "\(sampler) \(noise): \(r.status) \(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1)
            }
        }
        let store = try Self.ingestedStore(dir)
        var csv = "push_timestamp,value,machine_platform,suite\n"
        for line in constant.split(separator: "\n").dropFirst() { csv += "\(line),linux64,flat\n" }
        try csv.write(toFile: dir.path("flat.csv"), atomically: true, encoding: .utf8)
        #expect(try Slowreg.run(["ingest", dir.path("flat.csv"), "--store", store]).status == 0)
        let run = try Slowreg.run(["run", "--date", "2024-06-29", "--format", "json", "--quiet"] + Self.short + ["--store", store])
        let summary = try Self.json(run.stdout)
        #expect(run.status == 1 && summary["fitted"] as? Int == 2 && summary["failed"] as? Int == 1, "\(run.stdout)")
    }

    @Test("two run processes on one store fit every series exactly once")
    func concurrentRunsFitEachSeriesOnce() throws {
        let dir = try ScratchDirectory()
        let store = dir.path("s.sqlite")
        var csv = "push_timestamp,value,machine_platform,suite,lower_is_better\n"
        for k in 0..<8 {
            for line in seriesCSV(seed: UInt64(100 + k), stepPercent: 0, days: 60).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                csv += "\(f[0]),\(f[1]),platform\(k),suite,True\n"
            }
        }
        try csv.write(toFile: dir.path("runs.csv"), atomically: true, encoding: .utf8)
        #expect(try Slowreg.run(["ingest", dir.path("runs.csv"), "--store", store]).status == 0)
        let arguments = ["run", "--date", "2024-06-30", "--history-days", "60", "--format", "json", "--quiet",
                         "--threads", "1", "--store", store]
        let results = try [0, 1].map { _ in try Slowreg.start(arguments) }.map { try Slowreg.wait($0) }
        var fitted = 0, skipped = 0, claimed = 0
        for r in results {
            #expect(r.status == 0, "\(r.stderr)")
            let s = try Self.json(r.stdout)
            fitted += s["fitted"] as? Int ?? -100
            skipped += s["skipped"] as? Int ?? -100
            claimed += s["claimed_elsewhere"] as? Int ?? -100
        }
        #expect(fitted == 8, "each of the 8 series fitted once: fitted \(fitted), skipped \(skipped), claimed elsewhere \(claimed)")
        #expect(fitted + skipped + claimed == 16)
    }

    @Test("run --timeout stops starting series, keeps what is stored, exits 1; the next run finishes")
    func timeoutStopsCleanly() throws {
        let dir = try ScratchDirectory()
        let store = try Self.ingestedStore(dir)
        let stopped = try Slowreg.run(["run", "--date", "2024-06-30", "--timeout", "0.001", "--format", "json", "--threads", "1"]
                                      + Self.short + ["--store", store])
        #expect(stopped.status == 1, "\(stopped.stdout)")
        let summary = try Self.json(stopped.stdout)
        let fitted = summary["fitted"] as? Int ?? -1
        #expect(summary["not_started"] as? Int == 2 - fitted && fitted < 2, "\(stopped.stdout)")
        #expect(stopped.stderr.contains("warning") && stopped.stderr.contains("timeout"), "\(stopped.stderr)")
        let rest = try Slowreg.run(["run", "--date", "2024-06-30", "--format", "json", "--quiet"] + Self.short + ["--store", store])
        let restSummary = try Self.json(rest.stdout)
        #expect(rest.status == 0 && restSummary["fitted"] as? Int == 2 - fitted, "\(rest.stdout)")
    }

    @Test("a name with an escape sequence is refused at ingest with one visible error line; nothing is stored")
    func controlCharactersInNames() throws {
        let dir = try ScratchDirectory()
        let store = dir.path("s.sqlite")
        try "push_timestamp,value,machine_platform,suite\n2024-06-30 01:00:00,1,linux64,evil\u{1B}[2Jname\n"
            .write(toFile: dir.path("evil.csv"), atomically: true, encoding: .utf8)
        let r = try Slowreg.run(["ingest", dir.path("evil.csv"), "--store", store])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(!r.stderr.contains("\u{1B}") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
