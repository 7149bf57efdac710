import Foundation

/// A store that cannot be opened or written, with what to do about it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not an SQLite database.
    case notSQLite(path: String)
    /// An SQLite database, but not one slowreg created.
    case notASlowregStore(path: String)
    /// The store was written by a newer slowreg whose schema this one does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    case cannotOpen(path: String, reason: String)
    /// A read-only command was given a store that does not exist.
    case noStore(path: String)
    /// A result row that cannot be stored as given (a malformed date, a repeated key).
    case invalidResults(runDate: String, seriesId: Int64, problem: String)
    /// No series with this id.
    case unknownSeries(id: Int64)
    /// A query argument that is not valid (e.g. a day not in `YYYY-MM-DD` form).
    case invalidArgument(String)
    /// Any other database failure, with SQLite's message.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case let .notSQLite(path):
            return "\(path): not an SQLite database; give --store a new file name or an existing slowreg store"
        case let .notASlowregStore(path):
            return "\(path): an SQLite database that slowreg did not create; give --store a new file name or a slowreg store"
        case let .newerSchema(path, unknown):
            return "\(path): written by a newer slowreg (schema steps \(unknown.joined(separator: ", "))); upgrade slowreg"
        case let .cannotOpen(path, reason):
            return "\(path): cannot open the store: \(reason)"
        case let .noStore(path):
            return "\(path): no store there; check --store (or $SLOWREG_STORE), or make one with `slowreg ingest`"
        case let .invalidResults(runDate, seriesId, problem):
            return "results of series \(seriesId) for \(runDate): \(problem)"
        case let .unknownSeries(id):
            return "no series with id \(id) in the store"
        case let .invalidArgument(problem):
            return problem
        case let .database(path, message):
            return "\(path): database error: \(message)"
        }
    }
}
