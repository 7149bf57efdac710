import Foundation

/// Raw bytes of an input file, made ready for parsing.
enum InputText {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file's bytes without a leading UTF-8 byte-order mark.
    static func bytesWithoutBOM(_ data: Data) -> [UInt8] {
        var bytes = [UInt8](data)
        if bytes.starts(with: byteOrderMark) { bytes.removeFirst(byteOrderMark.count) }
        return bytes
    }

    /// Splits on `\n` (a preceding `\r` is dropped), giving each line with its
    /// 1-based number. Empty lines are kept so numbering matches an editor's.
    static func lines(_ bytes: [UInt8]) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var result: [(Int, ArraySlice<UInt8>)] = []
        var start = 0
        var number = 1
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                var end = i
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                if i < bytes.count || end > start { result.append((number, bytes[start..<end])) }
                number += 1
                start = i + 1
            }
        }
        return result
    }

    /// The text of `bytes` when it is valid UTF-8, else `nil`.
    static func utf8String<S: Collection>(_ bytes: S) -> String? where S.Element == UInt8 {
        String(validating: bytes, as: UTF8.self)
    }

    /// Whether a slice holds only spaces and tabs.
    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}
