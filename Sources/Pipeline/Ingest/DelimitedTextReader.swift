import Foundation

/// Splits delimited text (CSV, TSV) into rows of fields, following RFC 4180:
/// a field that starts with `"` is quoted, may contain the delimiter and line
/// breaks, and writes a literal quote as `""`; rows end at CRLF, LF or CR.
/// Empty lines are skipped. Fields stay raw bytes: the caller decodes them as
/// UTF-8 so that an encoding error can be reported with its column's name.
struct DelimitedTextReader {
    /// One row and the 1-based file line where it starts.
    struct Row {
        var line: Int
        var fields: [[UInt8]]
    }

    enum Failure: Error, Equatable {
        /// A quoted field still open at the end of the file.
        case unterminatedQuote(line: Int, fieldIndex: Int)
        /// Something other than a delimiter or line end after a closing quote.
        case textAfterClosingQuote(line: Int, fieldIndex: Int)
    }

    static let comma: UInt8 = 0x2C
    static let tab: UInt8 = 0x09
    static let semicolon: UInt8 = 0x3B
    static let quote: UInt8 = 0x22
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A

    /// The delimiter among comma, tab and semicolon that occurs most often outside
    /// quotes in the first row; comma when none occurs (a one-column header).
    static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [comma: 0, tab: 0, semicolon: 0]
        var inQuotes = false
        for byte in bytes {
            if byte == quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == lineFeed || byte == carriageReturn { break }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        let best = [comma, tab, semicolon].max { counts[$0]! < counts[$1]! }!
        return counts[best]! > 0 ? best : comma
    }

    let delimiter: UInt8

    private enum State {
        case fieldStart, unquoted, quoted, afterClosingQuote
    }

    func rows(_ bytes: [UInt8]) throws(Failure) -> [Row] {
        var rows: [Row] = []
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var rowHasContent = false
        var line = 1
        var rowLine = 1
        var quoteOpenLine = 1
        var index = 0

        func endField() {
            fields.append(field)
            field = []
        }
        func endRow() {
            if rowHasContent {
                endField()
                rows.append(Row(line: rowLine, fields: fields))
            }
            fields = []
            field = []
            rowHasContent = false
            state = .fieldStart
        }
        /// Consumes a line end starting at `index` (CRLF counts once) and counts it.
        func consumeLineEnd() {
            if bytes[index] == Self.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == Self.lineFeed {
                index += 1
            }
            index += 1
            line += 1
        }

        while index < bytes.count {
            let byte = bytes[index]
            let isLineEnd = byte == Self.lineFeed || byte == Self.carriageReturn
            switch state {
            case .fieldStart, .unquoted, .afterClosingQuote:
                if byte == delimiter {
                    rowHasContent = true
                    endField()
                    state = .fieldStart
                    index += 1
                } else if isLineEnd {
                    endRow()
                    consumeLineEnd()
                    rowLine = line
                } else if state == .afterClosingQuote {
                    throw .textAfterClosingQuote(line: line, fieldIndex: fields.count)
                } else if state == .fieldStart && byte == Self.quote {
                    rowHasContent = true
                    quoteOpenLine = line
                    state = .quoted
                    index += 1
                } else {
                    if !rowHasContent { rowLine = line }
                    rowHasContent = true
                    state = .unquoted
                    field.append(byte)
                    index += 1
                }
            case .quoted:
                if byte == Self.quote {
                    if index + 1 < bytes.count && bytes[index + 1] == Self.quote {
                        field.append(Self.quote)
                        index += 2
                    } else {
                        state = .afterClosingQuote
                        index += 1
                    }
                } else if isLineEnd {
                    // A line break inside quotes is data; keep it as written.
                    field.append(byte)
                    if byte == Self.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == Self.lineFeed {
                        field.append(Self.lineFeed)
                        index += 1
                    }
                    index += 1
                    line += 1
                } else {
                    field.append(byte)
                    index += 1
                }
            }
        }
        if state == .quoted { throw .unterminatedQuote(line: quoteOpenLine, fieldIndex: fields.count) }
        endRow()
        return rows
    }
}
