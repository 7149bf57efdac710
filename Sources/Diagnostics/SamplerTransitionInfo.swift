/// Per-iteration information from the sampler, one entry per stored
/// (post-warm-up) draw: `field[chain][iteration]`. Leave a field empty (or
/// `energy` nil) when the sampler does not produce it — Gibbs and Metropolis
/// have no divergences, tree depth or energy.
public struct SamplerTransitionInfo: Sendable, Equatable {
    /// Whether the iteration's trajectory diverged.
    public var divergent: [[Bool]]
    /// Whether the iteration's tree reached the maximum depth.
    public var hitMaxTreeDepth: [[Bool]]
    /// The Hamiltonian at the iteration's draw (for E-BFMI); nil without HMC.
    public var energy: [[Double]]?
    /// Whether the iteration failed to factor a matrix its update needed (a
    /// conjugate Gibbs sweep whose coefficient precision was not positive
    /// definite), so part of the state was not updated.
    public var failedFactorization: [[Bool]]

    public init(divergent: [[Bool]] = [], hitMaxTreeDepth: [[Bool]] = [], energy: [[Double]]? = nil,
                failedFactorization: [[Bool]] = []) {
        self.divergent = divergent
        self.hitMaxTreeDepth = hitMaxTreeDepth
        self.energy = energy
        self.failedFactorization = failedFactorization
    }

    /// No sampler information (non-HMC samplers).
    public static let none = SamplerTransitionInfo()

    func validate(chainCount: Int, iterationCount: Int) throws {
        func check(_ field: String, _ lengths: [Int]) throws {
            guard !lengths.isEmpty else { return }
            if lengths.count != chainCount || lengths.contains(where: { $0 != iterationCount }) {
                throw DiagnosticsError.samplerInfoShapeMismatch(
                    field: field, chains: lengths.count, iterations: lengths,
                    expectedChains: chainCount, expectedIterations: iterationCount)
            }
        }
        try check("divergent", divergent.map(\.count))
        try check("hitMaxTreeDepth", hitMaxTreeDepth.map(\.count))
        try check("failedFactorization", failedFactorization.map(\.count))
        if let energy {
            try check("energy", energy.map(\.count))
            if energy.isEmpty {
                throw DiagnosticsError.samplerInfoShapeMismatch(
                    field: "energy", chains: 0, iterations: [], expectedChains: chainCount,
                    expectedIterations: iterationCount)
            }
        }
    }
}
