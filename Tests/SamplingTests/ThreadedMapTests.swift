import Foundation
import Sampling
import Testing

private struct JobFailure: Error, Equatable { let index: Int }

@Test("threadedMap returns every job's result in index order, whatever the number of threads")
func threadedMapOrder() async throws {
    for threads in [1, 2, 3, 16] {
        let squares = try await threadedMap(count: 37, threads: threads) { i in i * i }
        #expect(squares == (0..<37).map { $0 * $0 }, "threads \(threads)")
    }
    #expect(try await threadedMap(count: 0, threads: 4) { $0 }.isEmpty)
}

@Test("threadedMap throws the first failing job's error by index, after every job has run")
func threadedMapError() async throws {
    let counter = RunCounter()
    do {
        _ = try await threadedMap(count: 20, threads: 3) { i -> Int in
            counter.add()
            if i == 7 || i == 12 { throw JobFailure(index: i) }
            return i
        }
        Issue.record("no error thrown")
    } catch let error as JobFailure {
        #expect(error == JobFailure(index: 7))
    }
    #expect(counter.value == 20, "every job ran")
}

/// A count shared by the jobs' threads.
private final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
