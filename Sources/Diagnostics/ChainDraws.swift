/// The stored draws of one scalar parameter: `chainCount` chains of
/// `drawCount` post-warm-up iterations each, chain after chain in one flat
/// buffer (`values[chain * drawCount + draw]`).
///
/// This is the input of every diagnostic in this module (ArviZ's
/// `(chain, draw)` array). The shape is checked once here so the diagnostics
/// themselves never fail on shape.
public struct ChainDraws: Sendable, Equatable {
    /// ArviZ's minimum number of draws per chain for any diagnostic: with fewer
    /// than 4 the split chains have fewer than 2 draws and no variance.
    public static let minimumDrawCount = 4

    public let chainCount: Int
    public let drawCount: Int
    /// `values[chain * drawCount + draw]`.
    public let values: [Double]

    /// Draws given as one array per chain.
    /// - Throws: `DiagnosticsError` if there is no chain, the chains differ in
    ///   length, or a chain has fewer than ``minimumDrawCount`` draws.
    public init(_ chains: [[Double]]) throws {
        guard let first = chains.first else { throw DiagnosticsError.noChains }
        for (index, chain) in chains.enumerated() where chain.count != first.count {
            throw DiagnosticsError.unequalChainLengths(chain: index, count: chain.count, expected: first.count)
        }
        try self.init(flattened: Array(chains.joined()), chainCount: chains.count, drawCount: first.count)
    }

    /// Draws already stored chain after chain.
    /// - Throws: `DiagnosticsError` if the buffer does not match the shape or the
    ///   shape is unusable.
    public init(flattened values: [Double], chainCount: Int, drawCount: Int) throws {
        guard chainCount >= 1 else { throw DiagnosticsError.noChains }
        guard drawCount >= Self.minimumDrawCount else {
            throw DiagnosticsError.tooFewDraws(count: drawCount, minimum: Self.minimumDrawCount)
        }
        guard values.count == chainCount * drawCount else {
            throw DiagnosticsError.shapeMismatch(valueCount: values.count, chainCount: chainCount, drawCount: drawCount)
        }
        self.chainCount = chainCount
        self.drawCount = drawCount
        self.values = values
    }

    /// Number of draws over all chains.
    public var totalDrawCount: Int { chainCount * drawCount }

    /// Draw `draw` of chain `chain`.
    @inlinable
    public subscript(chain: Int, draw: Int) -> Double { values[chain * drawCount + draw] }

    /// The draws of one chain.
    public func chain(_ chain: Int) -> ArraySlice<Double> {
        values[(chain * drawCount)..<((chain + 1) * drawCount)]
    }

    /// True when some draw is NaN; ArviZ then returns NaN for every diagnostic.
    var containsNaN: Bool { values.contains { $0.isNaN } }

    /// The split chains (Gelman et al. 2013, §11.4): each chain's first ⌊n/2⌋
    /// draws and its last ⌊n/2⌋ draws become two chains (the middle draw of an
    /// odd-length chain is dropped), stacked as all first halves, then all
    /// second halves — ArviZ's `_split_chains`.
    func splitChains() -> SegmentedSample {
        splitChains(of: values)
    }

    /// The split chains of any per-draw transform of these draws
    /// (`transformed` has the same layout as ``values``).
    func splitChains(of transformed: [Double]) -> SegmentedSample {
        let half = drawCount / 2
        var split = [Double]()
        split.reserveCapacity(2 * chainCount * half)
        for chain in 0..<chainCount {
            let start = chain * drawCount
            split.append(contentsOf: transformed[start..<(start + half)])
        }
        for chain in 0..<chainCount {
            let start = chain * drawCount + drawCount - half
            split.append(contentsOf: transformed[start..<(start + half)])
        }
        return SegmentedSample(values: split, segmentCount: 2 * chainCount, segmentLength: half)
    }

    /// The chains as they are, as segments.
    func unsplitChains() -> SegmentedSample {
        SegmentedSample(values: values, segmentCount: chainCount, segmentLength: drawCount)
    }
}

/// Equal-length segments (chains or split chains) stored one after another:
/// segment `k` is `values[k * segmentLength ..< (k + 1) * segmentLength]`.
struct SegmentedSample {
    var values: [Double]
    let segmentCount: Int
    let segmentLength: Int

    var count: Int { values.count }
}
