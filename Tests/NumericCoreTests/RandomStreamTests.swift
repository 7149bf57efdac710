import NumericCore
import Testing

/// `RandomStream`: reproducible for a seed, independent across streams and seeds.
struct RandomStreamTests {
    /// Uniforms per correlation check; under independence the sample
    /// correlation has standard error 1/√n, so |r| ≤ 4/√n = 0.04.
    static let sampleSize = 10_000

    static func uniforms(seed: UInt64, stream: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed, stream: stream)
        return (0..<sampleSize).map { _ in rng.uniform() }
    }

    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    @Test func sameSeedAndStreamGiveIdenticalSequences() {
        for (seed, stream) in [(UInt64(0), UInt64(0)), (42, 0), (42, 7), (.max, .max)] {
            var a = RandomStream(seed: seed, stream: stream)
            var b = RandomStream(seed: seed, stream: stream)
            #expect(a == b)
            for _ in 0..<1_000 { #expect(a.next() == b.next()) }
        }
        var implicit = RandomStream(seed: 9)
        var explicit = RandomStream(seed: 9, stream: 0)
        #expect(implicit.next() == explicit.next(), "the default stream is stream 0")
    }

    @Test func differentStreamsAreUncorrelated() {
        let bound = 4 / Double(Self.sampleSize).squareRoot()
        for (seed, s1, s2) in [(UInt64(1), UInt64(0), UInt64(1)), (1, 1, 2), (0, 0, 1), (12345, 3, 4),
                               (7, 0, 1 << 32), (7, 5, 6)] {
            let x = Self.uniforms(seed: seed, stream: s1)
            let y = Self.uniforms(seed: seed, stream: s2)
            #expect(x != y)
            let r = Self.correlation(x, y)
            #expect(abs(r) <= bound, "seed \(seed): streams \(s1) and \(s2) correlate at r = \(r)")
            // Also against a one-step lag, which catches a stream that is a shifted copy.
            let lagged = Self.correlation(Array(x.dropFirst()), Array(y.dropLast()))
            #expect(abs(lagged) <= bound, "seed \(seed): streams \(s1) and \(s2) lagged r = \(lagged)")
        }
    }

    @Test func differentSeedsAreUncorrelated() {
        let bound = 4 / Double(Self.sampleSize).squareRoot()
        for (s1, s2) in [(UInt64(0), UInt64(1)), (1, 2), (42, 43), (1 << 40, (1 << 40) + 1)] {
            let x = Self.uniforms(seed: s1, stream: 0)
            let y = Self.uniforms(seed: s2, stream: 0)
            let r = Self.correlation(x, y)
            #expect(abs(r) <= bound, "seeds \(s1) and \(s2) correlate at r = \(r)")
        }
    }

    @Test func consecutiveDrawsAreUncorrelated() {
        let x = Self.uniforms(seed: 5, stream: 0)
        let r = Self.correlation(Array(x.dropFirst()), Array(x.dropLast()))
        #expect(abs(r) <= 4 / Double(Self.sampleSize).squareRoot())
    }

    @Test func splitIsDeterministicAndLeavesTheParentUntouched() {
        var parent = RandomStream(seed: 77, stream: 2)
        let copy = parent
        var childA = parent.split(1)
        var childA2 = parent.split(1)
        var childB = parent.split(2)
        #expect(parent == copy, "split must not advance the parent")
        let a = (0..<100).map { _ in childA.next() }
        #expect(a == (0..<100).map { _ in childA2.next() })
        #expect(a != (0..<100).map { _ in childB.next() })
        #expect(a != (0..<100).map { _ in parent.next() })
    }

    @Test func stableHashIsFNV1a() {
        // Test vectors of the FNV-1a 64-bit reference.
        #expect(stableHash("") == 0xCBF2_9CE4_8422_2325)
        #expect(stableHash("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(stableHash("foobar") == 0x8594_4171_F739_67E8)
    }
}
