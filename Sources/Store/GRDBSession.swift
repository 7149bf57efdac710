import Foundation
import GRDB

/// A transaction of an SQLite store (``SQLiteStore``) as an ``SQLSession``.
struct GRDBSession: SQLSession {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let v): return v.databaseValue
        case .real(let v): return v.databaseValue
        case .text(let v): return v.databaseValue
        case .blob(let v): return v.databaseValue
        }
    }

    static func arguments(_ values: [any SQLArgument]) -> StatementArguments {
        StatementArguments(values.map { databaseValue($0.sqlValue) })
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
        try db.execute(sql: sql, arguments: Self.arguments(arguments))
        return db.changesCount
    }

    func rows(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow] {
        let statement = try db.makeStatement(sql: sql)
        let columns = SQLColumns(statement.columnNames)
        return try Row.fetchAll(statement, arguments: Self.arguments(arguments)).map { row in
            SQLRow(columns: columns, values: row.databaseValues.map { value in
                switch value.storage {
                case .null: return .null
                case .int64(let v): return .integer(v)
                case .double(let v): return .real(v)
                case .string(let v): return .text(v)
                case .blob(let v): return .blob(v)
                }
            })
        }
    }

    /// One prepared statement, executed per row: SQLite has no round trips to save.
    @discardableResult
    func insert(into table: String, columns: [String], rows: [[any SQLArgument]], ignoringConflicts: Bool) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(sqlPlaceholders(columns.count)))\(ignoringConflicts ? " ON CONFLICT DO NOTHING" : "")
            """)
        var inserted = 0
        for row in rows {
            try statement.execute(arguments: Self.arguments(row))
            inserted += db.changesCount
        }
        return inserted
    }

    func insertReturning(into table: String, columns: [String], rows: [[any SQLArgument]], returning: String) throws -> [SQLRow] {
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(sqlPlaceholders(columns.count))) RETURNING \(returning)"
        return try rows.flatMap { try self.rows(sql, $0) }
    }

    func tableExists(_ name: String) throws -> Bool {
        try db.tableExists(name) || db.viewExists(name)
    }
}
