import Foundation

/// Runs `count` independent jobs on at most `threads` concurrent tasks
/// (structured concurrency: a task group that keeps `threads` children in
/// flight) and returns their results in index order. Because each job owns
/// everything it touches (its own random stream), the results do not depend
/// on `threads` or on scheduling.
public func parallelMap<T: Sendable>(count: Int, threads: Int,
                                     _ job: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    guard count > 0 else { return [] }
    let width = Swift.max(1, Swift.min(threads, count))
    if width == 1 {
        var results: [T] = []
        results.reserveCapacity(count)
        for i in 0..<count { results.append(try await job(i)) }
        return results
    }
    return try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var results = [T?](repeating: nil, count: count)
        var next = 0
        while next < width {
            let i = next
            group.addTask { (i, try await job(i)) }
            next += 1
        }
        while let (i, value) = try await group.next() {
            results[i] = value
            if next < count {
                let j = next
                group.addTask { (j, try await job(j)) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}

/// Runs `count` independent synchronous jobs on at most `threads` dedicated
/// threads of their own — not on Swift's cooperative pool — and returns
/// their results in index order; the first error by index is thrown after
/// every job has run. For CPU-bound work of seconds (MCMC chains, SBC
/// replicates): run on the cooperative pool, whose width is the number of
/// cores, such work holds every thread of it, and other async work in the
/// process (a store's I/O, an HTTP server) waits until it ends; here the
/// awaiting task is suspended and the pool stays free. As with
/// ``parallelMap(count:threads:_:)``, each job owns what it touches, so the
/// results do not depend on `threads` or on scheduling.
public func threadedMap<T: Sendable>(count: Int, threads: Int,
                                     _ job: @escaping @Sendable (Int) throws -> T) async throws -> [T] {
    guard count > 0 else { return [] }
    let width = Swift.max(1, Swift.min(threads, count))
    let work = ThreadedWork<T>(count: count, workers: width)
    return try await withCheckedThrowingContinuation { continuation in
        for _ in 0..<width {
            let thread = Thread {
                while let i = work.nextIndex() {
                    work.store(i, Result { try job(i) })
                }
                if let results = work.workerFinished() { continuation.resume(with: results) }
            }
            // The chains' recursion (NUTS trees) and buffers live on the heap;
            // a main thread's 8 MiB is ample (a secondary thread's default is 512 KiB on some systems).
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// The shared state of ``threadedMap(count:threads:_:)``: the next job's
/// index, the results, and how many workers are still running, behind a lock.
private final class ThreadedWork<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var running: Int
    private var results: [Result<T, any Error>?]

    init(count: Int, workers: Int) {
        running = workers
        results = Array(repeating: nil, count: count)
    }

    func nextIndex() -> Int? {
        lock.withLock {
            guard next < results.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ i: Int, _ result: Result<T, any Error>) {
        lock.withLock { results[i] = result }
    }

    /// The results, once the last worker has finished (nil before).
    func workerFinished() -> Result<[T], any Error>? {
        lock.withLock {
            running -= 1
            guard running == 0 else { return nil }
            var values: [T] = []
            values.reserveCapacity(results.count)
            for result in results {
                switch result {
                case .success(let value)?: values.append(value)
                case .failure(let error)?: return .failure(error)
                case nil: return .failure(CancellationError())
                }
            }
            return .success(values)
        }
    }
}
