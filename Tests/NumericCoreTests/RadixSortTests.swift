import NumericCore
import Testing

/// The radix sorter must order doubles exactly as `<` does, across signs,
/// exponents, ties and infinities, and its index order must be the stable one.
struct RadixSortTests {
    /// Values mixing every case a key transform can get wrong: both signs,
    /// zeros of both signs, subnormals, huge and tiny magnitudes, infinities and
    /// many exact ties.
    static func awkwardValues(count: Int, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                  .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1]
        return (0..<count).map { i in
            switch i % 5 {
            case 0: return specials[Int(rng.uniform() * Double(specials.count))]
            case 1: return (rng.uniform() * 8).rounded() - 4               // ties
            case 2: return rng.standardNormal() * Double.exp(40 * rng.uniform() - 20)
            default: return 100 + rng.standardNormal()                      // one exponent, like draws
            }
        }
    }

    @Test(arguments: [0, 1, 2, 3, 17, 1000, 4001])
    func sortsLikeTheStandardLibrary(_ count: Int) {
        var values = Self.awkwardValues(count: count, seed: UInt64(count) + 7)
        let expected = values.sorted()
        var sorter = RadixSorter()
        values.withUnsafeMutableBufferPointer { sorter.sort($0) }
        for i in values.indices { #expect(values[i] == expected[i], "position \(i)") }
        // −0.0 before +0.0, as their bits say.
        if let firstZero = values.firstIndex(of: 0), values[firstZero].sign == .plus {
            #expect(!values[firstZero...].contains { $0 == 0 && $0.sign == .minus })
        }
    }

    @Test func orderIsTheStableArgsortAndTheSorterIsReusable() {
        var sorter = RadixSorter()
        for (count, seed) in [(1000, UInt64(1)), (10, 2), (4000, 3), (1, 4)] {
            let values = Self.awkwardValues(count: count, seed: seed)
            var order = [Int](repeating: -1, count: count)
            values.withUnsafeBufferPointer { v in order.withUnsafeMutableBufferPointer { sorter.order(v, into: $0) } }
            // Stable argsort: by value, ties by index (−0.0 and +0.0 count as tied for `<`
            // but the radix order puts −0.0 first, so compare by bits for zeros).
            let expected = values.indices.sorted { a, b in
                let x = values[a], y = values[b]
                if x == 0 && y == 0 && x.sign != y.sign { return x.sign == .minus }
                return x < y || (x == y && a < b)
            }
            #expect(order == expected, "\(count) values")
        }
    }
}
