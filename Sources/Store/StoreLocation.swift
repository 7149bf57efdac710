import Foundation

/// Where commands find the store: `--store PATH`, else `$SLOWREG_STORE`, else
/// ``defaultPath`` in the working directory.
public enum StoreLocation {
    /// One file next to the work, like the data it was made from.
    public static let defaultPath = "./slowreg.sqlite"
    public static let environmentVariable = "SLOWREG_STORE"

    public static func resolve(explicit: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath
    }
}

extension StoreLocation {
    /// Opens the store at `location`: a `postgresql://` (or `postgres://`)
    /// URL is a ``PostgresStore``, anything else an SQLite file (``SQLiteStore``).
    public static func open(_ location: String, access: SQLiteStore.Access = .readWrite) throws(StoreError) -> SQLStore {
        if PostgresStore.isURL(location) { return try PostgresStore(url: location, access: access) }
        return try SQLiteStore(path: location, access: access)
    }
}
