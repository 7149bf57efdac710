import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Store
import Ingest

/// Limits of a Treeherder fetch; every loop of the client is bounded by them.
public struct TreeherderClientOptions: Sendable, Equatable {
    /// Seconds one request may take in total, headers and body (a deadline, not
    /// an idle timeout: a server that drips bytes is cut off too); Treeherder
    /// serves a month of one signature in well under this.
    public var requestTimeout: TimeInterval = 30
    /// Largest response body accepted, in bytes: a month of one signature is a
    /// few hundred kB, the list of a project's signatures a few MB, so 256 MiB
    /// only stops an answer that is broken or endless.
    public var maxBodyBytes: Int = 256 << 20
    /// Tries per request, the first included; 5xx, 429, timeouts and dropped
    /// connections are retried, other failures are not.
    public var maxAttempts: Int = 4
    /// Wait before the first retry; doubled for each further one (exponential
    /// backoff), so 4 attempts wait 1 + 2 + 4 s.
    public var initialBackoff: TimeInterval = 1
    /// Cap on one wait, so a long outage is not waited out forever.
    public var maxBackoff: TimeInterval = 30
    /// The data endpoint is not paginated; a long interval is requested in
    /// windows (pages) of this many days so no answer is huge.
    public var pageDays: Int = 30
    /// Most requests one fetch may make (a project-wide year would be tens of
    /// thousands; the user should narrow it instead).
    public var maxRequests: Int = 5000
    public var userAgent: String = "slowreg/0.1 (performance regression analysis)"

    public init() {}
}

/// What to fetch: the data of `project` between `start` and `end` (inclusive),
/// for the listed signature ids, or for every signature matching the framework
/// and platform filters that was updated in that interval.
public struct TreeherderQuery: Sendable, Equatable {
    public var project: String
    public var signatureIds: [Int]
    public var frameworkIds: [Int]
    public var platform: String?
    public var start: Date
    public var end: Date

    public init(project: String, signatureIds: [Int] = [], frameworkIds: [Int] = [], platform: String? = nil,
                start: Date, end: Date) {
        self.project = project
        self.signatureIds = signatureIds
        self.frameworkIds = frameworkIds
        self.platform = platform
        self.start = start
        self.end = end
    }
}

/// The result of ``TreeherderClient/fetch(_:)``.
public struct TreeherderFetchResult: Sendable {
    public var records: [PerfRecord]
    public var signatures: [TreeherderSignature]
    /// HTTP requests made, retries included.
    public var requests: Int
}

/// Client of the Treeherder REST API's performance endpoints (SPEC §3 source 4):
///
/// 1. `GET {base}/api/performance/framework/` — framework ids → names;
/// 2. `GET {base}/api/project/{project}/performance/signatures/?framework=…&platform=…&start_date=…&end_date=…`
///    (or `?id=…` for named signatures);
/// 3. `GET {base}/api/project/{project}/performance/data/?signature_id=…&start_date=…&end_date=…`
///    for each signature, one request per window of ``TreeherderClientOptions/pageDays``
///    days (the server keeps `start_date < push_timestamp < end_date`, so each
///    window starts one second early; points seen twice are kept once by id).
///
/// Each request must end within ``TreeherderClientOptions/requestTimeout`` in
/// total and its body stay within ``TreeherderClientOptions/maxBodyBytes``; 5xx, 429,
/// timeouts and dropped connections are retried with exponential backoff up to
/// ``TreeherderClientOptions/maxAttempts``; any other failure or a body that is
/// not the documented JSON throws a ``TreeherderError`` naming the URL.
public final class TreeherderClient: Sendable {
    public let baseURL: URL
    public let options: TreeherderClientOptions

    public init(baseURL: URL, options: TreeherderClientOptions = TreeherderClientOptions()) {
        self.baseURL = baseURL
        self.options = options
    }

