import Testing
import Foundation

/// The daily cycle through the executable: ingest, run, compare, alert.
@Test func ingestRunCompareAndAlertOnAStepRegression() throws {
    let dir = try ScratchDirectory()
    let store = dir.path("s.sqlite")
    // Two series in the Treeherder export layout: one with a 3% step, one steady.
    var csv = "push_timestamp,value,machine_platform,suite,lower_is_better\n"
    for (platform, step) in [("linux64", 3.0), ("windows10-64", 0.0)] {
        for line in seriesCSV(seed: platform.count == 7 ? 11 : 12, stepPercent: step).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            csv += "\(f[0]),\(f[1]),\(platform),tabpaint,True\n"
        }
    }
    try csv.write(toFile: dir.path("runs.csv"), atomically: true, encoding: .utf8)
    let ingest = try Slowreg.run(["ingest", dir.path("runs.csv"), "--store", store])
    #expect(ingest.status == 0, "\(ingest.stderr)")

    let run = try Slowreg.run(["run", "--date", "2024-06-30", "--history-days", "120", "--store", store])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("fitted                    2"), "\(run.stdout)")

    let again = try Slowreg.run(["run", "--date", "2024-06-30", "--history-days", "120", "--store", store])
    #expect(again.stdout.contains("skipped (already stored)  2"), "a second run skips stored series: \(again.stdout)")

    let compare = try Slowreg.run(["compare", "--date", "2024-06-30", "--format", "json", "--store", store])
    #expect(compare.status == 0)
    let document = try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as! [String: Any]
    #expect(document["schema_version"] as? Int == 1 && document["run_date"] as? String == "2024-06-30")
    let rows = document["comparisons"] as! [[String: Any]]
    #expect(rows.count == 4, "two comparison days per series (no version calendar)")
    for key in ["project", "suite", "test", "platform", "run_date", "label", "date", "p05", "p10", "p50", "p90", "p95",
                "p_worse", "min_change", "threshold", "p_worse_beyond", "regression", "alert", "status", "model"] {
        #expect(rows[0][key] != nil, "compare JSON has \(key)")
    }
    let linuxTwoWeeks = rows.first { ($0["platform"] as! String) == "linux64" && ($0["label"] as! String) == "prev_week2" }!
    #expect((linuxTwoWeeks["p_worse"] as! Double) > 0.95)

    // The smoother attenuates a step at the end (the reference model's known
    // weakness), so the alert here asks for a 1% minimum change.
    let alert = try Slowreg.run(["alert", "--date", "2024-06-30", "--min-change", "1", "--store", store])
    #expect(alert.status == 1, "an alert fires: exit 1 (\(alert.stdout))")
    let alertDocument = try JSONSerialization.jsonObject(with: Data(alert.stdout.utf8)) as! [String: Any]
    #expect(alertDocument["schema_version"] as? Int == 1)
    let alerts = alertDocument["alerts"] as! [[String: Any]]
    #expect(alerts.count == 1 && (alerts[0]["platform"] as! String) == "linux64", "one alert per series")
    #expect(alerts[0]["new"] as? Bool == true && alerts[0]["status"] as? String == "good")
    #expect((alerts[0]["id"] as? String)?.hasSuffix("-2024-06-30") == true)

    let quiet = try Slowreg.run(["alert", "--date", "2024-06-30", "--platform", "windows10-64", "--store", store])
    #expect(quiet.status == 0, "no alert: exit 0 (\(quiet.stdout))")
    let quietDocument = try JSONSerialization.jsonObject(with: Data(quiet.stdout.utf8)) as! [String: Any]
    #expect((quietDocument["alerts"] as? [Any])?.isEmpty == true)

    let missing = try Slowreg.run(["alert", "--date", "2024-07-01", "--store", store])
    #expect(missing.status == 2, "no such run date: exit 2")

    let badDate = try Slowreg.run(["alert", "--date", "30/06/2024", "--store", store])
    #expect(badDate.status == 2 && badDate.stderr.split(separator: "\n").count == 1, "\(badDate.stderr)")

    let health = try Slowreg.run(["diagnose", "--store", store])
    #expect(health.status == 0, "\(health.stdout)")
    #expect(health.stdout.contains("2024-06-30") && health.stdout.contains("healthy"))
}

@Test func diagnoseReportsAFailedSeriesAndExitsOne() throws {
    let dir = try ScratchDirectory()
    let store = dir.path("s.sqlite")
    // A series with runs on one day only cannot be fitted.
    try "push_timestamp,value,machine_platform,suite\n2024-06-30 01:00:00,1,linux64,tiny\n2024-06-30 02:00:00,2,linux64,tiny\n"
        .write(toFile: dir.path("tiny.csv"), atomically: true, encoding: .utf8)
    #expect(try Slowreg.run(["ingest", dir.path("tiny.csv"), "--store", store]).status == 0)
    let run = try Slowreg.run(["run", "--date", "2024-06-30", "--store", store])
    #expect(run.status == 1, "a failed series makes the run exit 1: \(run.stdout)")
    #expect(run.stderr.contains("tiny"))
    let health = try Slowreg.run(["diagnose", "--store", store])
    #expect(health.status == 1)
    #expect(health.stdout.contains("1 series failed"))
    #expect(try Slowreg.run(["diagnose", "--store", dir.path("absent.sqlite")]).status == 2)
}

/// `slowreg fetch` runs the helper `slowreg-fetch` in its place: the helper's
/// help, its validation errors (exit 2) and its network failures (exit 1, one
/// line naming the URL, the store untouched) reach the user unchanged.
@Test func fetchRunsTheNetworkHelperWithItsExitStatus() throws {
    let dir = try ScratchDirectory()
    let store = dir.path("s.sqlite")
    let help = try Slowreg.run(["fetch", "--help"])
    #expect(help.status == 0 && help.stdout.contains("--project") && help.stdout.contains("slowreg fetch"), "\(help.stdout)")

    let invalid = try Slowreg.run(["fetch", "--project", "p", "--base-url", "ftp://example.org", "--store", store])
    // One exit-code contract: option validation is bad usage, exit 2, one line.
    #expect(invalid.status == 2, "validation error: \(invalid.status) \(invalid.stderr)")
    #expect(invalid.stderr.split(separator: "\n").count == 1, "\(invalid.stderr)")
    #expect(invalid.stderr.contains("is not an http(s) URL"), "\(invalid.stderr)")

    let refused = try Slowreg.run(["fetch", "--project", "p", "--base-url", "http://127.0.0.1:1", "--retries", "0",
                                   "--store", store])
    #expect(refused.status == 1, "\(refused.stderr)")
    #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("http://127.0.0.1:1/api/"),
            "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: store), "nothing fetched, no store created")
}
