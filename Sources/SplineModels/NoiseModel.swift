/// The distribution of the residuals `ε = y − μ(day)`.
public enum NoiseModel: String, Sendable, Equatable, CaseIterable, Codable {
    /// `ε ~ Normal(0, σ)`.
    case gaussian
    /// `ε ~ Student-t(ν, 0, σ)` with `ν` estimated: robust to heavy tails.
    case studentT = "student-t"
}
