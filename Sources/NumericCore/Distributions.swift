import RealModule

/// Random draws and log densities of the distributions slowreg's models use.
///
/// Draws take an `inout RandomStream` so that each chain owns its randomness.
/// Log densities are normalized (they include every constant) so they can be
/// compared with SciPy's `logpdf`.

// MARK: - Draws

extension RandomStream {
    /// Standard normal draw by the Box–Muller transform (one of the pair is
    /// kept; exact, no tables).
    @inlinable
    public mutating func standardNormal() -> Double {
        let u1 = uniform()
        let u2 = uniform()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// Two independent standard normal draws by Marsaglia's polar method
    /// (Marsaglia & Bray 1964): a uniform point in the unit disc, `s = u² + v²`,
    /// gives `(u, v)·√(−2 log s / s)`. One logarithm and no trigonometry per
    /// pair; 21% of the points are rejected. For bulk draws (`fillStandardNormals`).
    @inlinable
    public mutating func standardNormalPair() -> (Double, Double) {
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s < 1 && s > 0 {
                let f = (-2 * Double.log(s) / s).squareRoot()
                return (u * f, v * f)
            }
        }
    }

    /// Fills `buffer` with independent standard normal draws, two per
    /// `standardNormalPair()`: about half the cost of calling `standardNormal()`
    /// for each, for the many normals of a coefficient draw or a predictive matrix.
    @inlinable
    public mutating func fillStandardNormals(_ buffer: UnsafeMutableBufferPointer<Double>) {
        var i = 0
        while i + 1 < buffer.count {
            let (a, b) = standardNormalPair()
            buffer[i] = a
            buffer[i + 1] = b
            i += 2
        }
        if i < buffer.count { buffer[i] = standardNormalPair().0 }
    }

    /// Normal(mean, sd).
    @inlinable
    public mutating func normal(mean: Double = 0, sd: Double = 1) -> Double {
        mean + sd * standardNormal()
    }

    /// Exponential with the given rate (mean 1/rate), by inversion.
    @inlinable
    public mutating func exponential(rate: Double = 1) -> Double {
        -Double.log(uniform()) / rate
    }

    /// Gamma(shape, rate) with mean shape/rate, for any shape > 0.
    ///
    /// Marsaglia & Tsang (2000), "A simple method for generating gamma
    /// variables", for shape ≥ 1; for shape < 1 the boost
    /// `Gamma(a) = Gamma(a + 1) · U^{1/a}`, done on the log scale so that tiny
    /// shapes (0.01) do not underflow to exactly zero more than the double
    /// format forces.
    ///
    /// Parameters that are not positive and finite name no distribution; the
    /// draw is then NaN, and the caller must see it (a sampler reports the
    /// update as failed). Such parameters come from data — a noise scale
    /// collapsing on tied values — so they must not trap the process.
    public mutating func gamma(shape: Double, rate: Double = 1) -> Double {
        guard shape > 0, rate > 0, shape.isFinite, rate.isFinite else { return .nan }
        if shape < 1 {
            let g = gamma(shape: shape + 1, rate: 1)
            let logU = Double.log(uniform())
            return Double.exp(Double.log(g) + logU / shape) / rate
        }
        return marsagliaTsang(shape: shape, rate: rate) { $0.standardNormal() }
    }

    /// Marsaglia & Tsang's (2000) Gamma(shape ≥ 1, rate) draw with the
    /// standard normals `normal` gives: ``gamma(shape:rate:)`` uses one
    /// Box–Muller draw each; a caller drawing many can pass normals of the
    /// polar method two at a time. Parameters are not checked here.
    @inlinable
    public mutating func marsagliaTsang(shape: Double, rate: Double,
                                        normal: (inout RandomStream) -> Double) -> Double {
        let (d, c) = Self.marsagliaTsangConstants(shape: shape)
        return marsagliaTsang(d: d, c: c, rate: rate, normal: normal)
    }

