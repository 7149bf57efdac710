import Foundation
import Testing

/// A one-route HTTP server on 127.0.0.1 run by python3's standard library, for
/// exercising the `slowreg fetch` executable end to end: every GET answers 200
/// with `body`.
final class StaticAnswerServer {
    let process = Process()
    let port: Int

    init(body: String) throws {
        let script = """
            import http.server, signal, sys
            # The test process blocks SIGTERM and children inherit the mask: unblock
            # it so terminate() works, and end by itself after two minutes regardless.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGALRM])
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.alarm(120)
            BODY = sys.argv[1].encode()
            class Answer(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(BODY)))
                    self.end_headers()
                    self.wfile.write(BODY)
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, body]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(0x0A), let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.featureUnsupported)
        }
        self.port = port
    }

    deinit {
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
    }
}

/// `slowreg fetch` given an answer of the wrong shape: the server answered
/// something unusable, a fetch failure (exit 1, as the README says), not bad
/// input from the user (exit 2).
@Test func fetchOfAnUnusableAnswerExitsOne() throws {
    let dir = try ScratchDirectory()
    let store = dir.path("s.sqlite")
    let server = try StaticAnswerServer(body: "<html>maintenance</html>")
    let result = try Slowreg.run(["fetch", "--project", "p", "--base-url", "http://127.0.0.1:\(server.port)",
                                  "--retries", "0", "--store", store])
    #expect(result.status == 1, "\(result.status) \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("http://127.0.0.1:\(server.port)/api/performance/framework/"), "\(result.stderr)")
    #expect(result.stderr.contains("unexpected response body"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: store), "nothing fetched, no store created")
}

/// `--max-body-bytes` caps each answer; a cap the answer exceeds fails the
/// fetch naming the URL, and option errors are one clear line.
@Test func fetchBodyCapFromTheCommandLine() throws {
    let dir = try ScratchDirectory()
    let store = dir.path("s.sqlite")
    let server = try StaticAnswerServer(body: String(repeating: " ", count: 5000) + "{}")
    let capped = try Slowreg.run(["fetch", "--project", "p", "--base-url", "http://127.0.0.1:\(server.port)",
                                  "--retries", "0", "--max-body-bytes", "1000", "--store", store])
    #expect(capped.status == 1, "\(capped.stderr)")
    #expect(capped.stderr.contains("larger than 1000 bytes") && capped.stderr.contains("/api/performance/framework/"),
            "\(capped.stderr)")
    let invalid = try Slowreg.run(["fetch", "--project", "p", "--max-body-bytes", "0", "--store", store])
    #expect(invalid.status != 0 && invalid.stderr.contains("--max-body-bytes must be positive"), "\(invalid.stderr)")
    // Values whose arithmetic would overflow are refused, not a crash.
    for (option, value, message) in [("--days", "100000000000000", "--days must be between"),
                                     ("--retries", "\(Int.max)", "--retries must be between"),
                                     ("--timeout", "1e300", "--timeout must be")] {
        let result = try Slowreg.run(["fetch", "--project", "p", option, value, "--store", store])
        #expect(result.status != 0 && result.status < 128 && result.stderr.contains(message), "\(option): \(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: store))
}
