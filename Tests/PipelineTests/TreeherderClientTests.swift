import FlyingFox
import FlyingSocks
import Foundation
import Store
import Ingest
import TreeherderFetch
import Testing

/// A Treeherder stand-in on 127.0.0.1 serving recorded-format responses. The
/// first path segment picks the behaviour: `ok`, `flaky` (each URL fails with
/// 500 once, then succeeds), `down` (always 503), `slow` (answers after 3 s),
/// `garbage` (200 with a body that is not JSON), `missing` (404), `drip` (a
/// 200 whose announced 1000-byte body comes one byte every 0.2 s), `endless`
/// (a chunked 200 body that never ends, 64 KiB at a time).
struct FakeTreeherder: Sendable {
    struct Point: Sendable {
        var id, signatureId, jobId: Int
        var revision: String
        var pushTimestamp: Int
        var value: Double
    }

    let frameworks: String
    let signatures: String
    let points: [Point]
    let hashes: [Int: String]
    let counter = RequestCounter()

    init() throws {
        frameworks = String(decoding: try TestSupport.fixtureData("frameworks", "json", subdirectory: "Fixtures/treeherder"), as: UTF8.self)
        signatures = String(decoding: try TestSupport.fixtureData("signatures", "json", subdirectory: "Fixtures/treeherder"), as: UTF8.self)
        var points: [Point] = []
        var hashes: [Int: String] = [:]
        for page in ["data-may", "data-june"] {
            let data = try TestSupport.fixtureData(page, "json", subdirectory: "Fixtures/treeherder")
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]])
            for (hash, list) in json {
                for p in list {
                    let point = Point(id: p["id"] as! Int, signatureId: p["signature_id"] as! Int, jobId: p["job_id"] as! Int,
                                      revision: p["revision"] as! String, pushTimestamp: p["push_timestamp"] as! Int,
                                      value: p["value"] as! Double)
                    points.append(point)
                    hashes[point.signatureId] = hash
                }
            }
        }
        self.points = points
        self.hashes = hashes
    }

    static func json(_ body: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: Data(body.utf8))
    }

    /// The data endpoint: points of `signature_id` with start_date < push_timestamp < end_date,
    /// as Treeherder filters them (strict on both ends), keyed by signature hash.
    func data(_ request: HTTPRequest) -> HTTPResponse {
        func query(_ name: String) -> String? { request.query.first { $0.name == name }?.value }
        guard let signature = query("signature_id").flatMap(Int.init),
              let start = query("start_date").flatMap(TimestampParser.parse),
              let end = query("end_date").flatMap(TimestampParser.parse)
        else { return Self.json(#"{"detail": "bad query"}"#, status: .badRequest) }
        let selected = points.filter {
            $0.signatureId == signature && Double($0.pushTimestamp) > start.timeIntervalSince1970
                && Double($0.pushTimestamp) < end.timeIntervalSince1970
        }
        guard let hash = hashes[signature], !selected.isEmpty else { return Self.json("{}") }
        let items = selected.map {
            #"{"id": \#($0.id), "signature_id": \#($0.signatureId), "job_id": \#($0.jobId), "push_id": 1, "revision": "\#($0.revision)", "push_timestamp": \#($0.pushTimestamp), "value": \#($0.value)}"#
        }
        return Self.json(#"{"\#(hash)": [\#(items.joined(separator: ", "))]}"#)
    }

    func respond(_ request: HTTPRequest) async throws -> HTTPResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        guard let scenario = segments.first else { return Self.json("{}", status: .notFound) }
        let endpoint = "/" + segments.dropFirst().joined(separator: "/") + "/"
        let key = request.path + "?" + request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let attempt = await counter.next(key)
        _ = await counter.next(scenario)
        switch scenario {
        case "down": return Self.json(#"{"detail": "service unavailable"}"#, status: .serviceUnavailable)
        case "missing": return Self.json(#"{"detail": "Not found."}"#, status: .notFound)
        case "garbage": return HTTPResponse(statusCode: .ok, body: Data("<html>maintenance</html>".utf8))
        case "slow": try await Task.sleep(nanoseconds: 3_000_000_000)
        case "drip":
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                                body: HTTPBodySequence(from: GeneratedBytes(chunk: 1, pause: 0.2, chunks: 1000), count: 1000,
                                                       suggestedBufferSize: 1))
        case "endless":
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                                body: HTTPBodySequence(from: GeneratedBytes(chunk: 1 << 16, pause: 0, chunks: .max)))
        case "flaky" where attempt == 1: return Self.json(#"{"detail": "internal error"}"#, status: .internalServerError)
        default: break
        }
        if endpoint == "/api/performance/framework/" { return Self.json(frameworks) }
        if endpoint.hasSuffix("/performance/signatures/") { return Self.json(signatures) }
        if endpoint.hasSuffix("/performance/data/") { return data(request) }
        return Self.json(#"{"detail": "Not found."}"#, status: .notFound)
    }

    /// A body produced as it is sent: `chunks` runs of `chunk` spaces, `pause`
    /// seconds apart.
    struct GeneratedBytes: AsyncBufferedSequence, AsyncBufferedIteratorProtocol, Sendable {
        typealias Element = UInt8
        let chunk: Int
        let pause: TimeInterval
        var chunks: Int

        func makeAsyncIterator() -> GeneratedBytes { self }

        mutating func next() async throws -> UInt8? { try await nextBuffer(suggested: 1)?.first }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            guard chunks > 0 else { return nil }
            chunks -= 1
            if pause > 0 { try await Task.sleep(nanoseconds: UInt64(pause * 1e9)) }
            return [UInt8](repeating: 0x20, count: chunk)
        }
    }

    func start() async throws -> LoopbackServer {
        try await LoopbackServer.start { server in
            await server.appendRoute("GET *") { request in try await self.respond(request) }
        }
    }
}

/// The time limit stops a hang, it times nothing: with a benchmark on both
/// cores and the other suites running alongside, the paged-data test once
/// took 93 s on this 2-core machine (the loopback server's thread starved).
@Suite("TreeherderClient against a loopback Treeherder", .serialized, .timeLimit(.minutes(3)))
struct TreeherderClientTests {
    /// Fast retries so the failure tests stay short.
    /// A request timeout far above a loopback answer: at 5 s, a request on this shared 2-core machine under four compilers once timed out and was retried, and the request count of the page test was off by one.
    static func options(attempts: Int = 3, timeout: TimeInterval = 30, pageDays: Int = 10) -> TreeherderClientOptions {
        var options = TreeherderClientOptions()
        options.maxAttempts = attempts
        options.initialBackoff = 0.01
        options.maxBackoff = 0.05
        options.requestTimeout = timeout
        options.pageDays = pageDays
        return options
    }

    static let query = TreeherderQuery(project: "mozilla-beta", signatureIds: [3_891_031],
                                       start: TestSupport.date("2023-05-20T00:00:00Z"),
                                       end: TestSupport.date("2023-06-10T00:00:00Z"))

    @Test("signatures and paged data become records; overlaps and window edges counted once")
    func fetchesPages() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        defer { Task { await server.stop() } }
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/ok"), options: Self.options())
        let result = try await client.fetch(Self.query)
        await server.stop()

        #expect(result.signatures.map(\.id) == [3_891_031])
        // Frameworks, signatures, 3 windows of 10 days: five URLs. The count of
        // requests includes retries, and on this shared 2-core machine a loopback
        // answer has once taken over 30 s with the other suites' processes on
        // both cores (a timeout, then a retry): so the URLs are counted.
        let urls = await fake.counter.counts.keys.filter { $0.hasPrefix("/ok/") }
        #expect(urls.count == 5, "\(urls.sorted())")
        #expect(urls.filter { $0.contains("/performance/data") }.count == 3, "\(urls.sorted())")
        #expect(result.requests >= 5)
        #expect(result.records.map(\.revision) == ["59efee44047a", "f64639378b47", "b0undary0000", "3a78a160d758"])
        let first = try #require(result.records.first)
        #expect(first.time == TestSupport.date("2023-05-22T10:20:25Z"))
        #expect(first.value == 192_302_104.62)
        #expect(first.project == "mozilla-beta")
        #expect(first.framework == "awsy")
        #expect(first.suite == "JS" && first.test == "" && first.platform == "linux1804-64-shippable-qr")
        #expect(first.taskId == "410000001")
        #expect(first.extraOptions == "fission tp6")
        #expect(first.unit == "bytes")
        #expect(first.lowerIsBetter == true)              // omitted by Treeherder when true
    }

    @Test("signature listing decodes Treeherder's omissions")
    func signatureListing() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/ok"), options: Self.options())
        var query = Self.query
        query.signatureIds = []
        query.frameworkIds = [4]
        let signatures = try await client.signatures(query)
        await server.stop()
        #expect(signatures.map(\.id) == [3_534_783, 3_891_031, 4_000_001])
        #expect(signatures[0].test == "PerfHasRTLCharsExample3")
        #expect(signatures[0].unit == "")
        #expect(signatures[2].lowerIsBetter == false)
    }

    @Test("a 500 is retried and the fetch then succeeds")
    func retriesServerErrors() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/flaky"), options: Self.options())
        let result = try await client.fetch(Self.query)
        await server.stop()
        #expect(result.records.count == 4)
        #expect(result.requests == 10)                     // every URL failed once
        #expect(await fake.counter.count("flaky") == 10)
    }

    @Test("a persistent 5xx fails after the allowed attempts, naming the URL and status")
    func persistentFailure() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/down"), options: Self.options(attempts: 3))
        do {
            _ = try await client.fetch(Self.query)
            Issue.record("fetch succeeded against a failing server")
        } catch {
            guard case let .httpStatus(url, status, _, attempts) = error else { Issue.record("\(error)"); return }
            #expect(status == 503)
            #expect(attempts == 3)
            #expect(url.contains("/down/api/performance/framework/"))
            #expect(error.description.contains("HTTP 503 after 3 attempts"))
        }
        await server.stop()
        #expect(await fake.counter.count("down") == 3)
    }

    @Test("a client error is not retried")
    func notFoundNotRetried() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/missing"), options: Self.options())
        await #expect(throws: TreeherderError.self) { try await client.fetch(Self.query) }
        await server.stop()
        #expect(await fake.counter.count("missing") == 1)
    }

    @Test("a server that drips its answer a byte at a time is cut off at the total deadline")
    func drippingServerMeetsTheDeadline() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/drip"),
                                      options: Self.options(attempts: 2, timeout: 1))
        let started = Date()
        do {
            _ = try await client.frameworks()
            Issue.record("a dripping answer was accepted")
        } catch {
            guard case let .timedOut(url, timeout, attempts) = error else { Issue.record("\(error)"); return }
            #expect(url.contains("/drip/api/performance/framework/"))
            #expect(timeout == 1 && attempts == 2)
            #expect(error.description.contains("no complete answer within 1.0 s"), "\(error)")
        }
        let elapsed = Date().timeIntervalSince(started)
        // Bounded far from both: ~3 s expected, 200 s if the deadline did not hold
        // (slack for a loaded machine: this checks termination, not speed).
        #expect(elapsed < 30, "two attempts of 1 s and one backoff, not 200 s of dripping: \(elapsed)")
        await server.stop()
    }

    @Test("an endless answer stops at the body size cap, naming the URL, without retries")
    func endlessBodyIsCapped() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        // The cap stops the download well before the 20 s deadline (about 1 s
        // here). The error says which stopped it — a deadline would throw a
        // timeout, not bodyTooLarge — so the test does not time it (on a
        // loaded machine the cancelled transfer's teardown took 35 s once).
        // (A much longer deadline lets the cancelled transfer run on in
        // FoundationNetworking: keep it short.)
        var options = Self.options(attempts: 3, timeout: 20)
        options.maxBodyBytes = 1 << 20
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/endless"), options: options)
        await #expect(throws: TreeherderError.bodyTooLarge(
            url: try await server.baseURL(path: "/endless/api/performance/framework/").absoluteString, limit: 1 << 20)) {
            _ = try await client.frameworks()
        }
        #expect(await fake.counter.count("endless") == 1, "a body that is too large is not asked for again")
        await server.stop()
    }

    @Test("a slow server times out, is retried a bounded number of times, then fails")
    func timesOut() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/slow"),
                                      options: Self.options(attempts: 2, timeout: 0.5))
        let started = Date()
        do {
            _ = try await client.fetch(Self.query)
            Issue.record("fetch succeeded against a server slower than the timeout")
        } catch {
            guard case let .timedOut(_, timeout, attempts) = error else { Issue.record("\(error)"); return }
            #expect(timeout == 0.5)
            #expect(attempts == 2)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 2.9, "two attempts of 0.5 s each, not the server's 3 s")
        await server.stop()
    }

    @Test("a body that is not JSON is a clear error, not retried")
    func malformedBody() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/garbage"), options: Self.options())
        do {
            _ = try await client.fetch(Self.query)
            Issue.record("accepted a body that is not JSON")
        } catch {
            guard case let .malformedBody(url, problem) = error else { Issue.record("\(error)"); return }
            #expect(url.contains("/garbage/api/performance/framework/"))
            #expect(problem == "not valid JSON")
        }
        await server.stop()
        #expect(await fake.counter.count("garbage") == 1)
    }

    @Test("a fetch needing more requests than allowed stops before fetching data")
    func requestLimit() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        var options = Self.options()
        options.maxRequests = 4
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/ok"), options: options)
        await #expect(throws: TreeherderError.tooManyRequests(planned: 5, limit: 4)) { try await client.fetch(Self.query) }
        await server.stop()
        #expect(await fake.counter.count("ok") == 2)
    }

    @Test("a refused connection fails after the allowed attempts")
    func connectionRefused() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let url = try await server.baseURL(path: "/ok")
        await server.stop()
        try await Task.sleep(nanoseconds: 100_000_000)
        let client = TreeherderClient(baseURL: url, options: Self.options(attempts: 2, timeout: 2))
        do {
            _ = try await client.fetch(Self.query)
            Issue.record("fetched from a stopped server")
        } catch {
            switch error {
            case let .transport(_, _, attempts), let .timedOut(_, _, attempts): #expect(attempts == 2)
            default: Issue.record("\(error)")
            }
        }
    }

    @Test("fetched records go through the store like ingested ones")
    func fetchIntoStore() async throws {
        let fake = try FakeTreeherder()
        let server = try await fake.start()
        let client = TreeherderClient(baseURL: try await server.baseURL(path: "/ok"), options: Self.options())
        let result = try await client.fetch(Self.query)
        await server.stop()
        let (store, _) = try TestSupport.newStore()
        let rows = Selection.keepAll.apply(result.records).kept
        #expect(try store.ingest(rows).added == 4)
        #expect(try store.ingest(rows).added == 0)
        // The same series as the CSV export of signature 3891031.
        _ = try Ingestion().ingest(files: [TestSupport.fixtureURL("mozilla-beta_3891031", "csv")], into: store)
        #expect(try store.listSeries(.all).count == 1)
    }
}

/// The answers' decoding applies ingest's rules to what the server sends.
@Suite("TreeherderResponses: hostile answers")
struct TreeherderResponsesSafetyTests {
    @Test("a control character in a signature's name, a stray time and a huge key are refused, briefly")
    func hostileAnswers() throws {
        let nul = #"{"abc": {"id": 1, "framework_id": 1, "signature_hash": "abc", "machine_platform": "linux\u0000", "suite": "s"}}"#
        #expect(throws: TreeherderResponses.Problem.self) { try TreeherderResponses.signatures(Data(nul.utf8)) }
        let zero = #"{"abc": [{"id": 1, "signature_id": 1, "job_id": 2, "push_id": 3, "revision": "r", "push_timestamp": 0, "value": 1}]}"#
        #expect {
            try TreeherderResponses.data(Data(zero.utf8))
        } throws: { error in
            (error as? TreeherderResponses.Problem)?.text.contains("outside the accepted range") == true
        }
        let hugeKey = String(repeating: "k", count: 100_000)
        #expect {
            try TreeherderResponses.data(Data(#"{"\#(hugeKey)": 1}"#.utf8))
        } throws: { error in
            ((error as? TreeherderResponses.Problem)?.text.count ?? .max) < 200
        }
    }
}
