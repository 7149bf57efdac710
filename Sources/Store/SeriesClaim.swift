import Foundation

/// Claims on (run date, series): how several `run` processes share one store
/// and still fit each series once (SPEC §9 v2).
///
/// Before fitting a series a process asks the store, in one transaction, for
/// a ``ClaimRequest``. The store answers from what it holds:
/// - results that count as done (``ClaimRequest/countsAsDone(_:)``) →
///   ``ClaimOutcome/alreadyStored``: nothing to fit;
/// - an unexpired claim of another process → ``ClaimOutcome/claimedElsewhere(owner:)``:
///   that process is fitting it now;
/// - otherwise the claim is written (or an expired one taken over) →
///   ``ClaimOutcome/claimed``: fit it. Writing the results deletes the claim in
///   the same transaction.
///
/// A killed process never writes its results, so its claims simply expire
/// after the lease and the next `run` takes those series over. There is no
/// global lock: two processes work through one run date side by side.
public struct ClaimRequest: Sendable, Equatable {
    public var runDate: String
    public var seriesId: Int64
    /// Who claims: unique per process (host, pid and a random part).
    public var owner: String
    /// Now, and the end of the lease.
    public var now: Date
    public var expiresAt: Date
    /// The fit this run makes: stored results made otherwise are refitted.
    public var fit: FitIdentity
    /// `--replace`: refit even what is stored, unless this very run (another
    /// process of it, started no earlier than ``runStartedAt``) stored it.
    public var replace: Bool
    public var runStartedAt: Date

    public init(runDate: String, seriesId: Int64, owner: String, now: Date, expiresAt: Date, fit: FitIdentity,
                replace: Bool, runStartedAt: Date) {
        self.runDate = runDate
        self.seriesId = seriesId
        self.owner = owner
        self.now = now
        self.expiresAt = expiresAt
        self.fit = fit
        self.replace = replace
        self.runStartedAt = runStartedAt
    }

    /// Whether the stored results of this (run date, series) make a fit
    /// unnecessary:
    /// - results written since this run started (by a concurrent process) are
    ///   done, whatever their status — each series is fitted once per run;
    /// - otherwise, without `--replace`, results are done when the fit did not
    ///   fail (a failure may be passing: disk full, too few points that day)
    ///   and was made with the same model, sampler and noise (SPEC §9 v2).
    public func countsAsDone(_ stored: StoredFit) -> Bool {
        if let created = stored.createdAt, created >= runStartedAt { return true }
        guard !replace else { return false }
        return stored.status != .failed && stored.fit == fit
    }
}

/// The model, sampler and noise a fit was made with, as `diagnostics` stores them.
public struct FitIdentity: Sendable, Equatable {
    public var model: String
    public var sampler: String
    public var noise: String

    public init(model: String, sampler: String, noise: String) {
        self.model = model
        self.sampler = sampler
        self.noise = noise
    }
}

/// What `diagnostics` holds for one (run date, series).
public struct StoredFit: Sendable, Equatable {
    public var fit: FitIdentity
    public var status: StoredFitStatus
    public var createdAt: Date?

    public init(fit: FitIdentity, status: StoredFitStatus, createdAt: Date?) {
        self.fit = fit
        self.status = status
        self.createdAt = createdAt
    }
}

/// The store's answer to a ``ClaimRequest``.
public enum ClaimOutcome: Sendable, Equatable {
    /// This process holds the claim: fit the series.
    case claimed
    /// Results that count as done are stored: nothing to do.
    case alreadyStored
    /// Another process holds an unexpired claim and is fitting it now.
    case claimedElsewhere(owner: String)
}

public enum ClaimOwner {
    /// A name for this process's claims: host, process id and a random part
    /// (process ids repeat across machines and restarts).
    public static func current() -> String {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        return "\(host):\(pid):\(UInt32.random(in: 0...UInt32.max))"
    }
}
