import Foundation

/// A PSIS-LOO estimate of a model's expected log pointwise predictive density
/// (Vehtari, Gelman & Gabry 2017, "Practical Bayesian model evaluation using
/// leave-one-out cross-validation and WAIC", Statistics and Computing 27),
/// on the log scale (higher is better) — the fields of ArviZ's
/// `az.loo(..., pointwise=True)`.
public struct LOOResult: Sendable, Equatable {
    /// `elpd_loo = Σᵢ elpd_loo,ᵢ`, the estimated expected log predictive density
    /// of a new data point, summed over the points (VGG 2017, eq. 10).
    public let elpd: Double
    /// Standard error of ``elpd``: `√(n · var(elpd_loo,ᵢ))` with the population
    /// variance over the `n` points (VGG 2017, eq. 23). It measures the
    /// variability over data points, not the Monte Carlo error.
    public let standardError: Double
    /// `p_loo = lppd − elpd_loo`, the effective number of parameters (VGG 2017,
    /// eq. 11), with `lppd = Σᵢ log((1/S) Σₛ p(yᵢ | θˢ))`. Much larger than the
    /// real number of parameters, or larger than `n/5`, signals a misspecified
    /// or very flexible model.
    public let effectiveParameterCount: Double
    /// `elpd_loo,ᵢ = log Σₛ wᵢˢ p(yᵢ | θˢ)` with the normalized PSIS weights (ArviZ's `loo_i`).
    public let pointwiseElpd: [Double]
    /// The Pareto shape `k̂ᵢ` of each point's importance ratios (`+∞` if its
    /// tail was too short to fit).
    public let paretoK: [Double]
    /// Number of posterior draws `S`.
    public let drawCount: Int
    /// The relative efficiency used for the tail length.
    public let relativeEfficiency: Double

    /// Number of data points `n`.
    public var pointCount: Int { pointwiseElpd.count }

    /// ArviZ's sample-size-dependent threshold `min(1 − 1/log₁₀S, 0.7)`
    /// (Vehtari et al. 2024, §3.2.4): above it the PSIS estimate is
    /// unreliable for this `S` (`good_k`).
    public var goodParetoKThreshold: Double { PSISLOO.goodParetoKThreshold(drawCount: drawCount) }

    /// True when some `k̂ᵢ` exceeds ``goodParetoKThreshold`` — ArviZ's `warning`:
    /// leaving those points out changes the posterior too much for importance
    /// sampling; the elpd (and model comparisons using it) may be off.
    public var warning: Bool { paretoK.contains { $0 > goodParetoKThreshold } }

    /// Number of points with `k̂ > 0.7` (``PSISLOO/paretoKThreshold``).
    public var highParetoKCount: Int { paretoKCount(above: PSISLOO.paretoKThreshold) }

    /// Number of points whose `k̂` exceeds `threshold`.
    public func paretoKCount(above threshold: Double) -> Int {
        paretoK.reduce(0) { $1 > threshold ? $0 + 1 : $0 }
    }

    public init(
        elpd: Double, standardError: Double, effectiveParameterCount: Double,
        pointwiseElpd: [Double], paretoK: [Double], drawCount: Int, relativeEfficiency: Double
    ) {
        self.elpd = elpd
        self.standardError = standardError
        self.effectiveParameterCount = effectiveParameterCount
        self.pointwiseElpd = pointwiseElpd
        self.paretoK = paretoK
        self.drawCount = drawCount
        self.relativeEfficiency = relativeEfficiency
    }
}
