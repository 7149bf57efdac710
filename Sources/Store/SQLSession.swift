import Foundation

/// One value in a statement's arguments or a result row, in the five kinds
/// both backends store (SQLite's storage classes; PostgreSQL's BIGINT,
/// DOUBLE PRECISION, TEXT, BYTEA and BOOLEAN, read as 0/1).
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// What may be passed as a statement argument.
public protocol SQLArgument {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLArgument { public var sqlValue: SQLValue { self } }
extension Int64: SQLArgument { public var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLArgument { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLArgument { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLArgument { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLArgument { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Data: SQLArgument { public var sqlValue: SQLValue { .blob(self) } }
extension Optional: SQLArgument where Wrapped: SQLArgument {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// What a column of a result row may be read as.
public protocol SQLColumnValue {
    /// The value, or `nil` when `value` is not of this kind (NULL included).
    static func decode(_ value: SQLValue) -> Self?
}

extension Int64: SQLColumnValue {
    public static func decode(_ value: SQLValue) -> Int64? {
        switch value {
        case .integer(let v): return v
        // An integral REAL (SQLite may hand back 3.0 for an expression).
        case .real(let v): return v.rounded() == v && abs(v) < 9.2e18 ? Int64(v) : nil
        default: return nil
        }
    }
}
extension Int: SQLColumnValue {
    public static func decode(_ value: SQLValue) -> Int? { Int64.decode(value).map { Int($0) } }
}
extension Double: SQLColumnValue {
    public static func decode(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
}
extension String: SQLColumnValue {
    public static func decode(_ value: SQLValue) -> String? {
        if case .text(let v) = value { return v }
        return nil
    }
}
extension Bool: SQLColumnValue {
    public static func decode(_ value: SQLValue) -> Bool? { Int64.decode(value).map { $0 != 0 } }
}
extension Data: SQLColumnValue {
    public static func decode(_ value: SQLValue) -> Data? {
        if case .blob(let v) = value { return v }
        return nil
    }
}
extension Optional: SQLColumnValue where Wrapped: SQLColumnValue {
    /// NULL is `nil`; any other value must be a `Wrapped`.
    public static func decode(_ value: SQLValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.decode(value).map { .some($0) }
    }
}

/// A column whose value is not what the store's schema says (a damaged or
/// foreign store): the column, the wanted type and what was found.
public struct SQLColumnError: Error, CustomStringConvertible {
    public let column: String
    public let wanted: String
    public let found: SQLValue

    public var description: String { "column \(column): expected \(wanted), found \(found)" }
}

/// The column names of one result, shared by its rows.
final class SQLColumns: Sendable {
    let names: [String]
    let index: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
    }
}

/// One row of a result, read by column name.
public struct SQLRow {
    let columns: SQLColumns
    public let values: [SQLValue]

    init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public func hasColumn(_ name: String) -> Bool { columns.index[name] != nil }

    /// The column `name` as a `T`; a value of another kind, or NULL (or a
    /// missing column) where `T` is not optional, throws ``SQLColumnError``.
    public subscript<T: SQLColumnValue>(_ name: String) -> T {
        get throws {
            // A column an older schema lacks reads as NULL: fine for an optional.
            let value = columns.index[name].map { values[$0] } ?? .null
            guard let decoded = T.decode(value) else {
                throw SQLColumnError(column: name, wanted: "\(T.self)", found: value)
            }
            return decoded
        }
    }
}

/// The SQL dialect of a session, for the few statements the two backends
/// spell differently (schema DDL, views, catalogue queries).
public enum SQLDialect: Sendable {
    case sqlite
    case postgresql
}

/// One open transaction on a store's database: the statements of the
/// store's logic (``SQLStore``, ``ResultRowsSQL``, ``IngestWriter``) are
/// written once against this, with `?` placeholders, for both backends.
protocol SQLSession {
    var dialect: SQLDialect { get }

    /// Runs one statement (with `arguments` for its `?`s); returns the
    /// number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int

    /// Runs one query and returns every row.
    func rows(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow]

    /// Inserts `rows` (each one value per column) into `table`; with
    /// `ignoringConflicts`, rows that break a unique constraint are skipped
    /// (`ON CONFLICT DO NOTHING`). Returns how many rows were inserted. A
    /// backend may send many rows per statement.
    @discardableResult
    func insert(into table: String, columns: [String], rows: [[any SQLArgument]], ignoringConflicts: Bool) throws -> Int

    /// ``insert(into:columns:rows:ignoringConflicts:)`` that returns the
    /// `returning` columns (e.g. `"content_hash, id"`) of every inserted row,
    /// in no promised order.
    func insertReturning(into table: String, columns: [String], rows: [[any SQLArgument]], returning: String) throws -> [SQLRow]

    /// Whether the table (or view) `name` exists.
    func tableExists(_ name: String) throws -> Bool
}

extension SQLSession {
    @discardableResult
    func execute(_ sql: String, _ arguments: any SQLArgument...) throws -> Int { try execute(sql, arguments) }

    func rows(_ sql: String, _ arguments: any SQLArgument...) throws -> [SQLRow] { try rows(sql, arguments) }

    /// The first row, or `nil`.
    func row(_ sql: String, _ arguments: [any SQLArgument]) throws -> SQLRow? { try rows(sql, arguments).first }

    /// The first column of the first row, `nil` when there is no row or the
    /// value is NULL.
    func value<T: SQLColumnValue>(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> T? {
        guard let row = try rows(sql, arguments).first, let value = row.values.first else { return nil }
        if case .null = value { return nil }
        guard let decoded = T.decode(value) else {
            throw SQLColumnError(column: row.columns.names.first ?? "", wanted: "\(T.self)", found: value)
        }
        return decoded
    }

    /// The first column of every row.
    func values<T: SQLColumnValue>(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> [T] {
        try rows(sql, arguments).map { row in
            let value = row.values.first ?? .null
            guard let decoded = T.decode(value) else {
                throw SQLColumnError(column: row.columns.names.first ?? "", wanted: "\(T.self)", found: value)
            }
            return decoded
        }
    }
}

/// `?, ?, …` for `count` arguments (a row of `VALUES`, an `IN (…)` list).
func sqlPlaceholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

/// The transactions of a store's database, each handing its body a session.
/// ``SQLiteStore`` and ``PostgresStore`` provide them; ``SQLStore`` does the rest.
protocol SQLTransactions: Sendable {
    /// Runs `body` in a read transaction (a consistent snapshot).
    func read<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T
    /// Runs `body` in a write transaction: committed when it returns,
    /// rolled back when it throws (its error is mapped to a ``StoreError``).
    func write<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T
    /// The database's own consistency check, "ok" when sound.
    func integrityCheck() throws(StoreError) -> String
    /// Gives the space of deleted rows back (outside any transaction).
    func vacuum() throws(StoreError)
}