    /// The session settings of every request (each request has its own session,
    /// see ``BoundedDownload``).
    private func sessionConfiguration() -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = options.requestTimeout
        configuration.timeoutIntervalForResource = options.requestTimeout
        configuration.httpAdditionalHeaders = ["User-Agent": options.userAgent, "Accept": "application/json"]
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return configuration
    }

    /// Counts requests against ``TreeherderClientOptions/maxRequests``.
    private final class RequestBudget: @unchecked Sendable {
        private let lock = NSLock()
        private var used = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        var count: Int { lock.withLock { used } }
        func spend() throws(TreeherderError) {
            lock.lock()
            defer { lock.unlock() }
            guard used < limit else { throw .tooManyRequests(planned: used + 1, limit: limit) }
            used += 1
        }
    }

    // MARK: - Endpoints

    public func frameworks() async throws(TreeherderError) -> [Int: String] {
        try await frameworks(budget: RequestBudget(limit: options.maxRequests))
    }

    public func signatures(_ query: TreeherderQuery) async throws(TreeherderError) -> [TreeherderSignature] {
        try await signatures(query, budget: RequestBudget(limit: options.maxRequests))
    }

    /// Data points of one signature between `start` and `end` (inclusive), paged.
    public func data(project: String, signatureId: Int, start: Date, end: Date) async throws(TreeherderError) -> [TreeherderDatum] {
        try await data(project: project, signatureId: signatureId, start: start, end: end,
                       budget: RequestBudget(limit: options.maxRequests))
    }

    /// Everything `query` names, as records (framework names resolved, the job id
    /// as task id, Treeherder's lower-is-better default made explicit).
    public func fetch(_ query: TreeherderQuery) async throws(TreeherderError) -> TreeherderFetchResult {
        guard query.start <= query.end else {
            throw .invalidRequest("the interval starts (\(StoreTime.instantText(query.start))) after it ends (\(StoreTime.instantText(query.end)))")
        }
        let budget = RequestBudget(limit: options.maxRequests)
        let frameworkNames = try await frameworks(budget: budget)
        let signatures = try await signatures(query, budget: budget)
        let planned = budget.count + signatures.count * windowCount(start: query.start, end: query.end)
        guard planned <= options.maxRequests else { throw .tooManyRequests(planned: planned, limit: options.maxRequests) }
        var records: [PerfRecord] = []
        for signature in signatures {
            let points = try await data(project: query.project, signatureId: signature.id, start: query.start,
                                        end: query.end, budget: budget)
            let framework = frameworkNames[signature.frameworkId]
                ?? TreeherderFrameworks.knownNames[signature.frameworkId] ?? String(signature.frameworkId)
            for point in points {
                records.append(PerfRecord(
                    time: point.pushTimestamp, project: query.project, framework: framework, suite: signature.suite,
                    test: signature.test, platform: signature.platform, value: point.value, revision: point.revision,
                    taskId: point.jobId.map(String.init) ?? "", extraOptions: signature.extraOptions.joined(separator: " "),
                    lowerIsBetter: signature.lowerIsBetter, unit: signature.unit, signature: String(signature.id)))
            }
        }
        return TreeherderFetchResult(records: records, signatures: signatures, requests: budget.count)
    }

    private func frameworks(budget: RequestBudget) async throws(TreeherderError) -> [Int: String] {
        let url = try endpoint(["api", "performance", "framework"], query: [])
        return try decode(url: url, try await get(url, budget: budget), TreeherderResponses.frameworks)
    }

    private func signatures(_ query: TreeherderQuery, budget: RequestBudget) async throws(TreeherderError) -> [TreeherderSignature] {
        var items: [URLQueryItem] = query.signatureIds.map { URLQueryItem(name: "id", value: String($0)) }
        items += query.frameworkIds.map { URLQueryItem(name: "framework", value: String($0)) }
        if let platform = query.platform { items.append(URLQueryItem(name: "platform", value: platform)) }
        if query.signatureIds.isEmpty {
            items.append(URLQueryItem(name: "start_date", value: Self.serverTime(query.start)))
            items.append(URLQueryItem(name: "end_date", value: Self.serverTime(query.end.addingTimeInterval(1))))
        }
        let url = try endpoint(["api", "project", query.project, "performance", "signatures"], query: items)
        var found = try decode(url: url, try await get(url, budget: budget), TreeherderResponses.signatures)
        if !query.signatureIds.isEmpty {
            let wanted = Set(query.signatureIds)
            found = found.filter { wanted.contains($0.id) }
            if let missing = query.signatureIds.first(where: { id in !found.contains { $0.id == id } }) {
                throw .malformedBody(url: url.absoluteString, problem: "signature \(missing) is not in the answer; check the id and --project")
            }
        }
        return found
    }

    private func data(project: String, signatureId: Int, start: Date, end: Date,
                      budget: RequestBudget) async throws(TreeherderError) -> [TreeherderDatum] {
        var seen = Set<Int>()
        var points: [TreeherderDatum] = []
        for (windowStart, windowEnd) in windows(start: start, end: end) {
            let url = try endpoint(["api", "project", project, "performance", "data"], query: [
                URLQueryItem(name: "signature_id", value: String(signatureId)),
                URLQueryItem(name: "start_date", value: Self.serverTime(windowStart.addingTimeInterval(-1))),
                URLQueryItem(name: "end_date", value: Self.serverTime(windowEnd)),
            ])
            let page = try decode(url: url, try await get(url, budget: budget), TreeherderResponses.data)
            for point in page where point.signatureId == signatureId && seen.insert(point.id).inserted {
                points.append(point)
            }
        }
        return points.sorted { ($0.pushTimestamp, $0.id) < ($1.pushTimestamp, $1.id) }
    }

    /// `[start, end]` cut into windows `[a, b)` of ``TreeherderClientOptions/pageDays``
    /// days; the last ends one second after `end` so `end` itself is included.
    func windows(start: Date, end: Date) -> [(Date, Date)] {
        let length = Double(max(1, options.pageDays)) * CivilDays.secondsPerDay
        let stop = end.addingTimeInterval(1)
        var result: [(Date, Date)] = []
        var a = start
        while a < stop {
            let b = min(a.addingTimeInterval(length), stop)
            result.append((a, b))
            a = b
        }
        return result
    }

    /// How many windows ``windows(start:end:)`` makes, without making them.
    func windowCount(start: Date, end: Date) -> Int {
        let length = Double(max(1, options.pageDays)) * CivilDays.secondsPerDay
        let span = end.addingTimeInterval(1).timeIntervalSince(start)
        return span <= 0 ? 0 : Int((span / length).rounded(.up))
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC, the form Treeherder's date filters take.
    static func serverTime(_ date: Date) -> String {
        String(StoreTime.instantText(date).prefix(19))
    }

    private func endpoint(_ segments: [String], query: [URLQueryItem]) throws(TreeherderError) -> URL {
        var url = baseURL
        for segment in segments { url.appendPathComponent(segment) }
        url.appendPathComponent("")   // Treeherder's routes end with a slash
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            throw .invalidRequest("\(baseURL.absoluteString) is not a usable base URL")
        }
        if !query.isEmpty { components.queryItems = query }
        guard let result = components.url else { throw .invalidRequest("cannot form a URL from \(baseURL.absoluteString)") }
        return result
    }

    private func decode<T>(url: URL, _ body: Data,
                           _ decoder: (Data) throws(TreeherderResponses.Problem) -> T) throws(TreeherderError) -> T {
        do { return try decoder(body) } catch {
            throw .malformedBody(url: url.absoluteString, problem: error.text)
        }
    }

    // MARK: - Requests with retries

    static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// Wait before retry number `retry` (1 = first retry).
    func backoff(retry: Int) -> TimeInterval {
        min(options.maxBackoff, options.initialBackoff * pow(2, Double(retry - 1)))
    }

    private func get(_ url: URL, budget: RequestBudget) async throws(TreeherderError) -> Data {
        var request = URLRequest(url: url)
        request.timeoutInterval = options.requestTimeout
        let attempts = max(1, options.maxAttempts)
        var lastFailure = TreeherderError.transport(url: url.absoluteString, message: "no attempt made", attempts: 0)
        for attempt in 1...attempts {
            if attempt > 1 {
                try? await Task.sleep(nanoseconds: UInt64(backoff(retry: attempt - 1) * 1e9))
            }
            try budget.spend()
            do {
                let (body, response) = try await BoundedDownload.get(
                    request, configuration: sessionConfiguration(), deadline: options.requestTimeout,
                    maxBodyBytes: options.maxBodyBytes)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return body }
                let snippet = String(decoding: body.prefix(200), as: UTF8.self)
                    .replacingOccurrences(of: "\n", with: " ")
                lastFailure = .httpStatus(url: url.absoluteString, status: status, body: snippet, attempts: attempt)
                if !Self.isRetryable(status: status) { throw lastFailure }
            } catch let failure as TreeherderError {
                throw failure
            } catch BoundedDownload.Stop.deadline {
                lastFailure = .timedOut(url: url.absoluteString, timeout: options.requestTimeout, attempts: attempt)
            } catch BoundedDownload.Stop.bodyTooLarge(let limit) {
                throw TreeherderError.bodyTooLarge(url: url.absoluteString, limit: limit)
            } catch let error as URLError {
                switch error.code {
                case .timedOut:
                    lastFailure = .timedOut(url: url.absoluteString, timeout: options.requestTimeout, attempts: attempt)
                case .networkConnectionLost, .cannotConnectToHost, .notConnectedToInternet, .dnsLookupFailed,
                     .cannotFindHost, .badServerResponse:
                    lastFailure = .transport(url: url.absoluteString, message: error.localizedDescription, attempts: attempt)
                default:
                    throw TreeherderError.transport(url: url.absoluteString, message: error.localizedDescription, attempts: attempt)
                }
            } catch {
                throw TreeherderError.transport(url: url.absoluteString, message: "\(error)", attempts: attempt)
            }
        }
        throw lastFailure
    }
}
