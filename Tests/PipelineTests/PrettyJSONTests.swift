import Foundation
import Reports
import Testing

/// slowreg's JSON writer must produce exactly the bytes Foundation's encoder
/// produces with sorted keys, pretty printing and unescaped slashes: scripts
/// and tests that read the output were written against that format.
struct PrettyJSONTests {
    struct Inner: Encodable {
        var a: Double
        var list: [Int]
        var map: [String: Double]
        var absent: String?
        var flag: Bool
        var nothing: [String]
    }

    struct Awkward: Encodable {
        var numbers: [Double]
        var emptyList: [Int]
        var emptyMap: [String: Int]
        var inner: Inner
        var text: String
        var nested: [[Double]]
        var big: UInt64
        var negative: Int
        var optionalPresent: Double?
        var level: Level
    }

    /// A type with a hand-written `encode(to:)` using nested and single-value containers.
    struct Level: Encodable {
        var low: Double, high: Double
        enum Keys: String, CodingKey { case bounds, label }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            var b = c.nestedUnkeyedContainer(forKey: .bounds)
            try b.encode(low)
            try b.encode(high)
            try c.encode(Tag(name: "p05/p95"), forKey: .label)
        }
    }

    struct Tag: Encodable {
        var name: String
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(name)
        }
    }

    static let awkward = Awkward(
        numbers: [1, 0.1, 1e-5, 1e20, 1e16, 1e15, 123_456_789_012_345_678, -0.0, 4.9406564584124654e-324,
                  .greatestFiniteMagnitude, 0.000123, 100, 2.5e-7, 12345.678, -3.25, 498.11508671711783],
        emptyList: [], emptyMap: [:],
        inner: Inner(a: 3, list: [1, 2], map: ["z": 1, "a": 2, "B": 3, "é": 4, "_x": 5], absent: nil, flag: true,
                     nothing: []),
        text: "q\"uo/te\\ \n\t\r\u{1}\u{1f}\u{7f} é 😀 \u{8}\u{c} '; DROP TABLE x; --",
        nested: [[], [1], [0.5, 2]], big: .max, negative: -5, optionalPresent: 0.939,
        level: Level(low: 1.5, high: 2))

    @Test func writesExactlyWhatFoundationWrites() throws {
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let expected = String(decoding: try foundation.encode(Self.awkward), as: UTF8.self)
        let written = String(decoding: try PrettyJSON.encode(Self.awkward), as: UTF8.self)
        #expect(written == expected)
        // Top-level arrays and scalars too.
        #expect(try PrettyJSON.encode([Self.awkward.inner]) == foundation.encode([Self.awkward.inner]))
        #expect(try PrettyJSON.encode(2.5) == foundation.encode(2.5))
        #expect(try PrettyJSON.encode([Int]()) == foundation.encode([Int]()))
    }

    @Test func rejectsNonFiniteNumbersNamingWhere() {
        struct Bad: Encodable { var rows: [[String: Double]] }
        #expect(throws: PrettyJSON.InvalidValue.self) { try PrettyJSON.encode(Bad(rows: [["ok": 1], ["p50": .nan]])) }
        do {
            _ = try PrettyJSON.encode(Bad(rows: [["ok": 1], ["p50": .infinity]]))
        } catch let error as PrettyJSON.InvalidValue {
            #expect(error.description.contains("rows.1.p50"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
