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
    static func isBlank<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}

/// Drops a UTF-8 byte-order mark at the start of text that arrives in chunks,
/// however the chunks cut it.
struct ByteOrderMarkFilter {
    private var held: [UInt8] = []
    private var decided = false

    /// The bytes of `chunk` that are text; holds back a possible start of a mark.
    mutating func pass(_ chunk: [UInt8]) -> [UInt8] {
        if decided { return chunk }
        held += chunk
        if held.count < InputText.byteOrderMark.count && InputText.byteOrderMark.starts(with: held) { return [] }
        return finish()
    }

    /// What is still held back: at the end of the text, a partial mark is text.
    mutating func finish() -> [UInt8] {
        decided = true
        let text = held.starts(with: InputText.byteOrderMark) ? Array(held.dropFirst(InputText.byteOrderMark.count)) : held
        held = []
        return text
    }
}

/// Splits text that arrives in chunks into lines as ``InputText/lines(_:)`` does
/// (on `\n`, a preceding `\r` dropped, numbered from 1), holding only the line
/// in progress.
struct LineSplitter {
    private var partial: [UInt8] = []
    private var number = 1

    /// Appends the lines `chunk` completes.
    mutating func feed(_ chunk: [UInt8], into lines: inout [(number: Int, bytes: ArraySlice<UInt8>)]) {
        var start = 0
        for i in chunk.indices where chunk[i] == 0x0A {
            partial += chunk[start..<i]
            emit(into: &lines)
            start = i + 1
        }
        partial += chunk[start...]
    }

    /// Appends the last line when it has no line end.
    mutating func finish(into lines: inout [(number: Int, bytes: ArraySlice<UInt8>)]) {
        if !partial.isEmpty { emit(into: &lines) }
    }

    private mutating func emit(into lines: inout [(number: Int, bytes: ArraySlice<UInt8>)]) {
        var line = partial[...]
        if line.last == 0x0D { line = line.dropLast() }
        lines.append((number, line))
        partial = []
        number += 1
    }
}
