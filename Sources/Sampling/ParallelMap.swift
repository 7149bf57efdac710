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
