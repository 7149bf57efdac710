import Foundation
import SeriesAnalysis

/// Strict readers for the scalar cells of an input row.
enum ValueParsing {
    /// A finite decimal number (`12`, `-3.5`, `1.2e3`); `nil` for anything else,
    /// including `NaN`, `inf`, hexadecimal, thousands separators and overflow.
    static func finiteDecimal(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty,
              trimmed.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D
                                        || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
              let value = Double(trimmed), value.isFinite
        else { return nil }
        return value
    }

    /// `true/false`, `t/f`, `yes/no`, `1/0` (any case); `.some(nil)` for an empty
    /// cell, `nil` for anything else.
    static func optionalBool(_ text: String) -> Bool?? {
        switch text.trimmingWhitespace.lowercased() {
        case "": return .some(nil)
        case "true", "t", "yes", "y", "1": return .some(true)
        case "false", "f", "no", "n", "0": return .some(false)
        default: return nil
        }
    }
}
