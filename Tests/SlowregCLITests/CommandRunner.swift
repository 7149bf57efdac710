import Foundation
import NumericCore

/// Runs the `slowreg` executable built next to the test bundle.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Slowreg {
    static var executable: URL {
        // The test bundle lives in the build products folder, beside the executable.
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("slowreg")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return argv0.appendingPathComponent("slowreg")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension Slowreg {
    /// A process started and not yet waited for, with its output files.
    struct Started {
        var process: Process
        var out: URL
        var err: URL
    }

    /// Starts `slowreg arguments` in the background (output to files, so
    /// that several can run at once).
    static func start(_ arguments: [String]) throws -> Started {
        let directory = FileManager.default.temporaryDirectory
        let out = directory.appendingPathComponent("slowreg-out-\(UUID().uuidString)")
        let err = directory.appendingPathComponent("slowreg-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Started(process: process, out: out, err: err)
    }

    static func wait(_ started: Started) throws -> CommandResult {
        started.process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: started.out)
            try? FileManager.default.removeItem(at: started.err)
        }
        return CommandResult(status: started.process.terminationStatus,
                             stdout: String(decoding: try Data(contentsOf: started.out), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: started.err), as: UTF8.self))
    }
}

/// A scratch directory removed at deinit.
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("slowreg-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A synthetic series CSV (`time,value`): 120 days ending 2024-06-30, 1–5 runs
/// a day, level 100 with `noise` relative sd, and a step of `stepPercent`
/// starting `stepDaysBeforeEnd` days before the last day.
func seriesCSV(seed: UInt64, stepPercent: Double, stepDaysBeforeEnd: Int = 10, noise: Double = 0.02,
               days: Int = 120) -> String {
    var rng = RandomStream(seed: seed)
    let lastDay = 19_904 // 2024-06-30 in days since 1970
    var out = "time,value\n"
    for d in 0..<days {
        let day = lastDay - (days - 1) + d
        let runs = 1 + Int(5 * rng.uniform())
        for r in 0..<runs {
            let level = 100 * (1 + (d > days - 1 - stepDaysBeforeEnd ? stepPercent / 100 : 0))
            let value = level * (1 + noise * rng.standardNormal())
            let seconds = day * 86_400 + 3_600 * (1 + 4 * r)
            out += "\(seconds),\(value)\n"
        }
    }
    return out
}
