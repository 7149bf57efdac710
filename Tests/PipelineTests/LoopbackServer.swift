import FlyingFox
import Foundation

/// An HTTP server on 127.0.0.1 (an ephemeral port) for client tests; it runs
/// until ``stop()`` and serves only the routes a test adds.
final class LoopbackServer: Sendable {
    let server: HTTPServer
    private let task: Task<Void, any Error>

    private init(server: HTTPServer, task: Task<Void, any Error>) {
        self.server = server
        self.task = task
    }

    /// Starts a server whose routes are set by `configure` before it listens.
    ///
    /// Both waits are hang guards, not timings. The server runs on Swift's
    /// cooperative pool, one thread per core; in a full test run the other
    /// suites' fits hold both threads of this 2-core machine, and CI once saw
    /// the server still not listening after 10 s. So the start waits up to
    /// 150 s (inside the suites' 3-minute limit) and a handler up to 60 s.
    static func start(_ configure: (HTTPServer) async -> Void) async throws -> LoopbackServer {
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 60, logger: .disabled)
        await configure(server)
        let task = Task { try await server.run() }
        try await server.waitUntilListening(timeout: 150)
        return LoopbackServer(server: server, task: task)
    }

    /// `http://127.0.0.1:PORT`.
    func baseURL(path: String = "") async throws -> URL {
        guard case let .ip4(_, port)? = await server.listeningAddress else {
            throw CocoaError(.featureUnsupported)
        }
        return URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    func stop() async {
        await server.stop(timeout: 1)
        task.cancel()
    }
}

/// Counts requests across the server's concurrent handlers.
actor RequestCounter {
    private(set) var counts: [String: Int] = [:]

    /// Adds one to `key` and returns the new count.
    func next(_ key: String) -> Int {
        counts[key, default: 0] += 1
        return counts[key]!
    }

    func count(_ key: String) -> Int { counts[key, default: 0] }
}
