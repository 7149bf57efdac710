import Foundation

/// Splits delimited text (CSV, TSV) into rows of fields, following RFC 4180:
/// a field that starts with `"` is quoted, may contain the delimiter and line
/// breaks, and writes a literal quote as `""`; rows end at CRLF, LF or CR.
/// Empty lines are skipped. Fields stay raw bytes: the caller decodes them as
/// UTF-8 so that an encoding error can be reported with its column's name.
///
/// The reader is incremental: ``feed(_:into:)`` takes the text in chunks of any
/// size (a chunk may end inside a field, a quote pair or a CRLF) and returns the
/// rows completed so far, so memory holds one chunk and one row, not the file.
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
    static func detectDelimiter<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt8 {
        var commas = 0, tabs = 0, semicolons = 0
        var inQuotes = false
        for byte in bytes {
            if byte == quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == lineFeed || byte == carriageReturn { break }
            switch byte {
            case comma: commas += 1
            case tab: tabs += 1
            case semicolon: semicolons += 1
            default: break
            }
        }
        // Ties go to the earlier of comma, tab, semicolon.
        if commas == 0 && tabs == 0 && semicolons == 0 { return comma }
        if commas >= tabs && commas >= semicolons { return comma }
        return tabs >= semicolons ? tab : semicolon
    }

    /// Whether `bytes` holds a line end outside quotes, i.e. the whole first row.
    static func containsFirstRowEnd<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var inQuotes = false
        for byte in bytes {
            if byte == quote { inQuotes.toggle() } else if !inQuotes && (byte == lineFeed || byte == carriageReturn) { return true }
        }
        return false
    }

    let delimiter: UInt8

    private enum State {
        /// At the start of a field.
        case fieldStart
        /// Inside a field that did not start with a quote.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// A quote inside a quoted field: the closing one, or the first of `""`.
        case quoteInQuoted
        /// After a closing quote: only a delimiter or a line end may follow.
        case afterClosingQuote
    }

    private var state = State.fieldStart
    private var fields: [[UInt8]] = []
    private var field: [UInt8] = []
    private var rowHasContent = false
    private var line = 1
    private var rowLine = 1
    private var quoteOpenLine = 1
    /// A CR ended a row; an LF right after it belongs to the same line end.
    private var skipLineFeed = false
    /// A CR inside quotes was kept; an LF right after it is the same line break.
    private var quotedCarriageReturn = false

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    /// Reads the next chunk of the text, appending the rows it completes.
    mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes, into rows: inout [Row]) throws(Failure) {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if skipLineFeed {
                skipLineFeed = false
                if byte == Self.lineFeed { index = bytes.index(after: index); continue }
            }
            if quotedCarriageReturn {
                quotedCarriageReturn = false
                if byte == Self.lineFeed && state == .quoted {
                    field.append(byte)
                    index = bytes.index(after: index)
                    continue
                }
            }
            switch state {
            case .quoteInQuoted:
                if byte == Self.quote {
                    field.append(Self.quote)
                    state = .quoted
                    index = bytes.index(after: index)
                } else {
                    state = .afterClosingQuote   // look at this byte again in that state
                }
            case .quoted:
                if byte == Self.quote {
                    state = .quoteInQuoted
                } else {
                    // A line break inside quotes is data; keep it as written.
                    field.append(byte)
                    if byte == Self.lineFeed || byte == Self.carriageReturn {
                        line += 1
                        quotedCarriageReturn = byte == Self.carriageReturn
                    }
                }
                index = bytes.index(after: index)
            case .fieldStart, .unquoted, .afterClosingQuote:
                if byte == delimiter {
                    rowHasContent = true
                    endField()
                    state = .fieldStart
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endRow(into: &rows)
                    line += 1
                    skipLineFeed = byte == Self.carriageReturn
                    rowLine = line
                } else if state == .afterClosingQuote {
                    throw .textAfterClosingQuote(line: line, fieldIndex: fields.count)
                } else if state == .fieldStart && byte == Self.quote {
                    rowHasContent = true
                    quoteOpenLine = line
                    state = .quoted
                } else {
                    if !rowHasContent { rowLine = line }
                    rowHasContent = true
                    state = .unquoted
                    field.append(byte)
                }
                index = bytes.index(after: index)
            }
        }
    }

    /// Ends the text: completes the last row (which needs no line end) and
    /// refuses a quoted field left open.
    mutating func finish(into rows: inout [Row]) throws(Failure) {
        if state == .quoted { throw .unterminatedQuote(line: quoteOpenLine, fieldIndex: fields.count) }
        endRow(into: &rows)
    }

    private mutating func endField() {
        fields.append(field)
        field = []
    }

    private mutating func endRow(into rows: inout [Row]) {
        if rowHasContent {
            endField()
            rows.append(Row(line: rowLine, fields: fields))
        }
        fields = []
        field = []
        rowHasContent = false
        state = .fieldStart
    }
}
