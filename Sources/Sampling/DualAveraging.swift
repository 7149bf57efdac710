import RealModule

/// Step-size adaptation by Nesterov dual averaging (Hoffman & Gelman 2014,
/// §3.2; Stan's `stepsize_adaptation`): drives the mean acceptance statistic
/// towards `target` (0.8) by
///
///     s̄ₜ = (1 − 1/(t + t₀)) s̄ₜ₋₁ + (target − aₜ)/(t + t₀)
///     log εₜ = μ − √t s̄ₜ / γ,   log ε̄ₜ = t^{−κ} log εₜ + (1 − t^{−κ}) log ε̄ₜ₋₁
///
/// with `μ = log(10 ε₀)`, `γ = 0.05`, `t₀ = 10`, `κ = 0.75` (Stan's defaults).
/// During warm-up the sampler uses `εₜ`; afterwards the averaged `ε̄`.
public struct DualAveraging: Sendable, Equatable {
    public var target: Double
    public var gamma = 0.05
    public var t0 = 10.0
    public var kappa = 0.75

    private var mu = 0.0
    private var counter = 0.0
    private var sBar = 0.0
    private var xBar = 0.0

    /// Default target acceptance statistic (Stan: 0.8).
    public static let defaultTarget = 0.8

    public init(target: Double = DualAveraging.defaultTarget, initialStepSize: Double) {
        self.target = target
        restart(initialStepSize: initialStepSize)
    }

    /// Restarts the averaging around a new initial step size (after a metric update).
    public mutating func restart(initialStepSize: Double) {
        mu = Double.log(10 * initialStepSize)
        counter = 0
        sBar = 0
        xBar = 0
    }

    /// Feeds one acceptance statistic; returns the step size to use next.
    public mutating func update(acceptance: Double) -> Double {
        let a = acceptance.isFinite ? Swift.min(1, acceptance) : 0
        counter += 1
        let eta = 1 / (counter + t0)
        sBar = (1 - eta) * sBar + eta * (target - a)
        let x = mu - sBar * counter.squareRoot() / gamma
        let xEta = Double.pow(counter, -kappa)
        xBar = xEta * x + (1 - xEta) * xBar
        return Double.exp(x)
    }

    /// The averaged step size `ε̄`, used after warm-up.
    public var finalStepSize: Double { Double.exp(xBar) }
}
