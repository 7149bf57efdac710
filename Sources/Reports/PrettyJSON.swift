import Foundation

/// slowreg's JSON output: pretty-printed, keys sorted, slashes not escaped —
/// byte for byte what `JSONEncoder` writes with `[.sortedKeys, .prettyPrinted,
/// .withoutEscapingSlashes]` — in a fraction of its time.
///
/// `slowreg fit --format json` writes some 5,000 numbers (nine quantiles a
/// day for a year), and Foundation's encoder spent more time boxing them than
/// the sampler spent drawing them. This encoder builds a small tree of the
/// value through `Encodable` and writes it in one pass:
/// - numbers as Swift's shortest round-trip `description`, with a trailing
///   `.0` dropped (`1.0` → `1`), as Foundation does;
/// - non-finite numbers are an error (JSON has none), as in Foundation's
///   default strategy; an absent optional is left out;
/// - strings escape `"` `\` and control characters (`\n \r \t \b \f`, else
///   `\u00XX`); other characters are written as UTF-8;
/// - object keys sorted by `String` order; two-space indentation, `" : "`
///   between key and value, and an empty object or array printed as `{` or `[`,
///   a blank line, and the closing bracket.
public enum PrettyJSON {
    /// The JSON text of `value` (no trailing newline).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let node = try TreeEncoder.node(of: value) { [] }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(node, depth: 0, into: &out)
        return Data(out)
    }

    /// The JSON text of `value` and a newline: one document as a command prints it.
    public static func document<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self) + "\n"
    }

    static func write(_ node: Node, depth: Int, into out: inout [UInt8]) {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .number(text): out.append(contentsOf: text.utf8)
        case let .string(s): writeString(s, into: &out)
        case let .array(box):
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\n"))
            if box.items.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (i, item) in box.items.enumerated() {
                indent(depth + 1, into: &out)
                write(item, depth: depth + 1, into: &out)
                if i < box.items.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            indent(depth, into: &out)
            out.append(UInt8(ascii: "]"))
        case let .object(box):
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "\n"))
            let entries = box.sortedEntries()
            if entries.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (i, entry) in entries.enumerated() {
                indent(depth + 1, into: &out)
                writeString(entry.key, into: &out)
                out.append(contentsOf: " : ".utf8)
                write(entry.node, depth: depth + 1, into: &out)
                if i < entries.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            indent(depth, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func indent(_ depth: Int, into out: inout [UInt8]) {
        for _ in 0..<(2 * depth) { out.append(UInt8(ascii: " ")) }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A number's JSON text: the shortest round-trip form, `.0` dropped.
    static func numberText(_ x: Double) -> String {
        let text = x.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    // MARK: - The tree

    enum Node {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array(ArrayBox)
        case object(ObjectBox)
    }

    /// Containers are filled after they are handed out, so they are references.
    final class ArrayBox { var items: [Node] = [] }
    /// An object's members in the order they were encoded (a key encoded
    /// twice keeps its last value, as in a dictionary).
    final class ObjectBox {
        var entries: [(key: String, node: Node)] = []

        func set(_ key: String, _ node: Node) { entries.append((key, node)) }

        /// Replaces the value of `key` (a `superEncoder` slot filled later).
        func replace(_ key: String, _ node: Node) {
            if let i = entries.lastIndex(where: { $0.key == key }) { entries[i].node = node } else { set(key, node) }
        }

        /// Members sorted by key, the last of any repeated key kept.
        func sortedEntries() -> [(key: String, node: Node)] {
            let order = entries.indices.sorted { a, b in
                entries[a].key != entries[b].key ? entries[a].key < entries[b].key : a < b
            }
            var out: [(key: String, node: Node)] = []
            out.reserveCapacity(order.count)
            for i in order {
                if let last = out.last, last.key == entries[i].key { out[out.count - 1] = entries[i] } else { out.append(entries[i]) }
            }
            return out
        }
    }

    /// The error for a value JSON cannot hold.
    public struct InvalidValue: Error, CustomStringConvertible {
        public let path: String
        public let value: String
        public var description: String { "cannot write \(value) as JSON at \(path.isEmpty ? "the top level" : path)" }
    }

    final class TreeEncoder: Encoder {
        let codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        var root: Node?

        init(path: [CodingKey]) { codingPath = path }

        /// The tree of one value: scalars directly (by type identity, no
        /// dynamic cast), anything else through its `encode(to:)`. `path` is
        /// built only when needed (a composite value or an error).
        static func node<T: Encodable>(of value: T, path: () -> [CodingKey]) throws -> Node {
            if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self), path: path) }
            if T.self == Int.self { return .number(String(unsafeBitCast(value, to: Int.self))) }
            if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
            if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
            if T.self == UInt64.self { return .number(String(unsafeBitCast(value, to: UInt64.self))) }
            if T.self == Float.self { return try number(Double(unsafeBitCast(value, to: Float.self)), path: path) }
            // Every other integer width (Int64 row ids, Int32 …): its encode(to:)
            // would hand the value back to this function through a single-value
            // container, for ever.
            if let integer = value as? any BinaryInteger { return .number(String(describing: integer)) }
            if let real = value as? any BinaryFloatingPoint { return try number(Double(real), path: path) }
            let encoder = TreeEncoder(path: path())
            try value.encode(to: encoder)
            return encoder.root ?? .object(ObjectBox())
        }

        static func number(_ x: Double, path: () -> [CodingKey]) throws -> Node {
            guard x.isFinite else {
                throw InvalidValue(path: path().map(\.stringValue).joined(separator: "."), value: "\(x)")
            }
            return .number(PrettyJSON.numberText(x))
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case let .object(existing)? = root { box = existing } else { box = ObjectBox(); root = .object(box) }
            return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            let box: ArrayBox
            if case let .array(existing)? = root { box = existing } else { box = ArrayBox(); root = .array(box) }
            return UnkeyedContainer(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> SingleValueEncodingContainer {
            SingleContainer(codingPath: codingPath) { [unowned self] node in self.root = node }
        }
    }

    struct PathKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
    }

    struct KeyedContainer<K: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        let codingPath: [CodingKey]

        mutating func encodeNil(forKey key: K) throws { box.set(key.stringValue, .null) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: K) throws {
            box.set(key.stringValue, try TreeEncoder.node(of: value) { codingPath + [key] })
        }

        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: K) -> KeyedEncodingContainer<N> {
            let nested = ObjectBox()
            box.set(key.stringValue, .object(nested))
            return KeyedEncodingContainer(KeyedContainer<N>(box: nested, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: K) -> UnkeyedEncodingContainer {
            let nested = ArrayBox()
            box.set(key.stringValue, .array(nested))
            return UnkeyedContainer(box: nested, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> Encoder { superEncoder(forKey: PathKey(stringValue: "super")) }
        mutating func superEncoder(forKey key: K) -> Encoder { superEncoder(forKey: PathKey(stringValue: key.stringValue)) }

        private func superEncoder(forKey key: PathKey) -> Encoder {
            box.set(key.stringValue, .object(ObjectBox()))
            return SlotEncoder(path: codingPath + [key]) { [box] node in box.replace(key.stringValue, node) }
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: ArrayBox
        let codingPath: [CodingKey]
        var count: Int { box.items.count }

        mutating func encodeNil() throws { box.items.append(.null) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            let index = count
            box.items.append(try TreeEncoder.node(of: value) { codingPath + [PathKey(intValue: index)] })
        }

        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
            let nested = ObjectBox()
            let path = codingPath + [PathKey(intValue: count)]
            box.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<N>(box: nested, codingPath: path))
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let nested = ArrayBox()
            let path = codingPath + [PathKey(intValue: count)]
            box.items.append(.array(nested))
            return UnkeyedContainer(box: nested, codingPath: path)
        }

        mutating func superEncoder() -> Encoder {
            let index = box.items.count
            box.items.append(.object(ObjectBox()))
            return SlotEncoder(path: codingPath + [PathKey(intValue: index)]) { [box] node in box.items[index] = node }
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let codingPath: [CodingKey]
        let set: (Node) -> Void
        mutating func encodeNil() throws { set(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            set(try TreeEncoder.node(of: value) { codingPath })
        }
    }

    /// The encoder of a `superEncoder()`: whatever is encoded into it is put
    /// in its slot of the parent container as soon as it exists.
    final class SlotEncoder: Encoder {
        let inner: TreeEncoder
        let store: (Node) -> Void
        var codingPath: [CodingKey] { inner.codingPath }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(path: [CodingKey], store: @escaping (Node) -> Void) {
            inner = TreeEncoder(path: path)
            self.store = store
        }

        func container<K: CodingKey>(keyedBy type: K.Type) -> KeyedEncodingContainer<K> {
            let container = inner.container(keyedBy: type)
            if let root = inner.root { store(root) }
            return container
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            let container = inner.unkeyedContainer()
            if let root = inner.root { store(root) }
            return container
        }

        func singleValueContainer() -> SingleValueEncodingContainer {
            SingleContainer(codingPath: codingPath) { [store] node in store(node) }
        }
    }
}
