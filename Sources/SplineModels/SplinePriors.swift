/// The priors of SPEC §5, written once with the reason for each.
///
/// The reference model (brms defaults) states them on the original scale of
/// `y`: `α ~ student_t(3, median(y), mad(y))`, `τ ~ half-student_t(3, 0, mad(y))`,
/// `σ ~ half-student_t(3, 0, mad(y))`, `ν ~ gamma(2, 0.1)`. slowreg works on
/// `ỹ = (y − median(y)) / mad(y)`, where the same priors read
/// `α ~ t(3, 0, 1)`, `τ, σ ~ half-t(3, 0, 1)`; the constant Jacobian `1/mad`
/// does not change the posterior.
public struct SplinePriors: Sendable, Equatable, Codable {
    /// Degrees of freedom of the Student-t priors (brms default 3: heavy tails,
    /// so the data win when they disagree with the prior).
    public var studentDF: Double
    /// Scale of the intercept prior, in units of mad(y).
    public var interceptScale: Double
    /// Scale of the smoothing-sd prior, in units of mad(y).
    public var tauScale: Double
    /// Scale of the noise-sd prior, in units of mad(y).
    public var sigmaScale: Double
    /// Scale of the prior on the linear trend: the change of the level across the
    /// whole day range, in units of mad(y). The reference leaves the trend flat
    /// (improper); a wide proper prior keeps the posterior proper for any data
    /// and lets simulation-based calibration draw from it, and a drift of
    /// several mad(y) a year is still well inside its bulk.
    public var trendScale: Double
    /// Shape and rate of the Gamma prior on ν (brms default gamma(2, 0.1): mean 20).
    public var nuShape: Double
    public var nuRate: Double

    public init(studentDF: Double = 3, interceptScale: Double = 1, tauScale: Double = 1, sigmaScale: Double = 1,
                trendScale: Double = 5, nuShape: Double = 2, nuRate: Double = 0.1) {
        self.studentDF = studentDF
        self.interceptScale = interceptScale
        self.tauScale = tauScale
        self.sigmaScale = sigmaScale
        self.trendScale = trendScale
        self.nuShape = nuShape
        self.nuRate = nuRate
    }

    /// The defaults of SPEC §5.
    public static let standard = SplinePriors()
}
