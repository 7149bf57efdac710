/// A seedable, splittable pseudo-random generator.
///
/// The generator is xoshiro256** (Blackman & Vigna, "Scrambled linear
/// pseudorandom number generators", ACM TOMS 2021): period 2²⁵⁶ − 1, passes
/// BigCrush, four words of state. Its state is filled from a (seed, stream)
/// pair by SplitMix64 (Steele, Lea & Flood 2014), which turns nearby inputs
/// into unrelated states, so stream `k` of seed `s` is an independent sequence
/// for every `k`. Each MCMC chain (and each series of a daily run) gets its own
/// stream, so the draws never depend on which thread ran what.
public struct RandomStream: RandomNumberGenerator, Sendable, Equatable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// The generator for stream `stream` of seed `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        // Two SplitMix64 passes: the first scrambles the stream id so that
        // stream k of seed s and stream k+1 of seed s-γ do not collide.
        var mixer = SplitMix64(state: seed)
        var streamMixer = SplitMix64(state: stream &* 0xD1B5_4A32_D192_ED03 ^ 0x5851_F42D_4C95_7F2D)
        let offset = streamMixer.next()
        mixer.state ^= offset
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 } // the all-zero state is a fixed point
    }

    /// A child stream derived from this generator's seed material and an id;
    /// does not advance `self`.
    public func split(_ id: UInt64) -> RandomStream {
        RandomStream(seed: s0 ^ (s2 &* 0x9E37_79B9_7F4A_7C15), stream: id)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform on the open interval (0, 1): 53 random bits, offset by half an
    /// ulp so that neither 0 nor 1 can occur (safe under `log`).
    @inlinable
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }
}

/// SplitMix64, used only to seed `RandomStream` (Steele, Lea & Flood 2014).
@usableFromInline
struct SplitMix64 {
    @usableFromInline var state: UInt64
    @usableFromInline
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A stable 64-bit hash of a string (FNV-1a), for deriving per-series streams
/// from names; unlike `Hasher` it is the same in every process.
public func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        h ^= UInt64(byte)
        h = h &* 0x0000_0100_0000_01B3
    }
    return h
}
