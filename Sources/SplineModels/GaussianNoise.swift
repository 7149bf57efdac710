import NumericCore

/// `ε ~ Normal(0, σ)`: `ℓ = −n(log σ + log √(2π)) − RSS/(2σ²)`,
/// `∂ℓ/∂μ_i = r_i/σ²`, `∂ℓ/∂log σ = −n + RSS/σ²`. No shape parameters.
public struct GaussianNoise: NoiseLikelihood {
    public init() {}

    public var shapeParameterNames: [String] { [] }

    public func logLikelihood(design: SplineDesign, values: [Double], beta: [Double], sigma: Double, logSigma: Double,
                              shape: [Double], gradientBeta: inout [Double]) -> NoiseLogLikelihood? {
        let n = design.pointCount
        let invSigma = 1 / sigma
        var sumSq = 0.0
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
                                sumSq += r * r
                                let d = r * invSigma * invSigma
                                gb[f] += d * w0; gb[f + 1] += d * w1; gb[f + 2] += d * w2; gb[f + 3] += d * w3
                            }
                        }
                    }
                }
            }
        }
        let nD = Double(n)
        return NoiseLogLikelihood(value: -nD * (logSigma + logSqrtTwoPi) - 0.5 * sumSq * invSigma * invSigma,
                                  dLogSigma: -nD + sumSq * invSigma * invSigma, dShape: [])
    }

    public func logShapePrior(logShape: [Double], likelihoodGradient: [Double], priors: SplinePriors)
        -> (value: Double, gradient: [Double]) {
        (0, [])
    }

    /// Standard normals are already standardized Gaussian noise.
    public func standardizeNoise(_ standardNormals: inout [Double], shapes: [Double], rng: inout RandomStream) {}

    public func drawShapeParameters(priors: SplinePriors, rng: inout RandomStream) -> [Double] { [] }

    public func drawStandardizedNoise(shapes: [Double], rng: inout RandomStream) -> Double { rng.standardNormal() }
}
