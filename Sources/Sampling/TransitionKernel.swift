import NumericCore

/// A Markov transition kernel in the shape BlackJAX gives every sampler:
/// `initialState(position)` builds the state a chain starts from and
/// `step(&state, rng:)` applies one transition `s → s'` with `s' ~ K(s, ·)`,
/// returning what the transition did (`Info`) as data for adaptation and for
/// the diagnostics.
///
/// A kernel holds only its tuning parameters (step size, metric, proposal
/// covariance, slice widths); it never changes them itself. For fixed
/// parameters `K` leaves the target distribution invariant. Warm-up changes
/// them from outside through a `KernelAdaptation`, and `ChainRunner` freezes
/// them before the kept iterations, so those form a homogeneous Markov chain.
///
/// `step` takes the state `inout`: it is `(state, rng) → (state', info)` in
/// place, so a state holding large buffers is not copied every iteration.
public protocol TransitionKernel {
    /// What a chain starts from (a point in the sampler's coordinates).
    associatedtype Position
    /// Everything a transition needs besides the kernel's parameters.
    associatedtype State
    /// What one transition reports.
    associatedtype Info

    func initialState(_ position: Position) -> State
    func step(_ state: inout State, rng: inout RandomStream) -> Info
}

/// Warm-up adaptation of a kernel's parameters (Stan's adaptation classes,
/// BlackJAX's `window_adaptation`), kept apart from the kernel it tunes.
///
/// `ChainRunner` calls `begin` once before the first warm-up iteration,
/// `adapt` after every warm-up iteration with the new state and the step's
/// information, and `finish` once after the last, where the final parameters
/// are fixed for sampling.
public protocol KernelAdaptation {
    associatedtype Kernel: TransitionKernel

    mutating func begin(_ kernel: inout Kernel, state: Kernel.State, rng: inout RandomStream)
    mutating func adapt(_ kernel: inout Kernel, iteration: Int, state: Kernel.State, info: Kernel.Info,
                        rng: inout RandomStream)
    mutating func finish(_ kernel: inout Kernel)
}

/// No adaptation: the kernel runs with the parameters it was given.
public struct FixedParameters<Kernel: TransitionKernel>: KernelAdaptation {
    public init() {}
    public func begin(_ kernel: inout Kernel, state: Kernel.State, rng: inout RandomStream) {}
    public func adapt(_ kernel: inout Kernel, iteration: Int, state: Kernel.State, info: Kernel.Info,
                      rng: inout RandomStream) {}
    public func finish(_ kernel: inout Kernel) {}
}
