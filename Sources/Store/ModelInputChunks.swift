import Foundation

/// How the model input of one (run date, series) is stored without copying
/// it for every run date (SPEC §9, issue 14): the rows are cut into chunks of
/// ``chunkDays`` calendar days, and a chunk is stored once per series under a
/// hash of its content. Consecutive run dates share every chunk whose rows did
/// not change — all but the first (the window's start moved) and the last one
/// or two (new runs, outlier scores near the end) — so one more run date adds
/// its list of chunks and a few new ones.
///
/// Two things change for every row from one run date to the next, so they are
/// kept with the run date's reference to the chunk, not in it: the day index
/// (days since the window's first day) — a chunk row keeps the absolute day
/// `epoch_day` (`day + origin`) and each (run date, series) its `origin`, so
/// `day = epoch_day − origin` — and the outlier score z, whose scale is the MAD
/// of the whole window's residuals: each reference carries the z of its chunk's
/// rows as a little-endian Float32 blob (``ScoreBlob``).
/// Backend-independent: SQLite and PostgreSQL store the same chunks.
public enum ModelInputChunks {
    /// Calendar days per chunk: about 2 × 14 × 3 new rows and 27 references
    /// per series and run date for a year of 1–5 runs a day.
    public static let chunkDays = 14

    /// One row of a chunk (`model_input_rows`).
    public struct Row: Sendable, Equatable {
        /// Position within the chunk, from 0.
        public var seq: Int
        public var time: String
        public var epochDay: Int
        public var y: Double
        public var outlier: Bool
        public var majorVersion: Int?
    }

    /// Consecutive rows of one run date's input, with their position in it.
    public struct Chunk: Sendable, Equatable {
        /// 32 hex digits: two 64-bit FNV-1a-style hashes of the rows (different
        /// offset bases and multipliers); chunks of one series with equal
        /// hashes are taken as equal (a collision among a series' few thousand
        /// chunks has a probability of about 10⁻³¹).
        public var contentHash: String
        /// The `seq` of the chunk's first row in the whole input.
        public var firstSeq: Int
        public var rows: [Row]
        /// The outlier score of each row (`nil`: none), this run date's.
        public var z: [Double?]
    }

    /// The chunks of `rows` and the origin of their day indices.
    public static func split(_ rows: [ModelInputRow]) -> (origin: Int, chunks: [Chunk]) {
        guard let first = rows.first else { return (0, []) }
        let origin = epochDay(first.time) - first.day
        var chunks: [Chunk] = []
        var current: [Row] = []
        var currentZ: [Double?] = []
        var currentKey = Int.min
        var firstSeq = 0
        func close() {
            guard !current.isEmpty else { return }
            chunks.append(Chunk(contentHash: hash(current), firstSeq: firstSeq, rows: current, z: currentZ))
            current = []
            currentZ = []
        }
        for (seq, row) in rows.enumerated() {
            let day = row.day + origin
            let key = floorDivide(day, chunkDays)
            if key != currentKey {
                close()
                currentKey = key
                firstSeq = seq
            }
            current.append(Row(seq: seq - firstSeq, time: StoreTime.instantText(row.time), epochDay: day, y: row.y,
                               outlier: row.outlier, majorVersion: row.majorVersion))
            currentZ.append(row.z.flatMap { $0.isFinite ? $0 : nil })
        }
        close()
        return (origin, chunks)
    }

    /// UTC day of `time`, as days since 1970-01-01.
    static func epochDay(_ time: Date) -> Int {
        Int((time.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// FNV-1a (Fowler–Noll–Vo) over the rows' fields, and a second pass with
    /// another offset basis and the odd multiplier ⌊2⁶⁴/φ⌋, as 32 hex digits.
    static func hash(_ rows: [Row]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        func mix(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                let byte = (value >> UInt64(shift)) & 0xff
                a = (a ^ byte) &* 0x0000_0100_0000_01b3
                b = (b ^ byte) &* 0x9e37_79b9_7f4a_7c15
            }
        }
        for row in rows {
            mix(UInt64(row.seq))
            for byte in row.time.utf8 { mix(UInt64(byte)) }
            mix(UInt64(bitPattern: Int64(row.epochDay)))
            mix(row.y.bitPattern)
            mix(row.outlier ? 1 : 0)
            mix(row.majorVersion.map { UInt64(bitPattern: Int64($0)) } ?? 0x7ff8_dead_0000_0002)
        }
        return String(a, radix: 16).leftPadded(to: 16) + String(b, radix: 16).leftPadded(to: 16)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
