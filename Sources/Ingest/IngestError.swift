import Foundation

/// Bad input, located for the person who has to fix it (SPEC §11 "Safe": one line
/// naming the file, the row and the field).
///
/// `line` is the 1-based line of the file where the offending row starts (the
/// header of a delimited file is line 1), so an editor can jump to it. `field` is
/// the column or JSON key at fault, or a short description in parentheses when no
/// single field is (`(file)`, `(header)`, `(row)`).
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String
    public var problem: String

    public init(file: String, line: Int, field: String, problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// Longest problem text shown; the parsers quote input through ``InputQuote``,
    /// this bounds whatever else a message may carry.
    public static let maxProblemCharacters = 600

    /// `FILE: line N, field "F": problem` — one line, no trailing newline, of
    /// bounded length: the field name (which comes from the input's header) is
    /// quoted by ``InputQuote``, the problem cut at ``maxProblemCharacters``.
    public var description: String {
        var oneLine = problem.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        if oneLine.count > Self.maxProblemCharacters { oneLine = oneLine.prefix(Self.maxProblemCharacters) + "…" }
        return "\(file): line \(line), field \(InputQuote.quoted(field)): \(oneLine)"
    }
}

/// Throwing helper used by the parsers: everything they report is about one file.
struct IngestLocation: Sendable {
    let file: String

    func error(line: Int, field: String, _ problem: String) -> IngestError {
        IngestError(file: file, line: line, field: field, problem: problem)
    }
}
