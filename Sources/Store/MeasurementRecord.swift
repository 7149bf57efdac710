import Foundation

/// One row of `measurements`: a stored test result of a series.
public struct MeasurementRecord: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var seriesId: Int64
    /// UTC instant, stored with millisecond precision (``StoreTime``).
    public var time: Date
    public var value: Double
    public var revision: String
    public var taskId: String
    public var label: String
    public var extraOptions: String
    public var version: String

    public init(id: Int64, seriesId: Int64, time: Date, value: Double, revision: String, taskId: String,
                label: String, extraOptions: String, version: String) {
        self.id = id
        self.seriesId = seriesId
        self.time = time
        self.value = value
        self.revision = revision
        self.taskId = taskId
        self.label = label
        self.extraOptions = extraOptions
        self.version = version
    }
}

/// What one ``PerfStore/ingest(_:)`` call did.
public struct IngestCounts: Sendable, Equatable {
    /// Rows offered.
    public var offered: Int
    /// Rows stored by this call.
    public var added: Int
    /// Rows already in the store (or repeated within the call), not stored again.
    public var duplicates: Int
    /// Series created by this call.
    public var newSeries: Int

    public init(offered: Int = 0, added: Int = 0, duplicates: Int = 0, newSeries: Int = 0) {
        self.offered = offered
        self.added = added
        self.duplicates = duplicates
        self.newSeries = newSeries
    }
}
