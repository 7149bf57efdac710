import Testing
import Foundation
import NumericCore
import Sampling

@Test func fitFindsAThreePercentStepRegressionAgainstTwoWeeksEarlier() throws {
    let dir = try ScratchDirectory()
    try seriesCSV(seed: 1, stepPercent: 3).write(toFile: dir.path("step.csv"), atomically: true, encoding: .utf8)
    let r = try Slowreg.run(["fit", dir.path("step.csv"), "--compare", "2024-06-16", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let comparisons = json["comparisons"] as! [[String: Any]]
    #expect(comparisons.count == 1)
    let pWorse = comparisons[0]["p_worse"] as! Double
    #expect(pWorse > 0.95, "P(worse) = \(pWorse)")
    #expect(comparisons[0]["regression"] as? Bool == true)
    let days = json["days"] as! [[String: Any]]
    #expect(days.count == 120, "one entry per day of the series")
    #expect(json["points"] as? [Any] != nil && json["recalibration"] != nil && json["modes"] != nil)
}

@Test func fitDoesNotCallASteadySeriesARegression() throws {
    let dir = try ScratchDirectory()
    try seriesCSV(seed: 2, stepPercent: 0).write(toFile: dir.path("flat.csv"), atomically: true, encoding: .utf8)
    let r = try Slowreg.run(["fit", dir.path("flat.csv"), "--compare", "2024-06-16", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let comparison = (json["comparisons"] as! [[String: Any]])[0]
    #expect((comparison["p_worse"] as! Double) < 0.8)
}

@Test func sameSeedGivesByteIdenticalJSONWithOneAndFourThreads() throws {
    let dir = try ScratchDirectory()
    try seriesCSV(seed: 3, stepPercent: 1).write(toFile: dir.path("s.csv"), atomically: true, encoding: .utf8)
    let args = ["fit", dir.path("s.csv"), "--format", "json", "--omit-timing", "--seed", "42"]
    let one = try Slowreg.run(args + ["--threads", "1"])
    let four = try Slowreg.run(args + ["--threads", "4"])
    #expect(one.status == 0 && four.status == 0)
    #expect(one.stdout == four.stdout)
    #expect(one.stdout.count > 10_000)
    let otherSeed = try Slowreg.run(["fit", dir.path("s.csv"), "--format", "json", "--omit-timing", "--seed", "43"])
    #expect(otherSeed.stdout != one.stdout)
}

@Test func fitRejectsBadInputWithOneLineNamingFileRowAndField() throws {
    let dir = try ScratchDirectory()
    try "time,value\n2024-01-01,1\n2024-01-02,abc\n".write(toFile: dir.path("bad.csv"), atomically: true, encoding: .utf8)
    let r = try Slowreg.run(["fit", dir.path("bad.csv")])
    #expect(r.status == 2)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 1, "one line: \(r.stderr)")
    #expect(r.stderr.contains("bad.csv") && r.stderr.contains("line 3") && r.stderr.contains("value"))

    try "when,value\n2024-01-01,1\n".write(toFile: dir.path("nocol.csv"), atomically: true, encoding: .utf8)
    let missing = try Slowreg.run(["fit", dir.path("nocol.csv")])
    #expect(missing.status == 2 && missing.stderr.contains("time column"))

    try "time,value\n2024-01-01,1\n2024-01-01,2\n".write(toFile: dir.path("oneday.csv"), atomically: true, encoding: .utf8)
    let oneDay = try Slowreg.run(["fit", dir.path("oneday.csv")])
    #expect(oneDay.status == 2 && oneDay.stderr.split(separator: "\n").count == 1, "\(oneDay.stderr)")

    let badDate = try Slowreg.run(["fit", dir.path("bad.csv"), "--run-date", "30/06/2024"])
    #expect(badDate.status != 0 && badDate.stderr.contains("not a day"))
}

@Test func everyCommandAnswersHelp() throws {
    for command in ["run", "fit", "compare", "alert", "ingest", "fetch", "demo"] {
        let r = try Slowreg.run([command, "--help"])
        #expect(r.status == 0, "\(command) --help")
        #expect(r.stdout.contains("USAGE"), "\(command) --help prints usage")
    }
    let version = try Slowreg.run(["--version"])
    #expect(version.status == 0 && !version.stdout.isEmpty)
}

@Test func aFitThatHasNotConvergedIsFlaggedWithAWarning() throws {
    // Metropolis with a handful of iterations cannot converge: R-hat and ESS fail.
    let dir = try ScratchDirectory()
    try seriesCSV(seed: 5, stepPercent: 0).write(toFile: dir.path("s.csv"), atomically: true, encoding: .utf8)
    let r = try Slowreg.run(["fit", dir.path("s.csv"), "--model", "reference", "--sampler", "metropolis", "--warmup", "20", "--draws", "30",
                             "--format", "json"])
    #expect(r.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let diagnostics = json["diagnostics"] as! [String: Any]
    #expect(diagnostics["status"] as? String == "flagged")
    #expect((diagnostics["max_rhat"] as? Double ?? 10) > 1.1)
    #expect(r.stderr.contains("warning") && r.stderr.contains("R̂"))
}

/// With 4 chains of 10 draws the bulk ESS cannot reach 100, nor with 20 or
/// 40 (at most 160 draws, and far fewer effective), so every run is flagged
/// for ESS: by default its chains run again with twice the draws, and again
/// with twice those when the rerun's R̂ is under
/// ``StepLevelFitter/nearlyMixedRhat`` (the JSON's draws say which, a note
/// says why); `--no-rerun` reports the first run as it is.
@Test func flaggedChainsRunAgainUnlessNoRerun() throws {
    let dir = try ScratchDirectory()
    try seriesCSV(seed: 4, stepPercent: 0).write(toFile: dir.path("s.csv"), atomically: true, encoding: .utf8)
    let args = ["fit", dir.path("s.csv"), "--format", "json", "--omit-timing", "--warmup", "100", "--draws", "10",
                "--kept-draws", "40", "--seed", "5"]
    for (extra, draws) in [([String](), 40), (["--no-rerun"], 10)] {
        let r = try Slowreg.run(args + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let model = json["model"] as! [String: Any]
        let diagnostics = json["diagnostics"] as! [String: Any]
        let rerunOnce = extra.isEmpty && (diagnostics["max_rhat"] as? Double ?? 0) > StepLevelFitter.nearlyMixedRhat
        #expect(model["draws"] as? Int == (rerunOnce ? draws / 2 : draws), "\(extra): \(model) \(diagnostics)")
        let notes = (json["notes"] as? [String]) ?? []
        #expect(notes.contains { $0.contains("the chains ran again") } == extra.isEmpty, "\(notes)")
        #expect(diagnostics["status"] as? String == "flagged", "ESS under 100 either way: \(diagnostics)")
    }
}

/// A noise scale that changes fivefold makes two candidates: by default they
/// are chosen in stages (the reason says how it went), with
/// `--full-noise-choice` both run in full and the reason says neither.
@Test func fullNoiseChoiceRunsEveryCandidateInFull() throws {
    let dir = try ScratchDirectory()
    var rng = RandomStream(seed: 41)
    var csv = "time,value\n"
    for d in 0..<168 {
        for r in 0..<3 {
            let seconds = (19_904 - 167 + d) * 86_400 + 3_600 * (1 + 4 * r)
            csv += "\(seconds),\(100 * (1 + (d < 112 ? 0.01 : 0.05) * rng.standardNormal()))\n"
        }
    }
    try csv.write(toFile: dir.path("s.csv"), atomically: true, encoding: .utf8)
    let args = ["fit", dir.path("s.csv"), "--format", "json", "--omit-timing", "--warmup", "200", "--draws", "400", "--seed", "3"]
    for full in [false, true] {
        let r = try Slowreg.run(args + (full ? ["--full-noise-choice"] : []))
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let choice = json["noise_choice"] as! [String: Any]
        let reason = choice["reason"] as? String ?? ""
        #expect((choice["candidates"] as? [Any])?.count == 2, "\(choice)")
        let staged = reason.contains("chosen on the first 100 of 400 draws") || reason.contains("so every candidate ran in full")
        #expect(staged == !full, "\(reason)")
    }
}
