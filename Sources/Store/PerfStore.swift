import Foundation

/// The store of SPEC §9, behind which SQLite (``SQLiteStore``) and later
/// PostgreSQL sit with the same schema (``StoreSchema``).
///
/// Every call is one transaction: it happens completely or not at all, and
/// concurrent callers (threads or processes) see each other's committed work
/// only. Days are `YYYY-MM-DD` text, instants UTC.
public protocol PerfStore: Sendable {
    /// Where the store lives, for messages.
    var location: String { get }

    /// Stores rows in one transaction: creates missing series, adds measurements
    /// not already stored (same series, time, value, revision, task, label and
    /// extra options), so ingesting the same source twice adds nothing.
    func ingest(_ rows: [IngestRecord]) throws(StoreError) -> IngestCounts

    /// ``ingest(_:)`` for rows that arrive in batches (a file read as a stream):
    /// `produce` hands each batch to its argument, which stores it and returns
    /// its counts; everything is one transaction, rolled back if `produce`
    /// throws (its error is rethrown unchanged). Returns the total counts.
    func ingest(batches produce: (_ store: ([IngestRecord]) throws -> IngestCounts) throws -> Void) throws -> IngestCounts

    /// Series matching `filter`, ordered by project, suite, test, platform.
    func listSeries(_ filter: SeriesFilter) throws(StoreError) -> [SeriesRecord]

    func series(id: Int64) throws(StoreError) -> SeriesRecord?

    /// Measurements of a series in time order, restricted to the UTC days
    /// `from…through` (inclusive; `nil` = unbounded).
    func measurements(seriesId: Int64, from: String?, through: String?) throws(StoreError) -> [MeasurementRecord]

    /// Whether results for (run date, series) are stored.
    func hasResults(runDate: String, seriesId: Int64) throws(StoreError) -> Bool

    /// Ids of the series with results for `runDate`.
    func seriesWithResults(runDate: String) throws(StoreError) -> Set<Int64>

    /// Run dates with any results, ascending.
    func runDates() throws(StoreError) -> [String]

    /// What `diagnostics` holds for (run date, series), or `nil`.
    func storedFit(runDate: String, seriesId: Int64) throws(StoreError) -> StoredFit?

    /// Decides, in one transaction, whether this process fits (run date,
    /// series) and if so claims it until `request.expiresAt` (``ClaimRequest``).
    func claim(_ request: ClaimRequest) throws(StoreError) -> ClaimOutcome

    /// Gives a claim of `owner` back without results (e.g. a run stopped by
    /// its time-out before fitting the series).
    func releaseClaim(runDate: String, seriesId: Int64, owner: String) throws(StoreError)

    /// Writes all results of one (run date, series) in one transaction, and
    /// deletes any claim on it in the same transaction, keeping what
    /// ``StoreRetention`` says (an older run date of the series is trimmed
    /// in the same transaction when this one is newer). When
    /// results exist: replaces them if `replace`, else changes nothing and
    /// returns ``ResultWriteOutcome/skippedExisting``.
    @discardableResult
    func writeResults(_ results: SeriesResults, replace: Bool) throws(StoreError) -> ResultWriteOutcome

    /// The stored results of (run date, series), or `nil`.
    func results(runDate: String, seriesId: Int64) throws(StoreError) -> SeriesResults?

    /// The same with the draws of the days in `drawDates` only (a report
    /// needs D and its comparison days, not every fitted day's draws).
    func results(runDate: String, seriesId: Int64, drawDates: [String]) throws(StoreError) -> SeriesResults?

    /// The stored draws of (run date, series) in day order, of the days in
    /// `dates` (every stored day when `nil`); days without draws are left out.
    /// Which days are stored follows ``StoreRetention``: every fitted day for
    /// the latest run date of a series, D and its comparison days for older ones.
    func draws(runDate: String, seriesId: Int64, dates: [String]?) throws(StoreError) -> [DayDraws]

    /// The stored intervals of (run date, series) in day order.
    func intervals(runDate: String, seriesId: Int64) throws(StoreError) -> [IntervalRow]

    /// Removes whole run dates as `request` says, in one transaction (or
    /// counts what it would remove when `request.dryRun`).
    func prune(_ request: PruneRequest) throws(StoreError) -> PruneReport

    /// The comparisons of every series for `runDate`, by series id then label.
    func comparisons(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: ComparisonRow)]

    /// The diagnostics of every series for `runDate`, by series id.
    func diagnostics(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: DiagnosticsRow)]

    /// The change days of every series for `runDate` (SPEC §5b), by series id
    /// then date; none from models without steps or stores without the table.
    func changeDays(runDate: String) throws(StoreError) -> [(seriesId: Int64, row: ChangeDayRow)]
}
