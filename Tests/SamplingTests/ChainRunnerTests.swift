import Testing
import NumericCore
import Sampling

/// A kernel that counts: each step adds `increment` to the state and
/// reports the new state, so the runner's schedule can be read off the draws.
private struct CountingKernel: TransitionKernel {
    var increment: Int
    func initialState(_ position: Int) -> Int { position }
    func step(_ state: inout Int, rng: inout RandomStream) -> Int {
        state += increment
        return state
    }
}

/// Checks that the runner calls `begin` once, then `adapt` for warm-up
/// iterations 0, 1, … in order with the step's state and information, then
/// `finish`; it freezes the increment at 10.
private struct RecordingAdaptation: KernelAdaptation {
    let warmup: Int
    var begun = false
    var nextIteration = 0
    mutating func begin(_ kernel: inout CountingKernel, state: Int, rng: inout RandomStream) {
        #expect(!begun && nextIteration == 0)
        begun = true
    }
    mutating func adapt(_ kernel: inout CountingKernel, iteration: Int, state: Int, info: Int,
                        rng: inout RandomStream) {
        #expect(begun && iteration == nextIteration && info == state)
        nextIteration += 1
    }
    mutating func finish(_ kernel: inout CountingKernel) {
        #expect(nextIteration == warmup)
        kernel.increment = 10
    }
}

/// Warm-up runs with the kernel as adapted, then the kernel is frozen as
/// `finish` left it; with `thin = 2` every second state after warm-up is
/// kept, with the information of the step that produced it.
@Test func runnerWarmsUpFreezesAndThins() {
    var rng = RandomStream(seed: 1)
    let run = ChainRunner.run(CountingKernel(increment: 1), adaptation: RecordingAdaptation(warmup: 5), from: 0,
                              warmup: 5, draws: 3, thin: 2, rng: &rng) { $0 }
    // Five warm-up steps of 1, then pairs of steps of 10.
    #expect(run.draws == [25, 45, 65])
    #expect(run.info == [25, 45, 65])
    #expect(run.finalState == 65)
    #expect(run.kernel.increment == 10)
}

/// What `adapt` does to the kernel acts on the next warm-up step, and what
/// `finish` leaves is what every kept iteration uses.
@Test func adaptedParametersActDuringWarmupAndFreezeAfterIt() {
    struct Raise: KernelAdaptation {
        func begin(_ kernel: inout CountingKernel, state: Int, rng: inout RandomStream) {}
        func adapt(_ kernel: inout CountingKernel, iteration: Int, state: Int, info: Int, rng: inout RandomStream) {
            kernel.increment += 1
        }
        func finish(_ kernel: inout CountingKernel) { kernel.increment = 0 }
    }
    var rng = RandomStream(seed: 1)
    let run = ChainRunner.run(CountingKernel(increment: 1), adaptation: Raise(), from: 100,
                              warmup: 3, draws: 2, rng: &rng) { $0 }
    // Increments 1, 2, 3 in warm-up (each adapt raises it), then frozen at 0.
    #expect(run.draws == [106, 106])
}