    /// Marsaglia & Tsang's constants of a shape: `d = shape − ⅓`, `c = 1/√(9d)`.
    @inlinable
    public static func marsagliaTsangConstants(shape: Double) -> (d: Double, c: Double) {
        let d = shape - 1.0 / 3.0
        return (d, 1.0 / (9 * d).squareRoot())
    }

    /// ``marsagliaTsang(shape:rate:normal:)`` with its constants
    /// (``marsagliaTsangConstants(shape:)``) given: many draws of one shape
    /// compute them once.
    @inlinable
    public mutating func marsagliaTsang(d: Double, c: Double, rate: Double,
                                        normal: (inout RandomStream) -> Double) -> Double {
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal(&self)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v / rate }
            if Double.log(u) < 0.5 * x * x + d * (1 - v + Double.log(v)) { return d * v / rate }
        }
    }

    /// Chi-square with `df` degrees of freedom: `2 · Gamma(df/2, 1)`.
    public mutating func chiSquare(df: Double) -> Double {
        2 * gamma(shape: df / 2, rate: 1)
    }

    /// Student-t with `df` degrees of freedom, location and scale:
    /// `location + scale · Z / √(χ²_df / df)`.
    public mutating func studentT(df: Double, location: Double = 0, scale: Double = 1) -> Double {
        location + scale * standardNormal() / (chiSquare(df: df) / df).squareRoot()
    }

    /// Gamma(shape, rate) truncated to `[lower, ∞)`, shape ≥ 1. At or below
    /// the mode `(shape − 1)/rate` at least ~30% of the Gamma lies above the
    /// bound, and its draws are kept when above it. Past the mode,
    /// `lower + Exponential(λ)` with `λ = rate − (shape − 1)/lower > 0` is
    /// accepted with `(x/lower)^{shape−1} e^{−(shape−1)(x−lower)/lower}` ≤ 1
    /// (the density over the proposal's, largest at the bound). nil when no
    /// draw is accepted in 64 tries (the current value is then kept).
    public mutating func truncatedGamma(shape: Double, rate: Double, lower: Double) -> Double? {
        guard shape >= 1, rate > 0, lower.isFinite else { return nil }
        let mode = (shape - 1) / rate
        if lower <= mode {
            for _ in 0..<64 {
                let x = gamma(shape: shape, rate: rate)
                if x >= lower { return x }
            }
            return nil
        }
        let lambda = rate - (shape - 1) / lower
        for _ in 0..<64 {
            let x = lower + zigguratExponential() / lambda
            let logAccept = (shape - 1) * (Double.log(x / lower) - (x - lower) / lower)
            if Double.log(uniform()) < logAccept { return x }
        }
        return nil
    }

    /// Normal(mean, sd²) truncated to |x| ≥ bound (the two tails), by
    /// inversion within the tail chosen by its mass. When both tails are
    /// beyond the normal's reach, the bound on the mean's side.
    public mutating func normalOutside(mean: Double, sd: Double, bound: Double) -> Double {
        guard bound > 0 else { return mean + sd * standardNormal() }
        // Upper tail: Z ≥ z₀ = (bound − mean)/sd; lower tail: Z ≤ z₁ = (−bound − mean)/sd.
        let upperMass = normalCDF((mean - bound) / sd), lowerMass = normalCDF((-bound - mean) / sd)
        let total = upperMass + lowerMass
        guard total > 0, total.isFinite else { return mean >= 0 ? bound : -bound }
        let u = uniform()
        if uniform() * total < upperMass {
            let z = -inverseNormalCDF(Swift.min(Swift.max(u * upperMass, 1e-300), 1 - 1e-16))
            return Swift.max(bound, mean + sd * z)
        }
        let z = inverseNormalCDF(Swift.min(Swift.max(u * lowerMass, 1e-300), 1 - 1e-16))
        return Swift.min(-bound, mean + sd * z)
    }

    /// Beta(a, b) as `X/(X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        return x / (x + y)
    }
}

// MARK: - Log densities

