/// Which earlier days a run date D is compared with (SPEC §8).
public struct ComparisonDay: Sendable, Equatable {
    /// What the comparison day stands for.
    public enum Kind: Sendable, Equatable {
        /// D − `days`.
        case daysBefore(Int)
        /// The last day of the release of this major version.
        case endOfMajorVersion(Int)
    }

    /// Whether the day can be compared, and if not why.
    public enum Availability: Sendable, Equatable {
        /// In the fitted range; `dayIndex` is its day index in the series.
        case available(dayIndex: Int)
        case unavailable(reason: String)
    }

    /// `prev_week`, `prev_week2`, `v76`, … (the store's comparison label).
    public var label: String
    public var kind: Kind
    /// The calendar day the rule names; nil when the rule names none (e.g. a
    /// version whose release never appears in the calendar).
    public var day: CalendarDay?
    public var availability: Availability

    public init(label: String, kind: Kind, day: CalendarDay?, availability: Availability) {
        self.label = label
        self.kind = kind
        self.day = day
        self.availability = availability
    }

    /// Day index when available.
    public var dayIndex: Int? {
        if case let .available(index) = availability { return index }
        return nil
    }
}

/// The comparison days of one run date.
public struct ComparisonPlan: Sendable, Equatable {
    /// The run date D.
    public var runDate: CalendarDay
    /// D's day index in the series (nil when D is outside the fitted range).
    public var runDayIndex: Int?
    /// `prev_week`, `prev_week2`, then the version days (when a calendar allows), in that order.
    public var days: [ComparisonDay]
    /// Why comparisons were skipped as a whole (no calendar, D before any
    /// known version, D outside the fitted range); empty when none were.
    public var messages: [String]
}

/// The comparison-day rule of SPEC §8.
///
/// For run date D and a series whose fitted range is `seriesStart … D`:
/// - `prev_week` = D − 7 and `prev_week2` = D − 14;
/// - for the major version M = `mvers(D)` of the calendar, the labels
///   `v<M−1>` and `v<M−2>` name the **last day of that major version's
///   release**: among the days up to D on which the calendar's current
///   version was the release `M−k.0` (beta −1, not a dot release), the latest
///   Wednesday; if that span holds no Wednesday, the latest Thursday; if
///   neither, the latest day of the span. "Prefer" is read as a strict
///   order (any Wednesday beats any Thursday, however much later), so every
///   version is compared on the same weekday whenever it can be; "latest"
///   keeps the day as close to the version's end as that allows.
///
/// The version day is chosen on the calendar alone — the same day for every
/// series — and *then* checked against the series: a day before the first day
/// of the series or after D is reported as unavailable with a reason, never
/// replaced by a nearby day. A version whose release never appears in the
/// calendar up to D is unavailable ("no release day"). Without a calendar, or
/// when D precedes every calendar entry, the version comparisons are skipped
/// and `messages` says so.
public struct ComparisonDays: Sendable, Equatable {
    /// SPEC §8: one week back, the shortest span that removes weekly patterns.
    public static let previousWeekOffset = 7
    /// SPEC §8: two weeks back.
    public static let twoWeeksOffset = 14
    /// SPEC §8: the two previous major versions.
    public static let previousMajorVersions = 2

    public init() {}

    /// The comparison days of `runDate` for a series starting on `seriesStart`.
    public func plan(runDate: CalendarDay, seriesStart: CalendarDay, calendar: VersionCalendar?) -> ComparisonPlan {
        var messages: [String] = []
        let runInRange = runDate >= seriesStart
        if !runInRange {
            messages.append("run date \(runDate) is before the series starts (\(seriesStart)); nothing to compare")
        }
        func availability(of day: CalendarDay) -> ComparisonDay.Availability {
            if !runInRange {
                return .unavailable(reason: "run date \(runDate) is before the series starts (\(seriesStart))")
            }
            if day < seriesStart {
                return .unavailable(reason: "\(day) is before the series starts (\(seriesStart))")
            }
            if day > runDate {
                return .unavailable(reason: "\(day) is after the run date \(runDate)")
            }
            return .available(dayIndex: seriesStart.distance(to: day))
        }

        var days: [ComparisonDay] = []
        for (label, offset) in [("prev_week", Self.previousWeekOffset), ("prev_week2", Self.twoWeeksOffset)] {
            let day = runDate.advanced(by: -offset)
            days.append(ComparisonDay(label: label, kind: .daysBefore(offset), day: day,
                                      availability: availability(of: day)))
        }

        guard let calendar, !calendar.isEmpty else {
            messages.append("no version calendar: version comparisons skipped")
            return ComparisonPlan(runDate: runDate, runDayIndex: runInRange ? seriesStart.distance(to: runDate) : nil,
                                  days: days, messages: messages)
        }
        guard let current = calendar.mvers(on: runDate) else {
            let first = calendar.firstDay.map { "\($0)" } ?? "?"
            messages.append("no version is known on \(runDate) (the calendar starts \(first)): version comparisons skipped")
            return ComparisonPlan(runDate: runDate, runDayIndex: runInRange ? seriesStart.distance(to: runDate) : nil,
                                  days: days, messages: messages)
        }
        for k in 1...Self.previousMajorVersions {
            let major = current - k
            let label = "v\(major)"
            let span = calendar.releaseDays(major: major, through: runDate)
            guard let day = Self.preferredDay(in: span) else {
                days.append(ComparisonDay(label: label, kind: .endOfMajorVersion(major), day: nil,
                                          availability: .unavailable(
                                              reason: "no day on which release \(major).0 was current appears in the version calendar up to \(runDate)")))
                continue
            }
            days.append(ComparisonDay(label: label, kind: .endOfMajorVersion(major), day: day,
                                      availability: availability(of: day)))
        }
        return ComparisonPlan(runDate: runDate, runDayIndex: runInRange ? seriesStart.distance(to: runDate) : nil,
                              days: days, messages: messages)
    }

    /// The latest Wednesday of `days`, else the latest Thursday, else the latest day; nil if empty.
    public static func preferredDay(in days: [CalendarDay]) -> CalendarDay? {
        let sorted = days.sorted()
        return sorted.last(where: { $0.weekday == CalendarDay.wednesday })
            ?? sorted.last(where: { $0.weekday == CalendarDay.thursday })
            ?? sorted.last
    }
}
