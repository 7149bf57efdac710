import Foundation

/// A Firefox version string, parsed: `77.0b3` (a beta), `77.0` (a release),
/// `72.0.2` (a dot release).
public struct FirefoxVersion: Sendable, Hashable, CustomStringConvertible {
    /// The beta number of a release (`77.0` → −1), as SPEC §3 stores it.
    public static let releaseBetaNumber = -1

    /// The string as given.
    public let text: String
    public let major: Int
    public let minor: Int
    /// `77.0b3` → 3; −1 for a release or a dot release.
    public let beta: Int
    /// `72.0.2` → 2; nil unless the version has a second dot.
    public let patch: Int?

    /// A release (`77.0`): neither a beta nor a dot release.
    public var isRelease: Bool { beta == Self.releaseBetaNumber && patch == nil }
    /// A version with two dots (`72.0.2`), which SPEC §3 leaves out of the calendar.
    public var isDotRelease: Bool { patch != nil }

    public var description: String { text }

    /// Parses `MAJOR.MINOR`, `MAJOR.MINORbBETA` or `MAJOR.MINOR.PATCH` (ASCII
    /// digits, surrounding whitespace ignored); nil for anything else (nightly
    /// `a1`, `esr` suffixes, empty strings …).
    public init?(_ string: String) {
        let trimmed = string.trimmingWhitespace
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let major = Self.number(parts[0]) else { return nil }
        var minor: Int
        var beta = Self.releaseBetaNumber
        var patch: Int?
        if parts.count == 3 {
            guard let m = Self.number(parts[1]), let p = Self.number(parts[2]) else { return nil }
            minor = m
            patch = p
        } else {
            let tail = parts[1]
            if let bIndex = tail.firstIndex(of: "b") {
                guard let m = Self.number(tail[..<bIndex]),
                      let b = Self.number(tail[tail.index(after: bIndex)...]) else { return nil }
                minor = m
                beta = b
            } else {
                guard let m = Self.number(tail) else { return nil }
                minor = m
            }
        }
        text = trimmed
        self.major = major
        self.minor = minor
        self.beta = beta
        self.patch = patch
    }

    private static func number(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.count <= 9, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }
}

/// One build of Firefox as build-record files list them (SPEC §3).
public struct BuildRecord: Sendable, Equatable {
    public var date: Date
    public var version: String
    /// `beta`, `release`, `nightly`, …; only `beta` builds enter the calendar.
    public var channel: String

    public init(date: Date, version: String, channel: String) {
        self.date = date
        self.version = version
        self.channel = channel
    }
}

/// Why a version calendar cannot be built.
public enum VersionCalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `row` is the 1-based position of the record in the input.
    case malformedVersion(row: Int, version: String)
    case nonFiniteDate(row: Int)

    public var description: String {
        switch self {
        case let .malformedVersion(row, version):
            return "row \(row): version \"\(version)\" is not a Firefox version like 77.0b3, 77.0 or 72.0.2"
        case let .nonFiniteDate(row):
            return "row \(row): the date is not a finite date"
        }
    }
}

/// The version calendar of SPEC §3: for every UTC day, the most recent Firefox
/// beta-channel version released as of that day.
///
/// Rules, from build records (`init(buildRecords:)`):
/// - only channel `beta` (compared case-insensitively) is used;
/// - versions with two dots (`72.0.2`) are left out; every other version must
///   parse, else `VersionCalendarError.malformedVersion` (records of other
///   channels are not parsed);
/// - on a day with several versions the last one wins: latest time, and among
///   equal times the later in input order;
/// - a day without a build keeps the version of the last day that had one;
///   days before the first build have no version.
///
/// From data rows (`init(dataRows:)`) the same rules apply to the `version`
/// carried by each row (there is no channel); rows without a version (nil or
/// blank) are skipped.
///
/// `major` is the current version's major; `mvers` is the running maximum of
/// `major` (never decreases, even if an older beta is respun after a newer one).
public struct VersionCalendar: Sendable, Equatable {
    /// The calendar entry of one day.
    public struct Entry: Sendable, Equatable {
        public var day: CalendarDay
        public var version: FirefoxVersion
        /// Running maximum of the major version up to this day.
        public var mvers: Int

        public var major: Int { version.major }
        /// Beta number; −1 for a release.
        public var beta: Int { version.beta }
    }

    /// The channel whose builds define the calendar (SPEC §3).
    public static let calendarChannel = "beta"

