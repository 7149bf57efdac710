import NumericCore
import RealModule

/// `ε ~ Student-t(ν, 0, σ)` with ν estimated (robust to heavy tails):
///
///     ℓ = n[log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ] − (ν+1)/2 Σ log(1 + r_i²/(νσ²))
///     ∂ℓ/∂μ_i = (ν+1) r_i / (νσ² + r_i²),   ∂ℓ/∂log σ = −n + (ν+1) Σ r_i²/(νσ² + r_i²)
///     ∂ℓ/∂ν = n/2 [ψ((ν+1)/2) − ψ(ν/2) − 1/ν] − ½ Σ log(1 + r_i²/(νσ²)) + (ν+1)/(2ν) Σ r_i²/(νσ² + r_i²)
///
/// with prior `ν ~ Gamma(shape, rate)` (SPEC §5: Gamma(2, 0.1)), sampled as log ν.
public struct StudentTNoise: NoiseLikelihood {
    public init() {}

    public var shapeParameterNames: [String] { ["nu"] }

    public func logLikelihood(design: SplineDesign, values: [Double], beta: [Double], sigma: Double, logSigma: Double,
                              shape: [Double], gradientBeta: inout [Double]) -> NoiseLogLikelihood? {
        guard let nu = shape.first, nu.isFinite, nu > 0 else { return nil }
        let n = design.pointCount
        var sumLog = 0.0
        var sumFrac = 0.0
        let nuSigma2 = nu * sigma * sigma
        beta.withUnsafeBufferPointer { b in
            gradientBeta.withUnsafeMutableBufferPointer { gb in
                design.first.withUnsafeBufferPointer { first in
                    design.weights.withUnsafeBufferPointer { w in
                        values.withUnsafeBufferPointer { y in
                            for i in 0..<n {
                                let f = first[i]
                                let w0 = w[4 * i], w1 = w[4 * i + 1], w2 = w[4 * i + 2], w3 = w[4 * i + 3]
                                let mu = b[f] * w0 + b[f + 1] * w1 + b[f + 2] * w2 + b[f + 3] * w3
                                let r = y[i] - mu
                                let r2 = r * r
                                let denom = 1 / (nuSigma2 + r2)
                                // log(1 + r²/(νσ²)) and r²/(νσ² + r²)
                                sumLog += Double.log(onePlus: r2 / nuSigma2)
                                let frac = r2 * denom
                                sumFrac += frac
                                let d = (nu + 1) * r * denom
                                gb[f] += d * w0; gb[f + 1] += d * w1; gb[f + 2] += d * w2; gb[f + 3] += d * w3
                            }
                        }
                    }
                }
            }
        }
        let nD = Double(n)
        let halfNuPlusOne = 0.5 * (nu + 1)
        let value = nD * (logGamma(halfNuPlusOne) - logGamma(0.5 * nu) - 0.5 * Double.log(nu * Double.pi) - logSigma)
            - halfNuPlusOne * sumLog
        let dNu = nD * 0.5 * (digamma(halfNuPlusOne) - digamma(0.5 * nu) - 1 / nu)
            - 0.5 * sumLog + halfNuPlusOne * sumFrac / nu
        return NoiseLogLikelihood(value: value, dLogSigma: -nD + (nu + 1) * sumFrac, dShape: [dNu])
    }

    /// `log p(ν) + log ν` and its derivative in log ν, `ν(∂ℓ/∂ν + ∂log p/∂ν) + 1`.
    public func logShapePrior(logShape: [Double], likelihoodGradient: [Double], priors: SplinePriors)
        -> (value: Double, gradient: [Double]) {
        let logNu = logShape[0], nu = Double.exp(logNu)
        let value = gammaLogDensity(nu, shape: priors.nuShape, rate: priors.nuRate) + logNu
        let gradient = nu * likelihoodGradient[0]
            + nu * gammaLogDensityGradient(nu, shape: priors.nuShape, rate: priors.nuRate) + 1
        return (value, [gradient])
    }

    /// A Student-t draw is `Z / √(χ²_ν/ν)`: each normal is divided by an
    /// independent `√(χ²_ν/ν)`, drawn in order after all the normals.
    public func standardizeNoise(_ standardNormals: inout [Double], shapes nus: [Double], rng: inout RandomStream) {
        for j in standardNormals.indices {
            standardNormals[j] /= (rng.chiSquare(df: nus[j]) / nus[j]).squareRoot()
        }
    }

    /// `ν ~ Gamma(shape, rate)`.
    public func drawShapeParameters(priors: SplinePriors, rng: inout RandomStream) -> [Double] {
        [rng.gamma(shape: priors.nuShape, rate: priors.nuRate)]
    }

    public func drawStandardizedNoise(shapes: [Double], rng: inout RandomStream) -> Double {
        rng.studentT(df: shapes[0])
    }
}
