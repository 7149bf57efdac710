import Foundation
import SeriesAnalysis
import Store

/// A parsed JSON value that keeps numbers, booleans and strings apart, so a
/// `true` is never read as the number 1 (Foundation's `JSONSerialization` boxes
/// both as `NSNumber`).
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
        if let number = try? container.decode(Double.self) { self = .number(number); return }
        if let text = try? container.decode(String.self) { self = .string(text); return }
        if let elements = try? container.decode([JSONValue].self) { self = .array(elements); return }
        self = .object(try container.decode([String: JSONValue].self))
    }

    /// Parses one JSON text; the message of the error is Foundation's description.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    public var objectMembers: [String: JSONValue]? {
        if case let .object(members) = self { return members }
        return nil
    }

    /// Short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// A string as is; a number as written by a JSON writer (integers without a
    /// fraction); `nil` for the other types.
    public var scalarText: String? {
        switch self {
        case let .string(text): return text
        case let .number(number):
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case let .bool(flag): return flag ? "true" : "false"
        default: return nil
        }
    }
}

/// Field readers shared by the JSON parsers: each failure names the key path.
struct JSONFieldReader {
    let location: IngestLocation
    let line: Int
    /// The latest plausible run time is one day after this (``PlausibleTime``).
    var now = Date()

    func fail(_ path: String, _ problem: String) -> IngestError {
        location.error(line: line, field: path, problem)
    }

    /// Optional text: absent or null → "", string or number → its text. Every
    /// text read is a name or an id, so control characters are refused (``NameText``).
    func text(_ value: JSONValue?, _ path: String) throws(IngestError) -> String {
        switch value {
        case nil, .null?: return ""
        case let .string(text)?: return try checkedName(text, path)
        case let .number(number)?: return JSONValue.number(number).scalarText ?? ""
        case let other?: throw fail(path, "expected text, found \(other.typeName)")
        }
    }

    private func checkedName(_ text: String, _ path: String) throws(IngestError) -> String {
        if let problem = NameText.problem(text) { throw fail(path, problem) }
        return text
    }

    /// Required non-empty text.
    func requiredText(_ value: JSONValue?, _ path: String) throws(IngestError) -> String {
        guard value != nil, value != .null else { throw fail(path, "missing; it is required") }
        let result = try text(value, path).trimmingWhitespace
        guard !result.isEmpty else { throw fail(path, "empty; it is required") }
        return result
    }

    /// A finite number, or a string holding one.
    func finiteNumber(_ value: JSONValue?, _ path: String) throws(IngestError) -> Double {
        switch value {
        case nil, .null?:
            throw fail(path, "missing; a number is required")
        case let .number(number)?:
            guard number.isFinite else { throw fail(path, "not a finite number") }
            return number
        case let .string(text)?:
            guard let number = ValueParsing.finiteDecimal(text) else { throw fail(path, "\(InputQuote.quoted(text)) is not a finite number") }
            return number
        case let other?:
            throw fail(path, "expected a number, found \(other.typeName)")
        }
    }

    /// A timestamp: a number (unix seconds, or milliseconds by magnitude as
    /// ``TimestampParser/epochInstant(_:)`` tells them apart) or any
    /// ``TimestampParser`` text; it must be a plausible run time (``PlausibleTime``).
    func time(_ value: JSONValue?, _ path: String) throws(IngestError) -> Date {
        let date: Date
        let shown: String
        switch value {
        case nil, .null?:
            throw fail(path, "missing; a timestamp is required")
        case let .number(number)?:
            guard number.isFinite else { throw fail(path, "not a finite number of seconds") }
            date = TimestampParser.epochInstant(number)
            shown = JSONValue.number(number).scalarText ?? "\(number)"
        case let .string(text)?:
            guard let parsed = TimestampParser.parse(text) else {
                throw fail(path, "\(InputQuote.quoted(text)) is not a timestamp; \(TimestampParser.acceptedForms)")
            }
            date = parsed
            shown = InputQuote.quoted(text)
        case let other?:
            throw fail(path, "expected a timestamp, found \(other.typeName)")
        }
        if let problem = PlausibleTime.problem(date, now: now) { throw fail(path, "\(shown): \(problem)") }
        return date
    }

    /// Optional boolean: absent or null → nil; also accepts "true"/"false" text.
    func optionalBool(_ value: JSONValue?, _ path: String) throws(IngestError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case let .bool(flag)?: return flag
        case let .string(text)?:
            guard let parsed = ValueParsing.optionalBool(text) else { throw fail(path, "\(InputQuote.quoted(text)) is not true or false") }
            return parsed
        case let other?:
            throw fail(path, "expected true or false, found \(other.typeName)")
        }
    }

    /// Optional list of texts joined by spaces (`extraOptions`); a single text is
    /// taken as already joined.
    func joinedTextList(_ value: JSONValue?, _ path: String) throws(IngestError) -> String {
        switch value {
        case nil, .null?: return ""
        case let .string(text)?: return try checkedName(text, path)
        case let .array(elements)?:
            var parts: [String] = []
            for (index, element) in elements.enumerated() {
                guard let text = element.scalarText else {
                    throw fail("\(path)[\(index)]", "expected text, found \(element.typeName)")
                }
                parts.append(text)
            }
            return try checkedName(parts.joined(separator: " "), path)
        case let other?:
            throw fail(path, "expected a list of texts, found \(other.typeName)")
        }
    }

    /// A list (required when `required`), else empty for absent/null.
    func list(_ value: JSONValue?, _ path: String, required: Bool) throws(IngestError) -> [JSONValue] {
        switch value {
        case nil, .null?:
            if required { throw fail(path, "missing; a list is required") }
            return []
        case let .array(elements)?: return elements
        case let other?: throw fail(path, "expected a list, found \(other.typeName)")
        }
    }

    /// The framework: a name, a Treeherder id, or `{"name": …}` as in PERFHERDER_DATA.
    func framework(_ value: JSONValue?, _ path: String) throws(IngestError) -> String {
        if case let .object(members)? = value { return try text(members["name"], "\(path).name") }
        return TreeherderFrameworks.name(forCell: try text(value, path))
    }
}
