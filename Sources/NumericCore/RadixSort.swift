/// Least-significant-digit radix sort of doubles, for the many short sorts
/// of posterior summaries (each day's 1,000 draws; each quantity's pooled
/// draws for rank normalization), where it is about four times faster than a
/// comparison sort.
///
/// A double's bits become an unsigned key whose order is the numeric order:
/// a non-negative number gets its sign bit set, a negative number all its bits
/// flipped (Herf 2001, "Radix tricks"). The keys are then sorted by eight
/// passes of one byte each (counting sort, stable); a pass where every key
/// has the same byte is skipped, which for draws of one quantity (same sign
/// and exponent) removes the top passes. `−0.0` sorts before `+0.0`; NaN,
/// which has no numeric order, sorts after `+∞` (positive NaN) or before `−∞`.
///
/// A sorter owns its buffers and is reused row after row; it is a value with
/// reference-counted storage, so give each thread its own.
public struct RadixSorter {
    /// Bits per pass and the number of passes over a 64-bit key.
    static let digitBits = 8
    static let passes = 8
    static let buckets = 1 << digitBits

    private var keys: [UInt64] = []
    private var swapKeys: [UInt64] = []
    private var indices: [Int] = []
    private var swapIndices: [Int] = []
    private var counts = [Int](repeating: 0, count: buckets * passes)

    public init() {}

    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    private mutating func reserve(_ n: Int, withIndices: Bool) {
        if keys.count < n {
            keys = Array(repeating: 0, count: n)
            swapKeys = Array(repeating: 0, count: n)
        }
        if withIndices && indices.count < n {
            indices = Array(repeating: 0, count: n)
            swapIndices = Array(repeating: 0, count: n)
        }
    }

    /// Sorts `values` ascending in place.
    public mutating func sort(_ values: UnsafeMutableBufferPointer<Double>) {
        let n = values.count
        guard n > 1 else { return }
        reserve(n, withIndices: false)
        let inSwap = keys.withUnsafeMutableBufferPointer { k in
            swapKeys.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n { k[i] = Self.key(values[i]) }
                    return Self.sortKeys(n, k, s, nil, nil, c)
                }
            }
        }
        (inSwap ? swapKeys : keys).withUnsafeBufferPointer { k in
            for i in 0..<n { values[i] = Self.value(k[i]) }
        }
    }

    /// Writes to `order` the indices that sort `values` ascending (equal
    /// values keep their index order).
    public mutating func order(_ values: UnsafeBufferPointer<Double>, into order: UnsafeMutableBufferPointer<Int>) {
        let n = values.count
        precondition(order.count == n, "order must have one slot per value")
        guard n > 1 else {
            if n == 1 { order[0] = 0 }
            return
        }
        reserve(n, withIndices: true)
        let inSwap = keys.withUnsafeMutableBufferPointer { k in
            swapKeys.withUnsafeMutableBufferPointer { s in
                indices.withUnsafeMutableBufferPointer { ix in
                    swapIndices.withUnsafeMutableBufferPointer { sx in
                        counts.withUnsafeMutableBufferPointer { c in
                            for i in 0..<n { k[i] = Self.key(values[i]); ix[i] = i }
                            return Self.sortKeys(n, k, s, ix, sx, c)
                        }
                    }
                }
            }
        }
        (inSwap ? swapIndices : indices).withUnsafeBufferPointer { ix in
            for i in 0..<n { order[i] = ix[i] }
        }
    }

    /// The passes; the sorted keys (and their indices) end in the swap buffers
    /// when the function returns true, in the first buffers otherwise.
    private static func sortKeys(_ n: Int, _ keys: UnsafeMutableBufferPointer<UInt64>,
                                 _ swapKeys: UnsafeMutableBufferPointer<UInt64>,
                                 _ indices: UnsafeMutableBufferPointer<Int>?,
                                 _ swapIndices: UnsafeMutableBufferPointer<Int>?,
                                 _ counts: UnsafeMutableBufferPointer<Int>) -> Bool {
        let mask = UInt64(buckets - 1)
        for i in 0..<counts.count { counts[i] = 0 }
        for i in 0..<n {
            let k = keys[i]
            for p in 0..<passes { counts[p &* buckets &+ Int((k >> UInt64(p &* digitBits)) & mask)] &+= 1 }
        }
        var src = keys, dst = swapKeys
        var srcIx = indices, dstIx = swapIndices
        var inSwap = false
        for p in 0..<passes {
            let base = p * buckets
            var sum = 0
            var trivial = false
            for d in 0..<buckets {
                let count = counts[base + d]
                if count == n { trivial = true; break }
                counts[base + d] = sum
                sum += count
            }
            if trivial { continue }
            let shift = UInt64(p * digitBits)
            if let si = srcIx, let di = dstIx {
                for i in 0..<n {
                    let k = src[i]
                    let slot = base + Int((k >> shift) & mask)
                    let at = counts[slot]
                    dst[at] = k
                    di[at] = si[i]
                    counts[slot] = at + 1
                }
                srcIx = di
                dstIx = si
            } else {
                for i in 0..<n {
                    let k = src[i]
                    let slot = base + Int((k >> shift) & mask)
                    dst[counts[slot]] = k
                    counts[slot] += 1
                }
            }
            swap(&src, &dst)
            inSwap.toggle()
        }
        return inSwap
    }
}
