import Foundation

/// The byte layout of one day's draws in the store (`day_draws.level`,
/// `day_draws.predictive`): the draws in draw order, each an IEEE 754 binary32
/// (Float32) in little-endian byte order, 4 bytes a draw, no header — so any
/// language reads it (`numpy.frombuffer(blob, "<f4")`, PostgreSQL
/// `get_byte`, the `draws` view of ``StoreSchema/version3``).
///
/// Why Float32: one more run date must stay cheap (SPEC §9), and a relative
/// rounding of at most 2⁻²⁴ changes a percent change by about 10⁻⁵ points —
/// nothing next to the Monte Carlo error of a probability from 1,000 draws
/// (≈ 0.016). Backend-independent: every store writes these bytes.
public enum DrawBlob {
    public static let bytesPerDraw = 4

    /// The little-endian Float32 bytes of `draws`.
    public static func encode(_ draws: [Float]) -> Data {
        var bytes = [UInt8](repeating: 0, count: draws.count * bytesPerDraw)
        for (i, draw) in draws.enumerated() {
            let bits = draw.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { raw in
                for b in 0..<bytesPerDraw { bytes[i * bytesPerDraw + b] = raw[b] }
            }
        }
        return Data(bytes)
    }

    /// The draws of `data`; `nil` when its length is not a multiple of 4
    /// (a damaged or foreign value).
    public static func decode(_ data: Data) -> [Float]? {
        guard data.count % bytesPerDraw == 0 else { return nil }
        let count = data.count / bytesPerDraw
        return data.withUnsafeBytes { raw -> [Float] in
            (0..<count).map { i in
                var bits: UInt32 = 0
                for b in 0..<bytesPerDraw { bits |= UInt32(raw[i * bytesPerDraw + b]) << (8 * UInt32(b)) }
                return Float(bitPattern: bits)
            }
        }
    }
}

/// The outlier scores of a model input chunk as one run date saw them
/// (`model_input_parts.z`): little-endian IEEE 754 binary32, one per chunk row
/// in order, NaN for a row without a score. Single precision like the draws
/// and like ``ModelInputRow/z``: every run date stores the scores of every row
/// again (their scale is the MAD of the whole window), so their width is a
/// fifth of what one more run date adds (SPEC §9: ≤ 5 MB per 100 series);
/// the outlier decision itself is stored exactly (`outlier`).
///
/// Stores before schema step 7 hold binary64 scores (8 bytes); ``decode(_:count:)``
/// reads either width (a read-only command does not upgrade a store), and
/// the step converts them.
public enum ScoreBlob {
    /// A score is stored as a draw is (``DrawBlob``), NaN for none.
    public static let bytesPerScore = DrawBlob.bytesPerDraw
    /// The width of a score in stores before schema step 7.
    public static let legacyBytesPerScore = 8

    public static func encode(_ scores: [Double?]) -> Data {
        DrawBlob.encode(scores.map { $0.flatMap(ModelInputRow.singlePrecision) ?? .nan })
    }

    /// The `count` scores of `data`, single or (an older store) double
    /// precision; `nil` when its length is neither `4 × count` nor `8 × count`.
    public static func decode(_ data: Data, count: Int) -> [Double?]? {
        guard count >= 0 else { return nil }
        if data.count == bytesPerScore * count {
            return DrawBlob.decode(data)?.map { $0.isNaN ? nil : Double($0) }
        }
        guard data.count == legacyBytesPerScore * count else { return nil }
        return data.withUnsafeBytes { raw -> [Double?] in
            (0..<count).map { i in
                var bits: UInt64 = 0
                for b in 0..<legacyBytesPerScore { bits |= UInt64(raw[i * legacyBytesPerScore + b]) << (8 * UInt64(b)) }
                let value = Double(bitPattern: bits)
                return value.isNaN ? nil : value
            }
        }
    }
}
