import Foundation

/// In-place radix-2 decimation-in-time fast Fourier transform of a complex
/// sequence held as separate real and imaginary arrays (Cooley & Tukey 1965;
/// Press et al., Numerical Recipes 3rd ed., §12.2).
///
/// Forward: `Xₖ = Σⱼ xⱼ e^{−2πi jk/L}`; inverse: the same with `e^{+2πi jk/L}`
/// and no `1/L` factor. `L` must be a power of two. Cost `O(L log L)`; the
/// rounding error of each output is `O(ε log L)` relative to `‖x‖`.
/// Used here only to get all autocovariances of long, slowly mixing chains in
/// `O(N log N)`.
struct RadixTwoFFT {
    let size: Int
    private let cosines: [Double]
    private let sines: [Double]

    /// - Precondition: `size` is a power of two ≥ 2 (internal callers only).
    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        let half = size / 2
        var cosines = [Double](repeating: 0, count: half)
        var sines = [Double](repeating: 0, count: half)
        for k in 0..<half {
            let angle = 2 * Double.pi * Double(k) / Double(size)
            cosines[k] = cos(angle)
            sines[k] = sin(angle)
        }
        self.cosines = cosines
        self.sines = sines
    }

    /// Smallest power of two that is at least `length`.
    static func size(atLeast length: Int) -> Int {
        var size = 2
        while size < length { size <<= 1 }
        return size
    }

    func transform(real: UnsafeMutableBufferPointer<Double>, imaginary: UnsafeMutableBufferPointer<Double>, inverse: Bool) {
        let n = size
        // Bit-reversal permutation.
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 {
                j ^= bit
                bit >>= 1
            }
            j |= bit
            if i < j {
                real.swapAt(i, j)
                imaginary.swapAt(i, j)
            }
        }
        let sign: Double = inverse ? 1 : -1
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                var length = 2
                while length <= n {
                    let half = length / 2
                    let stride = n / length
                    var start = 0
                    while start < n {
                        for k in 0..<half {
                            let wr = cosines[k * stride]
                            let wi = sign * sines[k * stride]
                            let a = start + k, b = a + half
                            let tr = wr * real[b] - wi * imaginary[b]
                            let ti = wr * imaginary[b] + wi * real[b]
                            real[b] = real[a] - tr
                            imaginary[b] = imaginary[a] - ti
                            real[a] += tr
                            imaginary[a] += ti
                        }
                        start += length
                    }
                    length <<= 1
                }
            }
        }
    }
}
