import NumericCore
import SplineModels
import RealModule

/// The conjugate sweep for Gaussian noise in the Demmler–Reinsch coordinates,
/// where every update costs O(K) instead of a band factorization.
///
/// In `v = [w; c] = G⁻¹β` (see `SplineDesign`) the data Gram matrix `GᵀBᵀBG`
/// is diagonal (`h`) and the random-walk prior is `w ~ Normal(0, τ²I)`. The
/// only other terms of the coefficients' conditional precision are the
/// scale-mixture priors of the intercept and the trend, a rank-2 term:
///
///     Q = E + U Λ Uᵀ,   E = diag(h/σ² + 𝟙[j penalized]/τ²),
///     U = Gᵀ[b_c g_c],  Λ = diag(λ_a/A², λ_s/S²).
///
/// With the 2×2 matrix `S = Λ⁻¹ + UᵀE⁻¹U` and `c = GᵀBᵀỹ/σ²`, the matrix
/// determinant lemma and the Woodbury identity give, in O(K),
///
///     log|Q|   = Σ log e_j + log|Λ| + log|S|
///     cᵀQ⁻¹c   = cᵀE⁻¹c − tᵀS⁻¹t,   t = UᵀE⁻¹c,
///
/// which is all the collapsed τ update needs; and an exact coefficient draw
/// is `v = Q⁻¹(c + η)` with `η = E^{1/2}z₁ + UΛ^{1/2}z₂ ~ Normal(0, Q)`
/// (perturb-and-solve: Papandreou & Yuille 2010), also O(K). The residual sum
/// of squares is `ỹᵀỹ − 2vᵀGᵀBᵀỹ + Σ h_j v_j²`. The sweep is otherwise the one
/// of `ConjugateGibbs` (same order, same conditionals); β = Gv is formed only
/// for kept draws.
///
/// Valid only while `GᵀBᵀBG` is diagonal to rounding; `init` returns nil
/// otherwise and the band sampler is used.
struct DiagonalGibbsState {
    let model: SplineModel
    /// The random-walk level prior this solver's structure comes from.
    let levelPrior: RandomWalkPenaltyPrior
    let k: Int
    /// Number of penalized coordinates (`K − 2`): they come first in `v`.
    let penalized: Int
    let pointCount: Double
    let h: [Double]
    /// `GᵀBᵀỹ`.
    let r: [Double]
    let yy: Double
    /// Columns of `U`: `Gᵀb_c` and `Gᵀg_c`.
    let levelLoading: [Double]
    let trendLoading: [Double]
    let levelPriorPrecision: Double
    let trendPriorPrecision: Double

    var v: [Double]
    var sigma: Double
    var tau: Double
    var lambdaLevel = 1.0
    var lambdaTrend = 1.0
    /// Reused buffer of the coefficient draw's normals.
    private var normals: [Double]

    /// Largest `|(GᵀBᵀBG)_ij| / √(h_i h_j)` off the diagonal accepted as rounding.
    static let diagonalTolerance = 1e-9

