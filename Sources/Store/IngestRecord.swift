import Foundation

/// A record ready for the store: with the series naming derived from it.
public struct IngestRecord: Sendable, Hashable {
    public var record: PerfRecord
    /// Simplified suite name (SPEC §3).
    public var sname: String
    /// Operating system from the platform (SPEC §3), "" when unknown.
    public var os: String

    public init(record: PerfRecord, sname: String, os: String) {
        self.record = record
        self.sname = sname
        self.os = os
    }
}
