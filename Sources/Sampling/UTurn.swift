/// The generalized no-U-turn criterion (Betancourt 2017, "A conceptual
/// introduction to Hamiltonian Monte Carlo", §A.4.2; Stan's
/// `compute_criterion`): a trajectory segment with summed momentum `ρ` and
/// end velocities `p♯⁻`, `p♯⁺` keeps expanding while both `p♯⁺·ρ > 0` and
/// `p♯⁻·ρ > 0`; once either is non-positive it has started to turn back.
public enum UTurn {
    @inlinable
    public static func continues(velocityBackward: [Double], velocityForward: [Double], rho: [Double]) -> Bool {
        var forward = 0.0, backward = 0.0
        for i in rho.indices {
            forward += velocityForward[i] * rho[i]
            backward += velocityBackward[i] * rho[i]
        }
        return forward > 0 && backward > 0
    }
}