    /// The structure for `model`, at σ = τ = 1 (a chain sets its start), or
    /// nil when the solver is not valid for it: noise with point weights, a
    /// level prior other than `RandomWalkPenaltyPrior` (whose penalty the
    /// Demmler–Reinsch basis diagonalizes), or a Gram matrix not diagonal.
    init?(model: SplineModel) {
        guard model.conjugateNoise?.hasUnitWeights == true,
              let prior = model.levelPrior as? RandomWalkPenaltyPrior else { return nil }
        let design = model.design
        let k = design.count
        let g = design.reparametrization
        let (btb, bty) = design.weightedCrossProducts(values: model.scaledValues, pointWeights: nil)
        // GᵀHG, dense (K is small and this is done once per chain).
        var hg = Matrix(rows: k, columns: k)
        for col in 0..<k {
            let column = (0..<k).map { g[$0, col] }
            let product = btb.multiply(column)
            for i in 0..<k { hg[i, col] = product[i] }
        }
        let gram = g.multiply(hg, transposeSelf: true)
        var diagonal = [Double](repeating: 0, count: k)
        for j in 0..<k { diagonal[j] = gram[j, j] }
        guard diagonal.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        for j in 0..<k {
            for i in 0..<j where abs(gram[i, j]) > Self.diagonalTolerance * (diagonal[i] * diagonal[j]).squareRoot() {
                return nil
            }
        }
        self.model = model
        levelPrior = prior
        self.k = k
        penalized = prior.penaltyRank
        pointCount = Double(design.pointCount)
        h = diagonal
        r = g.multiply(bty, transpose: true)
        yy = model.scaledValues.reduce(0) { $0 + $1 * $1 }
        levelLoading = g.multiply(design.levelRow, transpose: true)
        trendLoading = g.multiply(design.trendRow, transpose: true)
        levelPriorPrecision = 1 / (prior.interceptScale * prior.interceptScale)
        trendPriorPrecision = 1 / (prior.trendScale * prior.trendScale)

        sigma = 1
        tau = 1
        v = Array(repeating: 0, count: k)
        normals = Array(repeating: 0, count: k + 2)
    }

    /// The pieces of `Q = E + UΛUᵀ` for σ, τ: the inverse diagonal is written
    /// to `inverse` when given. Returns `log|E|`, `cᵀE⁻¹c`, `M = UᵀE⁻¹U`
    /// (`maa, mas, mss`) and `t = UᵀE⁻¹c`.
    @inline(__always)
    func woodbury(sigma: Double, tau: Double)
        -> (logDetE: Double, cEc: Double, maa: Double, mas: Double, mss: Double, ta: Double, ts: Double) {
        let invS2 = 1 / (sigma * sigma)
        let invT2 = 1 / (tau * tau)
        var logDet = 0.0, product = 1.0
        var cEc = 0.0, maa = 0.0, mas = 0.0, mss = 0.0, ta = 0.0, ts = 0.0
        h.withUnsafeBufferPointer { h in
            r.withUnsafeBufferPointer { r in
                levelLoading.withUnsafeBufferPointer { ua in
                    trendLoading.withUnsafeBufferPointer { us in
                        for j in 0..<k {
                            let e = h[j] * invS2 + (j < penalized ? invT2 : 0)
                            let inv = 1 / e
                            // Σ log e_j as the log of running products, rescaled before they leave range.
                            product *= e
                            if product > 1e150 || product < 1e-150 { logDet += Double.log(product); product = 1 }
                            let ci = r[j] * invS2 * inv
                            cEc += r[j] * invS2 * ci
                            let a = ua[j], s = us[j]
                            maa += a * a * inv
                            mas += a * s * inv
                            mss += s * s * inv
                            ta += a * ci
                            ts += s * ci
                        }
                    }
                }
            }
        }
        logDet += Double.log(product)
        return (logDet, cEc, maa, mas, mss, ta, ts)
    }

    /// Log of p(log τ | σ, λ, y) with the coefficients integrated out, up to a
    /// constant: `−(K−2) log τ − ½ log|Q| + ½ cᵀQ⁻¹c + log p(τ) + log τ`.
    func collapsedLogTau(_ logTau: Double) -> Double {
        let t = Double.exp(logTau)
        guard t.isFinite, t > 0 else { return -.infinity }
        let w = woodbury(sigma: sigma, tau: t)
        let la = lambdaLevel * levelPriorPrecision, ls = lambdaTrend * trendPriorPrecision
        let s00 = 1 / la + w.maa, s01 = w.mas, s11 = 1 / ls + w.mss
        let det = s00 * s11 - s01 * s01
        guard det > 0 else { return -.infinity }
        let quad = w.cEc - (s11 * w.ta * w.ta - 2 * s01 * w.ta * w.ts + s00 * w.ts * w.ts) / det
        // log|Λ| is constant in τ and left out.
        return -Double(penalized) * logTau - 0.5 * (w.logDetE + Double.log(det)) + 0.5 * quad
            + levelPrior.scalePriorKernel(t) + logTau
    }

