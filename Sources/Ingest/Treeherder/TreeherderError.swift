import Foundation

/// A Treeherder request that did not give usable data, with the URL at fault.
public enum TreeherderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a non-success status (after `attempts` tries for 5xx/429).
    case httpStatus(url: String, status: Int, body: String, attempts: Int)
    /// No complete answer within the request timeout, `attempts` times.
    case timedOut(url: String, timeout: TimeInterval, attempts: Int)
    /// The body is larger than the cap (bytes); not retried.
    case bodyTooLarge(url: String, limit: Int)
    /// The connection failed (refused, reset, name not found), `attempts` times.
    case transport(url: String, message: String, attempts: Int)
    /// The answer is not the JSON layout Treeherder documents.
    case malformedBody(url: String, problem: String)
    /// The fetch would need more requests than allowed; narrow the query.
    case tooManyRequests(planned: Int, limit: Int)
    /// The base URL or a query value cannot form a URL.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .httpStatus(url, status, body, attempts):
            let snippet = body.isEmpty ? "" : ": \(body)"
            return "\(url): HTTP \(status) after \(attempts) attempt\(attempts == 1 ? "" : "s")\(snippet)"
        case let .timedOut(url, timeout, attempts):
            return "\(url): no complete answer within \(timeout) s, \(attempts) attempt\(attempts == 1 ? "" : "s"); retry later or raise --timeout"
        case let .bodyTooLarge(url, limit):
            return "\(url): the answer is larger than \(limit) bytes; stopped reading (raise --max-body-bytes if it is genuine)"
        case let .transport(url, message, attempts):
            return "\(url): connection failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(message)"
        case let .malformedBody(url, problem):
            return "\(url): unexpected response body: \(problem)"
        case let .tooManyRequests(planned, limit):
            return "the fetch needs \(planned) requests, more than the limit of \(limit); name signatures, a framework or a platform, or shorten the interval"
        case let .invalidRequest(problem):
            return problem
        }
    }
}
