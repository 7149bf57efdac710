import NumericCore

/// One value of the model's parameters on the working scale `ỹ`.
public struct SplineParameters: Sendable, Equatable {
    /// Spline coefficients `β` (the level is `Σ β_k B_k(x)`).
    public var coefficients: [Double]
    public var sigma: Double
    public var tau: Double
    /// Degrees of freedom (Student-t noise only).
    public var nu: Double?

    public init(coefficients: [Double], sigma: Double, tau: Double, nu: Double? = nil) {
        self.coefficients = coefficients
        self.sigma = sigma
        self.tau = tau
        self.nu = nu
    }
}

/// Named scalar quantities of a draw on the original scale of `y`, the set the
/// convergence diagnostics are computed over.
public struct NamedQuantities: Sendable {
    public var names: [String]
    public var values: [Double]
}

extension SplineModel {
    /// The original-scale quantities of one draw: `alpha` (level at the centre
    /// of the range), `trend` (linear change across the range), `sigma`, `tau`,
    /// `nu` (Student-t) and the coefficients `beta[k]`.
    public func namedQuantities(_ p: SplineParameters) -> NamedQuantities {
        var names = ["alpha", "trend", "sigma", "tau"]
        var values = [location + scale * dot(design.levelRow, p.coefficients),
                      scale * dot(design.trendRow, p.coefficients),
                      scale * p.sigma, scale * p.tau]
        if let nu = p.nu { names.append("nu"); values.append(nu) }
        for (k, b) in p.coefficients.enumerated() {
            names.append("beta[\(k + 1)]")
            values.append(location + scale * b)
        }
        return NamedQuantities(names: names, values: values)
    }

    /// The level `μ(day)` on the original scale.
    public func level(atDay day: Double, _ p: SplineParameters) -> Double {
        location + scale * design.basis.value(day, coefficients: p.coefficients)
    }
}