    /// Days on which the current version changed (or was re-announced), ascending.
    public let changes: [Entry]

    /// Builds the calendar from build records.
    public init(buildRecords: [BuildRecord]) throws(VersionCalendarError) {
        var announcements: [(date: Date, row: Int, version: FirefoxVersion)] = []
        for (index, record) in buildRecords.enumerated()
        where record.channel.lowercased() == Self.calendarChannel {
            guard record.date.timeIntervalSince1970.isFinite else { throw .nonFiniteDate(row: index + 1) }
            guard let version = FirefoxVersion(record.version) else {
                throw .malformedVersion(row: index + 1, version: record.version)
            }
            announcements.append((record.date, index, version))
        }
        self.init(announcements: announcements)
    }

    /// Builds the calendar from the versions carried by data rows.
    public init(dataRows: [(date: Date, version: String?)]) throws(VersionCalendarError) {
        var announcements: [(date: Date, row: Int, version: FirefoxVersion)] = []
        for (index, row) in dataRows.enumerated() {
            guard let text = row.version, !text.trimmingWhitespace.isEmpty else { continue }
            guard row.date.timeIntervalSince1970.isFinite else { throw .nonFiniteDate(row: index + 1) }
            guard let version = FirefoxVersion(text) else {
                throw .malformedVersion(row: index + 1, version: text)
            }
            announcements.append((row.date, index, version))
        }
        self.init(announcements: announcements)
    }

    private init(announcements: [(date: Date, row: Int, version: FirefoxVersion)]) {
        let ordered = announcements
            .filter { !$0.version.isDotRelease }
            .sorted { $0.date != $1.date ? $0.date < $1.date : $0.row < $1.row }
        var changes: [Entry] = []
        for item in ordered {
            let day = CalendarDay(item.date)
            if let last = changes.last, last.day == day {
                // The later announcement of the same day wins.
                let previousMax = changes.count > 1 ? changes[changes.count - 2].mvers : Int.min
                changes[changes.count - 1] = Entry(day: day, version: item.version,
                                                   mvers: Swift.max(previousMax, item.version.major))
            } else {
                let previousMax = changes.last?.mvers ?? Int.min
                changes.append(Entry(day: day, version: item.version,
                                     mvers: Swift.max(previousMax, item.version.major)))
            }
        }
        self.changes = changes
    }

    /// Whether the calendar knows no version at all.
    public var isEmpty: Bool { changes.isEmpty }

    /// First day with a version.
    public var firstDay: CalendarDay? { changes.first?.day }

    /// The entry in force on `day`: the last change on or before it; nil before the first.
    public func entry(on day: CalendarDay) -> Entry? {
        // Binary search for the last change with change.day ≤ day.
        var lo = 0
        var hi = changes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if changes[mid].day <= day { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        var entry = changes[lo - 1]
        entry.day = day
        return entry
    }

    /// The current version on `day` (nil before the first build).
    public func version(on day: CalendarDay) -> FirefoxVersion? { entry(on: day)?.version }
    /// Major of the current version on `day`.
    public func major(on day: CalendarDay) -> Int? { entry(on: day)?.major }
    /// Running-maximum major (`mvers`) on `day`.
    public func mvers(on day: CalendarDay) -> Int? { entry(on: day)?.mvers }
    /// Beta number on `day` (−1 for a release).
    public func beta(on day: CalendarDay) -> Int? { entry(on: day)?.beta }

    /// The UTC day of `date`'s entry.
    public func entry(on date: Date) -> Entry? { entry(on: CalendarDay(date)) }

    /// One entry per day over `range` (days before the first build are left out).
    public func entries(over range: ClosedRange<CalendarDay>) -> [Entry] {
        range.compactMap { entry(on: $0) }
    }

    /// The days on or before `latest` on which the release of `major`
    /// (`MAJOR.0`-style: beta −1, not a dot release) was the current version, ascending.
    public func releaseDays(major: Int, through latest: CalendarDay) -> [CalendarDay] {
        var days: [CalendarDay] = []
        for (i, change) in changes.enumerated() where change.day <= latest {
            guard change.version.isRelease, change.version.major == major else { continue }
            let end = i + 1 < changes.count ? changes[i + 1].day.advanced(by: -1) : latest
            let last = Swift.min(end, latest)
            if change.day <= last { days.append(contentsOf: change.day...last) }
        }
        return days
    }
}
