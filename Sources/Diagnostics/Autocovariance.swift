/// Autocovariances of the chains, averaged over chains, as the effective
/// sample size needs them (ArviZ's `autocov` followed by `mean(acov[:, t])`):
///
///     γ̂ₜ = (1/M) Σₘ (1/N) Σ_{i=0}^{N−1−t} (θᵢₘ − θ̄ₘ)(θ_{i+t,m} − θ̄ₘ)
///
/// (divisor `N`, the biased estimator of Geyer 1992 and BDA3 §11.5).
///
/// Lags are produced on demand: the Geyer sum usually stops after a few lags,
/// and each lag costs `O(MN)` by direct summation. Once more lags are asked for
/// than ``directLagLimit`` — a slowly mixing chain — every lag is computed at
/// once by FFT (`O(MN log N)`), so the cost never grows like `N²`. Both
/// routes give the same values up to rounding (~1e-15 relative to γ̂₀).
struct PooledAutocovariance {
    /// Chains centred on their own means, one after another.
    private let centered: [Double]
    private let segmentCount: Int
    private let segmentLength: Int
    private let fftSize: Int
    /// Lags beyond which the FFT is cheaper than further direct sums: one direct
    /// lag costs `MN` multiply-adds and the FFT route about `(M/2 + 1) · 2L log₂ L`
    /// flops with `L ≈ 2N`, i.e. a few `log₂ L` direct lags; 3·log₂ L measured best.
    let directLagLimit: Int
    private var allLags: [Double]?

    init(centered: [Double], segmentCount: Int, segmentLength: Int) {
        self.centered = centered
        self.segmentCount = segmentCount
        self.segmentLength = segmentLength
        fftSize = RadixTwoFFT.size(atLeast: 2 * segmentLength)
        directLagLimit = 3 * fftSize.trailingZeroBitCount
    }

    /// Whether the FFT route has been taken (for tests and tuning).
    var usedFFT: Bool { allLags != nil }

    /// Mean over chains of the lag-`lag` autocovariance, `0 ≤ lag < N`.
    mutating func callAsFunction(_ lag: Int) -> Double {
        if let allLags { return allLags[lag] }
        if lag > directLagLimit {
            let table = computeAllLags()
            allLags = table
            return table[lag]
        }
        return directLag(lag)
    }

    private func directLag(_ lag: Int) -> Double {
        let n = segmentLength
        var total = 0.0
        centered.withUnsafeBufferPointer { values in
            for k in 0..<segmentCount {
                let base = values.baseAddress! + k * n
                var sum = 0.0
                for i in 0..<(n - lag) { sum += base[i] * base[i + lag] }
                total += sum / Double(n)
            }
        }
        return total / Double(segmentCount)
    }

    /// All lags by the Wiener–Khinchin theorem: the autocovariance is the inverse
    /// transform of the power spectrum of the zero-padded chain (padding to
    /// `L ≥ 2N` removes the circular wrap-around). Two real chains share one
    /// complex transform `Z = X + iY`, using `|Xₖ|² + |Yₖ|² = (|Zₖ|² + |Z_{L−k}|²)/2`,
    /// and the spectra of all chains are summed before one inverse transform.
    private func computeAllLags() -> [Double] {
        let n = segmentLength
        let size = fftSize
        let fft = RadixTwoFFT(size: size)
        var power = [Double](repeating: 0, count: size)
        var real = [Double](repeating: 0, count: size)
        var imaginary = [Double](repeating: 0, count: size)
        centered.withUnsafeBufferPointer { values in
            real.withUnsafeMutableBufferPointer { re in
                imaginary.withUnsafeMutableBufferPointer { im in
                    power.withUnsafeMutableBufferPointer { power in
                        var k = 0
                        while k < segmentCount {
                            for i in 0..<size { re[i] = 0; im[i] = 0 }
                            for i in 0..<n { re[i] = values[k * n + i] }
                            if k + 1 < segmentCount {
                                for i in 0..<n { im[i] = values[(k + 1) * n + i] }
                            }
                            fft.transform(real: re, imaginary: im, inverse: false)
                            for f in 0..<size {
                                let mirror = (size - f) & (size - 1)
                                power[f] += 0.5 * (re[f] * re[f] + im[f] * im[f]
                                    + re[mirror] * re[mirror] + im[mirror] * im[mirror])
                            }
                            k += 2
                        }
                        for i in 0..<size { re[i] = power[i]; im[i] = 0 }
                        fft.transform(real: re, imaginary: im, inverse: true)
                    }
                }
            }
        }
        let scale = 1 / (Double(size) * Double(n) * Double(segmentCount))
        return (0..<n).map { real[$0] * scale }
    }
}
