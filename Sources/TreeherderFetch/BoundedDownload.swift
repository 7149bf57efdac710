import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET held to two limits that URLSession alone does not enforce:
///
/// - a total deadline: the whole exchange, headers and body, must end within
///   it. URLSession's request timeout is an idle timeout (it restarts with
///   every byte), so a server that drips a byte a second is never timed out;
/// - a body size cap: the download stops as soon as the announced or received
///   length exceeds it, instead of buffering an endless body.
///
/// Each download has its own session, so its delegate sees only its task.
final class BoundedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// Why a download was stopped.
    enum Stop: Error, Equatable {
        /// The deadline passed before the answer was complete.
        case deadline
        /// The body would exceed the cap (bytes).
        case bodyTooLarge(limit: Int)
    }

    private let lock = NSLock()
    private let maxBodyBytes: Int
    private var body = Data()
    private var response: URLResponse?
    private var stop: Stop?
    private var continuation: CheckedContinuation<(Data, URLResponse), any Error>?
    private var task: URLSessionDataTask?

    private init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// The body and response of `request`, or ``Stop`` when a limit was hit, or
    /// the transport's error. Cancelling the calling task cancels the request.
    static func get(_ request: URLRequest, configuration: URLSessionConfiguration,
                    deadline: TimeInterval, maxBodyBytes: Int) async throws -> (Data, URLResponse) {
        let download = BoundedDownload(maxBodyBytes: maxBodyBytes)
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                download.start(session.dataTask(with: request), continuation: continuation, deadline: deadline)
            }
        } onCancel: {
            download.cancel(because: nil)
        }
    }

    private func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<(Data, URLResponse), any Error>,
                       deadline: TimeInterval) {
        lock.withLock {
            self.task = task
            self.continuation = continuation
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline) { [weak self] in
            self?.cancel(because: .deadline)
        }
        task.resume()
    }

    /// Stops the task; the first reason given is the one reported.
    private func cancel(because reason: Stop?) {
        let task: URLSessionDataTask? = lock.withLock {
            guard continuation != nil else { return nil }
            if stop == nil { stop = reason }
            return self.task
        }
        task?.cancel()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { self.response = response }
        if response.expectedContentLength > Int64(maxBodyBytes) {
            cancel(because: .bodyTooLarge(limit: maxBodyBytes))
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge: Bool = lock.withLock {
            guard body.count + data.count <= maxBodyBytes else { return true }
            body.append(data)
            return false
        }
        if tooLarge { cancel(because: .bodyTooLarge(limit: maxBodyBytes)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, result): (CheckedContinuation<(Data, URLResponse), any Error>?, Result<(Data, URLResponse), any Error>) =
            lock.withLock {
                let waiting = self.continuation
                self.continuation = nil
                if let stop { return (waiting, .failure(stop)) }
                if let error { return (waiting, .failure(error)) }
                guard let response else { return (waiting, .failure(URLError(.badServerResponse))) }
                return (waiting, .success((body, response)))
            }
        continuation?.resume(with: result)
    }
}
