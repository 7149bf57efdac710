import RealModule

/// The ziggurat method (Marsaglia & Tsang 2000, "The ziggurat method for
/// generating random variables", J. Stat. Softw. 5(8)) for standard normal
/// and standard exponential draws: exact draws that nearly always cost one
/// 64-bit random word, a table look-up and a multiplication — no logarithm,
/// square root or division, which the polar method and inversion need for
/// every draw.
///
/// The density `f` (unnormalized: `e^{−x²/2}` on x ≥ 0 with a random sign,
/// or `e^{−x}`) is covered by 256 horizontal layers of equal area `v`:
/// layer 0 is the rectangle `[0, r] × [0, f(r)]` plus the tail beyond `r`,
/// given the pseudo-width `x₀ = v / f(r)`; layer i ≥ 1 is
/// `[0, xᵢ] × [f(xᵢ), f(xᵢ₊₁)]` with `x₁ = r`, `xᵢ₊₁ = f⁻¹(f(xᵢ) + v/xᵢ)`,
/// `x₂₅₆ = 0`. A layer is chosen uniformly and a point `x = U·xᵢ` in it:
/// below `xᵢ₊₁` it lies under the curve whatever its height (accepted,
/// ~99% of draws); in layer 0 beyond `r` it is a tail draw; otherwise a
/// uniform height decides against `f(x)` and a refusal starts over. Every
/// accepted x thus has density ∝ f.
///
/// The tables are plain pointers, allocated once for the life of the process
/// (they are static) and never written after they are built: reading an
/// array in a draw would retain and release it, which costs as much as the
/// rest of the draw. Hence `@unchecked Sendable`, safe for immutable memory.
public struct ZigguratTable: @unchecked Sendable {
    /// Layer widths `x₀ … x₂₅₆` and the density at them.
    public let x: UnsafePointer<Double>
    public let f: UnsafePointer<Double>
    public let r: Double

    /// The layers for a decreasing density `f` on x ≥ 0 with inverse
    /// `inverse`, tail start `r` and layer area `v` (r and v solve
    /// `x₂₅₆ = 0`; the recursion's last width is set to 0 exactly).
    init(r: Double, v: Double, f density: (Double) -> Double, inverse: (Double) -> Double) {
        var x = [Double](repeating: 0, count: 257)
        x[0] = v / density(r)
        x[1] = r
        for i in 1..<255 { x[i + 1] = inverse(density(x[i]) + v / x[i]) }
        x[256] = 0
        let widths = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        let densities = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for i in 0...256 {
            widths[i] = x[i]
            densities[i] = density(x[i])
        }
        self.x = UnsafePointer(widths)
        self.f = UnsafePointer(densities)
        self.r = r
    }

    /// `e^{−x²/2}`: r = 3.6541528853610088 (Marsaglia & Tsang's value for
    /// 256 layers), v = r·f(r) + ∫_r^∞ f.
    public static let normal: ZigguratTable = {
        let r = 3.6541528853610088
        let tail = (Double.pi / 2).squareRoot() * Double.erfc(r / 2.0.squareRoot())
        return ZigguratTable(r: r, v: r * Double.exp(-0.5 * r * r) + tail,
                             f: { Double.exp(-0.5 * $0 * $0) },
                             inverse: { (-2 * Double.log(Swift.min(1, $0))).squareRoot() })
    }()

    /// `e^{−x}`: r = 7.69711747013104972, v = r·f(r) + ∫_r^∞ f = (r + 1)e^{−r}.
    public static let exponential: ZigguratTable = {
        let r = 7.69711747013104972
        return ZigguratTable(r: r, v: (r + 1) * Double.exp(-r), f: { Double.exp(-$0) },
                             inverse: { -Double.log(Swift.min(1, $0)) })
    }()
}

extension RandomStream {
    /// A standard normal draw by the ziggurat (``ZigguratTable``): the low
    /// 8 bits of one word choose the layer, bit 8 the sign, the top 53 bits
    /// the position. The tail beyond r by Marsaglia's (1964) method.
    @inlinable
    public mutating func zigguratNormal() -> Double { zigguratNormal(ZigguratTable.normal) }

    /// ``zigguratNormal()`` with the table (``ZigguratTable/normal``) given:
    /// a caller that keeps it saves the static's initialization check per draw.
    @inlinable
    public mutating func zigguratNormal(_ table: ZigguratTable) -> Double {
        while true {
            let word = next()
            let i = Int(word & 0xFF)
            let negative = word & 0x100 != 0
            let x = Double(word >> 11) * 0x1.0p-53 * table.x[i]
            if x < table.x[i + 1] { return negative ? -x : x }
            if i == 0 {
                // The tail x > r: r + e with e = −log(U₁)/r, accepted when −2 log(U₂) > e².
                while true {
                    let e = -Double.log(uniform()) / table.r
                    let y = -Double.log(uniform())
                    if 2 * y > e * e { return negative ? -(table.r + e) : table.r + e }
                }
            }
            if table.f[i + 1] + uniform() * (table.f[i] - table.f[i + 1]) < Double.exp(-0.5 * x * x) {
                return negative ? -x : x
            }
        }
    }

    /// A standard exponential draw by the ziggurat (``ZigguratTable``); the
    /// tail beyond r is r plus a fresh draw (the exponential forgets).
    @inlinable
    public mutating func zigguratExponential() -> Double { zigguratExponential(ZigguratTable.exponential) }

    /// ``zigguratExponential()`` with the table (``ZigguratTable/exponential``) given.
    @inlinable
    public mutating func zigguratExponential(_ table: ZigguratTable) -> Double {
        var offset = 0.0
        while true {
            let word = next()
            let i = Int(word & 0xFF)
            let x = Double(word >> 11) * 0x1.0p-53 * table.x[i]
            if x < table.x[i + 1] { return offset + x }
            if i == 0 {
                offset += table.r
                continue
            }
            if table.f[i + 1] + uniform() * (table.f[i] - table.f[i + 1]) < Double.exp(-x) { return offset + x }
        }
    }
}
