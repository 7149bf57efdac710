import Foundation
import Testing

/// A corpus of degenerate series through every sampler and noise model and
/// both named models: each fit exits 0 (an answer, flagged by its
/// diagnostics where the sampler could not be trusted) or 2 with one clear
/// line — never a signal (issue 11, "Degenerate data traps").
@Suite("Degenerate series: an answer or one clear error, never a trap", .serialized)
struct DegenerateSeriesTests {
    /// 60 days from 2024-05-01, `runs` a day, value `value(day, run)`.
    static func csv(runs: Int = 3, days: Int = 60, _ value: (Int, Int) -> String) -> String {
        var out = "time,value\n"
        for d in 0..<days { for r in 0..<runs { out += "\(1_714_521_600 + d * 86_400 + r * 3_600),\(value(d, r))\n" } }
        return out
    }

    static let corpus: [(String, String)] = [
        ("constant", csv { _, _ in "100" }),
        ("ties", csv { d, r in (d * 7 + r) % 60 == 0 ? "101" : "100" }),
        ("quantized", csv { d, r in ["99", "100", "100", "101"][(d * 3 + r * 5) % 4] }),
        ("near-zero", csv { d, r in String(0.001 * Double((d * 13 + r * 7) % 11) - 0.004) }),
        ("negative", csv { d, r in String(-100 + Double((d * 13 + r * 7) % 11) * 0.3) }),
        ("huge", csv { d, r in String(1e300 * (1 + 0.01 * Double((d * 13 + r * 7) % 11))) }),
        ("tiny", csv { d, r in String(1e-300 * (1 + 0.01 * Double((d * 13 + r * 7) % 11))) }),
        ("two-days", csv(days: 2) { d, r in String(100 + d + r) }),
        ("one-run-a-week", csv(runs: 1) { d, _ in d % 7 == 0 ? String(100 + d % 3) : "" }
            .split(separator: "\n").filter { !$0.hasSuffix(",") }.joined(separator: "\n") + "\n"),
    ]

    /// The reference model with each sampler and noise model, and the
    /// default model (step-level, its noise chosen by PSIS-LOO).
    static let configurations: [[String]] = [
        ["--model", "reference", "--sampler", "gibbs"], ["--model", "reference", "--sampler", "nuts"],
        ["--model", "reference", "--sampler", "metropolis"],
        ["--model", "reference", "--sampler", "gibbs", "--noise", "student-t"],
        ["--model", "reference", "--sampler", "nuts", "--noise", "student-t"],
        ["--model", "reference", "--sampler", "metropolis", "--noise", "student-t"], [],
    ]

    @Test("every series, sampler, noise model and model: exit 0 or one line and exit 2")
    func corpusNeverTraps() throws {
        let dir = try ScratchDirectory()
        for (name, text) in Self.corpus {
            let path = dir.path("\(name).csv")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            for configuration in Self.configurations {
                let r = try Slowreg.run(["fit", path, "--warmup", "100", "--draws", "100", "--kept-draws", "100",
                                         "--format", "json", "--omit-timing"] + configuration)
                let label = "\(name) \(configuration.joined(separator: " "))"
                #expect(r.status == 0 || r.status == 2, "\(label): status \(r.status) \(r.stderr.prefix(300))")
                if r.status == 2 {
                    #expect(r.stderr.split(separator: "\n").count == 1, "\(label): \(r.stderr)")
                    // About the data, never about the options (which would make the case vacuous).
                    #expect(!r.stderr.contains("applies to the spline models") && !r.stderr.contains("--"), "\(label): \(r.stderr)")
                } else {
                    #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil, "\(label): JSON")
                }
            }
        }
    }
}