    /// v ~ Normal(Q⁻¹c, Q⁻¹) by perturb-and-solve.
    mutating func drawCoefficients(rng: inout RandomStream) {
        normals.withUnsafeMutableBufferPointer { rng.fillStandardNormals($0) }
        let invS2 = 1 / (sigma * sigma)
        let invT2 = 1 / (tau * tau)
        let la = lambdaLevel * levelPriorPrecision, ls = lambdaTrend * trendPriorPrecision
        let za = la.squareRoot() * normals[k], zs = ls.squareRoot() * normals[k + 1]
        var maa = 0.0, mas = 0.0, mss = 0.0, ta = 0.0, ts = 0.0
        let k = self.k, penalized = self.penalized
        h.withUnsafeBufferPointer { h in
            r.withUnsafeBufferPointer { r in
                levelLoading.withUnsafeBufferPointer { ua in
                    trendLoading.withUnsafeBufferPointer { us in
                        normals.withUnsafeBufferPointer { z in
                            v.withUnsafeMutableBufferPointer { v in
                                for j in 0..<k {
                                    let e = h[j] * invS2 + (j < penalized ? invT2 : 0)
                                    let inv = 1 / e
                                    let a = ua[j], s = us[j]
                                    // E⁻¹(c + η), η = E^{1/2}z₁ + UΛ^{1/2}z₂.
                                    let y = (r[j] * invS2 + e.squareRoot() * z[j] + a * za + s * zs) * inv
                                    v[j] = y
                                    maa += a * a * inv
                                    mas += a * s * inv
                                    mss += s * s * inv
                                    ta += a * y
                                    ts += s * y
                                }
                                // v = E⁻¹x − E⁻¹U S⁻¹ UᵀE⁻¹x.
                                let s00 = 1 / la + maa, s01 = mas, s11 = 1 / ls + mss
                                let det = s00 * s11 - s01 * s01
                                let xa = (s11 * ta - s01 * ts) / det
                                let xs = (s00 * ts - s01 * ta) / det
                                for j in 0..<k {
                                    let e = h[j] * invS2 + (j < penalized ? invT2 : 0)
                                    v[j] -= (ua[j] * xa + us[j] * xs) / e
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One sweep with slice widths `widths`: steps 1–4 of `ConjugateGibbs`.
    mutating func sweep(widths: GibbsSliceWidths, rng: inout RandomStream) -> GibbsInfo {
        // 1. τ, collapsed over the coefficients.
        let tauUpdate = GibbsSteps.sliceLogScale(tau, width: widths.logTau, rng: &rng) { collapsedLogTau($0) }
        tau = tauUpdate.value

        // 2. The coefficients exactly.
        drawCoefficients(rng: &rng)

        // 3. σ given the coefficients; the residual sum of squares in O(K).
        var cross = 0.0, quadratic = 0.0, level = 0.0, trend = 0.0
        for j in 0..<k {
            cross += v[j] * r[j]
            quadratic += h[j] * v[j] * v[j]
            level += levelLoading[j] * v[j]
            trend += trendLoading[j] * v[j]
        }
        let rss = Swift.max(0, yy - 2 * cross + quadratic)
        let sigmaUpdate = GibbsSteps.sigma(sigma, residualSumOfSquares: rss, pointCount: pointCount,
                                             priors: model.priors, width: widths.logSigma, rng: &rng)
        sigma = sigmaUpdate.value

        // 4. Scale-mixture weights of the intercept and trend priors.
        (lambdaLevel, lambdaTrend) = levelPrior.drawMixtureWeights(level: level, trend: trend, rng: &rng)
        return GibbsInfo(logTau: tauUpdate.log, logSigma: sigmaUpdate.log, logNu: nil, failedFactorization: false)
    }
}
