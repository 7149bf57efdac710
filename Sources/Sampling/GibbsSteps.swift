import NumericCore
import SplineModels
import RealModule

/// The updates of a conjugate Gibbs sweep that do not depend on how the
/// coefficients' conditional is factored: both solvers (`ConjugateGibbs`'s
/// band and `DiagonalGibbsState`'s Demmler–Reinsch) call these.
enum GibbsSteps {
    /// Log kernel of a half-Student-t(df, 0, scale) density, constants
    /// dropped (slice sampling needs the density only up to a factor).
    @inline(__always)
    static func halfTKernel(_ x: Double, df: Double, scale: Double) -> Double {
        let z = x / scale
        return -0.5 * (df + 1) * Double.log(onePlus: z * z / df)
    }

    /// Step 3: σ given the coefficients, by slice sampling log σ on
    /// `−n log σ − RSS/(2σ²) + log p(σ) + log σ` (RSS weighted for Student-t
    /// noise) with slice width `width`. Returns σ and log σ.
    static func sigma(_ sigma: Double, residualSumOfSquares rss: Double, pointCount n: Double, priors: SplinePriors,
                      width: Double, rng: inout RandomStream) -> (value: Double, log: Double) {
        let df = priors.studentDF, scale = priors.sigmaScale
        let target: (Double) -> Double = { ls in
            let s = Double.exp(ls)
            return -n * ls - rss / (2 * s * s) + halfTKernel(s, df: df, scale: scale) + ls
        }
        return sliceLogScale(sigma, width: width, rng: &rng, logDensity: target)
    }

    /// One slice-sampling update of a positive quantity `x` on the log scale
    /// (`logDensity` is of log x, Jacobian included). Returns the new value
    /// and its logarithm exactly as the slice sampler moved to it (what the
    /// width adaptation observes).
    static func sliceLogScale(_ x: Double, width: Double, rng: inout RandomStream,
                              logDensity: (Double) -> Double) -> (value: Double, log: Double) {
        let lx = Double.log(x)
        let updated = SliceSampler.step(from: lx, current: logDensity(lx), width: width, rng: &rng,
                                        logDensity: logDensity)
        return (Double.exp(updated.x), updated.x)
    }
}
