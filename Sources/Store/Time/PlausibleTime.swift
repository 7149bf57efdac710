import Foundation

/// The instants ingest accepts as the time of a test run: from 2000-01-01
/// (before Treeherder and its predecessors existed; a time of `0` or
/// `0000-01-01` is a placeholder, not a run) up to one day after now (runs are
/// recorded after they happen; the day allows for clocks and zones that are off).
///
/// Outside this range a time is a mistake in the data, and taking it would be
/// costly: the model's day grid spans first to last day, so one stray time in
/// year 0 or 55970 asks for tens of gigabytes.
public enum PlausibleTime {
    /// 2000-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: 946_684_800)
    /// How far past now a run time may lie.
    public static let futureSlack: TimeInterval = 86_400

    /// The latest instant accepted at `now`.
    public static func latest(now: Date = Date()) -> Date { now.addingTimeInterval(futureSlack) }

    /// Why `date` is not a plausible run time, or `nil` when it is.
    public static func problem(_ date: Date, now: Date = Date()) -> String? {
        let latest = latest(now: now)
        guard date < earliest || date > latest else { return nil }
        return "\(describe(date)) is outside the accepted range \(StoreTime.dayText(earliest)) to "
            + "\(StoreTime.dayText(latest)) (one day after now); check the year and the unit of the timestamp"
    }

    /// The instant as store text when it is within a few million years of 1970
    /// (where the millisecond arithmetic of ``StoreTime`` is exact), else in seconds.
    private static func describe(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        guard abs(seconds) < 1e14 else { return "\(seconds) s after 1970-01-01" }
        return StoreTime.instantText(date)
    }
}
