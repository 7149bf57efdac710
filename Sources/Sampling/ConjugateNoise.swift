import NumericCore
import SplineModels
import RealModule

/// What the conjugate Gibbs sweep needs of a noise model beyond its density:
/// a scale-mixture form `ε_i | w_i ~ Normal(0, σ²/w_i)` with point weights
/// `w_i` (Andrews & Mallows 1974), and a blocked update of its shape
/// parameter and the weights given the standardized squared residuals
/// `z_i² = r_i²/σ²` (step 5 of `ConjugateGibbs`).
///
/// A noise model without such a form is not Gibbs-able: `ChainRunner.gibbs`
/// says so with `SamplingError.samplerNotApplicable` (as do the Gibbs pilots
/// that start NUTS and set its coordinates, until such a model brings
/// another way to start).
protocol ConjugateNoise: NoiseLikelihood {
    /// Whether the weights are 1 at every sweep (Gaussian noise): the data
    /// part of the coefficients' precision is then fixed, which the O(K)
    /// Demmler–Reinsch solver needs.
    var hasUnitWeights: Bool { get }

    /// The shape parameter and the weights after one update from `shape`
    /// (the log value as the slice sampler moved to it, for the width
    /// adaptation), with slice width `width`; nil for noise without either.
    func updateShapeAndWeights(shape: Double, standardizedSquares: [Double], priors: SplinePriors, width: Double,
                               rng: inout RandomStream) -> (shape: Double, logShape: Double, weights: [Double])?
}

extension GaussianNoise: ConjugateNoise {
    var hasUnitWeights: Bool { true }

    func updateShapeAndWeights(shape: Double, standardizedSquares: [Double], priors: SplinePriors, width: Double,
                               rng: inout RandomStream) -> (shape: Double, logShape: Double, weights: [Double])? {
        nil
    }
}

extension StudentTNoise: ConjugateNoise {
    var hasUnitWeights: Bool { false }

    /// The blocked update of `(ν, w)`: ν from its t-likelihood given the
    /// residuals with the weights integrated out,
    ///
    ///     log p(log ν | z) = n[log Γ((ν+1)/2) − log Γ(ν/2) − ½ log ν] − (ν+1)/2 Σ log(1 + z_i²/ν)
    ///                        + log p(ν) + log ν,
    ///
    /// by slice sampling, then `w_i | ν ~ Gamma((ν+1)/2, (ν + z_i²)/2)`.
    /// Conditioning ν on w instead mixes very slowly when ν is large.
    func updateShapeAndWeights(shape nu: Double, standardizedSquares: [Double], priors: SplinePriors, width: Double,
                               rng: inout RandomStream) -> (shape: Double, logShape: Double, weights: [Double])? {
        // Tied values can drive σ to 0, making z² infinite or 0/0: no update
        // can be made from such residuals, and the caller reports it.
        guard standardizedSquares.allSatisfy({ $0.isFinite }) else { return nil }
        let shape = priors.nuShape, rate = priors.nuRate, nD = Double(standardizedSquares.count)
        let logNuTarget: (Double) -> Double = { lv in
            let v = Double.exp(lv)
            guard v.isFinite, v > 0 else { return -.infinity }
            var sumLog = 0.0
            for z2 in standardizedSquares { sumLog += Double.log(onePlus: z2 / v) }
            return nD * (logGamma((v + 1) / 2) - logGamma(v / 2) - 0.5 * Double.log(v))
                - 0.5 * (v + 1) * sumLog + gammaLogDensity(v, shape: shape, rate: rate) + lv
        }
        let updated = GibbsSteps.sliceLogScale(nu, width: width, rng: &rng, logDensity: logNuTarget)
        let newNu = updated.value
        guard newNu.isFinite, newNu > 0 else { return nil }
        let weights = standardizedSquares.map { rng.gamma(shape: (newNu + 1) / 2, rate: (newNu + $0) / 2) }
        return (newNu, updated.log, weights)
    }
}

extension SplineModel {
    /// The noise model's scale-mixture form, or nil when it has none.
    var conjugateNoise: (any ConjugateNoise)? { likelihood as? any ConjugateNoise }
}