/// `log √(2π)`.
public let logSqrtTwoPi = 0.918_938_533_204_672_741_78

/// Log density of Normal(mean, sd) at `x`: `−log σ − ½log 2π − (x−μ)²/(2σ²)`.
@inlinable
public func normalLogDensity(_ x: Double, mean: Double, sd: Double) -> Double {
    let z = (x - mean) / sd
    return -Double.log(sd) - logSqrtTwoPi - 0.5 * z * z
}

/// Log normalizing constant of Student-t(ν, ·, σ):
/// `log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ`.
@inlinable
public func studentTLogNormalizer(df: Double, scale: Double) -> Double {
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Double.log(df * Double.pi) - Double.log(scale)
}

/// Log density of Student-t(ν, μ, σ) at `x`:
/// `log Γ((ν+1)/2) − log Γ(ν/2) − ½log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν)`, `z = (x−μ)/σ`.
@inlinable
public func studentTLogDensity(_ x: Double, df: Double, location: Double, scale: Double) -> Double {
    let z = (x - location) / scale
    return studentTLogNormalizer(df: df, scale: scale) - 0.5 * (df + 1) * Double.log(onePlus: z * z / df)
}

/// Distribution function of the standard Student-t(ν) at `x`:
/// `1 − ½ I_{ν/(ν+x²)}(ν/2, ½)` for x ≥ 0, by symmetry below.
public func studentTCDF(_ x: Double, df: Double) -> Double {
    guard x.isFinite else { return x > 0 ? 1 : x < 0 ? 0 : .nan }
    let tail = 0.5 * regularizedIncompleteBeta(df / (df + x * x), a: df / 2, b: 0.5)
    return x >= 0 ? 1 - tail : tail
}

/// Quantile function of the standard Student-t(ν): for p ≥ ½,
/// `√(ν (1/x − 1))` with `x = I⁻¹_{2(1−p)}(ν/2, ½)`; by symmetry below.
public func studentTQuantile(_ p: Double, df: Double) -> Double {
    guard p > 0, p < 1 else { return p == 0 ? -.infinity : p == 1 ? .infinity : .nan }
    if p == 0.5 { return 0 }
    let tail = p > 0.5 ? 1 - p : p
    let x = inverseRegularizedIncompleteBeta(2 * tail, a: df / 2, b: 0.5)
    let t = (df * (1 / x - 1)).squareRoot()
    return p > 0.5 ? t : -t
}

/// Gradient of `studentTLogDensity` with respect to `x`: `−(ν+1) z / (σ (ν + z²))`.
@inlinable
public func studentTLogDensityGradient(_ x: Double, df: Double, location: Double, scale: Double) -> Double {
    let z = (x - location) / scale
    return -(df + 1) * z / (scale * (df + z * z))
}

/// Log density of the half-Student-t(ν, 0, σ) on `x ≥ 0` (a Student-t folded at
/// zero: twice the density; `-∞` for `x < 0`). This is brms's prior for
/// standard deviations.
@inlinable
public func halfStudentTLogDensity(_ x: Double, df: Double, scale: Double) -> Double {
    guard x >= 0 else { return -.infinity }
    return Double.log(2) + studentTLogDensity(x, df: df, location: 0, scale: scale)
}

/// Log density of Gamma(shape α, rate β) at `x > 0`:
/// `α log β − log Γ(α) + (α−1) log x − β x`.
@inlinable
public func gammaLogDensity(_ x: Double, shape: Double, rate: Double) -> Double {
    guard x > 0 else { return x == 0 && shape == 1 ? Double.log(rate) : -.infinity }
    return shape * Double.log(rate) - logGamma(shape) + (shape - 1) * Double.log(x) - rate * x
}

/// Gradient of `gammaLogDensity` with respect to `x`: `(α−1)/x − β`.
@inlinable
public func gammaLogDensityGradient(_ x: Double, shape: Double, rate: Double) -> Double {
    (shape - 1) / x - rate
}
