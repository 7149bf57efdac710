/// A point of Hamiltonian phase space: position `q`, momentum `p`, and the
/// log density and its gradient at `q` (so each is computed once per step).
public struct PhasePoint: Sendable {
    public var position: [Double]
    public var momentum: [Double]
    public var logDensity: Double
    public var gradient: [Double]

    public init(position: [Double], momentum: [Double], logDensity: Double, gradient: [Double]) {
        self.position = position
        self.momentum = momentum
        self.logDensity = logDensity
        self.gradient = gradient
    }
}
