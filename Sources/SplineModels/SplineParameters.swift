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
        NamedQuantities(names: quantityNames, values: quantityValues(p))
    }

    /// The names of `quantityValues`, in order.
    public var quantityNames: [String] {
        ["alpha", "trend", "sigma", "tau"] + likelihood.shapeParameterNames
            + (1...design.count).map { "beta[\($0)]" }
    }

    /// The values of the named quantities of one draw (no strings built: this
    /// runs for every kept draw).
    public func quantityValues(_ p: SplineParameters) -> [Double] {
        var values = [Double]()
        values.reserveCapacity(design.count + 5)
        var level = 0.0, trend = 0.0
        let f = design.functionalFirst
        for j in 0..<4 {
            level += design.levelRow[f + j] * p.coefficients[f + j]
            trend += design.trendRow[f + j] * p.coefficients[f + j]
        }
        values.append(location + scale * level)
        values.append(scale * trend)
        values.append(scale * p.sigma)
        values.append(scale * p.tau)
        if let nu = p.nu { values.append(nu) }
        for b in p.coefficients { values.append(location + scale * b) }
        return values
    }

    /// The level `μ(day)` on the original scale.
    public func level(atDay day: Double, _ p: SplineParameters) -> Double {
        location + scale * design.basis.value(day, coefficients: p.coefficients)
    }
}
