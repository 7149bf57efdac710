import ArgumentParser
import CommandLineOptions
import Foundation
import Store
import Ingest
import TreeherderFetch

/// `slowreg fetch`, run as its own executable `slowreg-fetch` (the `slowreg`
/// executable forwards to it): only this program links FoundationNetworking
/// and libcurl, whose loading would otherwise add ~9 ms to the start of every
/// slowreg command, `fit` and `alert` included (git keeps its HTTP transport
/// in `git-remote-https` for the same reason).
@main
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slowreg fetch",
        abstract: "Download performance data from Treeherder into the store.",
        discussion: """
            Lists the signatures of --project (those named with --signature, or all
            that match --framework/--platform and ran in the interval), then
            downloads their data in windows of --page-days days. Server errors
            (5xx, 429), timeouts and dropped connections are retried with
            exponential backoff (--retries); any other failure stops the fetch,
            naming the URL, and nothing is stored (exit 1). --timeout bounds each
            request as a whole, --max-body-bytes the size of each answer.
            Everything fetched is stored in
            one transaction; rows already stored are skipped.
            Example: slowreg fetch --project mozilla-beta --signature 3891031 --days 365
            """)

    /// The exit-code contract of every slowreg command (``ExitStatus``).
    static func main() async {
        await runCommandLine(FetchCommand.self, name: "slowreg fetch")
    }

    /// Treeherder's public instance.
    static let defaultBaseURL = "https://treeherder.mozilla.org"
    /// A year of history, what the model fits (SPEC §1).
    static let defaultDays = 365

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Treeherder base URL.", valueName: "url"))
    var baseURL: String = FetchCommand.defaultBaseURL

    @Option(help: ArgumentHelp("Project (repository), e.g. mozilla-beta or fenix.", valueName: "project"))
    var project: String

    @Option(name: .customLong("signature"), help: ArgumentHelp("Signature id to fetch (repeatable).", valueName: "id"))
    var signatures: [Int] = []

    @Option(name: .customLong("framework"), help: ArgumentHelp("Framework id to restrict signatures to (repeatable), e.g. 1 talos, 10 raptor, 13 browsertime.", valueName: "id"))
    var frameworks: [Int] = []

    @Option(help: ArgumentHelp("Machine platform to restrict signatures to.", valueName: "platform"))
    var platform: String?

    @Option(help: ArgumentHelp("Days of history up to --until.", valueName: "n"))
    var days: Int = FetchCommand.defaultDays

    @Option(help: ArgumentHelp("First day to fetch (YYYY-MM-DD, UTC); overrides --days.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Last day to fetch (YYYY-MM-DD, UTC). Default: now.", valueName: "date"))
    var until: String?

    @Option(help: ArgumentHelp("Seconds one request may take in total, body included.", valueName: "seconds"))
    var timeout: Double = TreeherderClientOptions().requestTimeout

    @Option(name: .customLong("max-body-bytes"), help: ArgumentHelp("Largest answer accepted, in bytes.", valueName: "n"))
    var maxBodyBytes: Int = TreeherderClientOptions().maxBodyBytes

    @Option(help: ArgumentHelp("Retries of a failed request (5xx, 429, timeout).", valueName: "n"))
    var retries: Int = TreeherderClientOptions().maxAttempts - 1

    @Option(name: .customLong("page-days"), help: ArgumentHelp("Days per data request.", valueName: "n"))
    var pageDays: Int = TreeherderClientOptions().pageDays

    @Option(name: .customLong("max-requests"), help: ArgumentHelp("Most requests the fetch may make.", valueName: "n"))
    var maxRequests: Int = TreeherderClientOptions().maxRequests

    @OptionGroup var selectOptions: SelectOptions
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard let url = URL(string: baseURL), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--base-url \(InputQuote.quoted(baseURL)) is not an http(s) URL")
        }
        // Bounds keep the date and retry arithmetic far from overflow: a century
        // of history, a hundred retries.
        guard days > 0, days <= 36_500 else { throw ValidationError("--days must be between 1 and 36500") }
        guard timeout > 0, timeout.isFinite, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day")
        }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard retries >= 0, retries <= 100 else { throw ValidationError("--retries must be between 0 and 100") }
        guard pageDays > 0 else { throw ValidationError("--page-days must be positive") }
        guard maxRequests > 0 else { throw ValidationError("--max-requests must be positive") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, !StoreTime.isDayText(value) { throw ValidationError("\(name) \(InputQuote.quoted(value)) is not a YYYY-MM-DD day") }
        }
        if let since, let until, let first = StoreTime.daysSinceEpoch(dayText: since),
           let last = StoreTime.daysSinceEpoch(dayText: until), first > last {
            throw ValidationError("--since \(since) is after --until \(until)")
        }
    }

    /// The inclusive interval asked for.
    func interval(now: Date = Date()) -> (start: Date, end: Date) {
        let end = until.flatMap(StoreTime.daysSinceEpoch(dayText:))
            .map { Date(timeIntervalSince1970: Double($0 + 1) * CivilDays.secondsPerDay - 1) } ?? now
        let start = since.flatMap(StoreTime.daysSinceEpoch(dayText:))
            .map { Date(timeIntervalSince1970: Double($0) * CivilDays.secondsPerDay) }
            ?? end.addingTimeInterval(-Double(days) * CivilDays.secondsPerDay)
        return (start, end)
    }

    func run() async throws {
        var options = TreeherderClientOptions()
        options.requestTimeout = timeout
        options.maxBodyBytes = maxBodyBytes
        options.maxAttempts = retries + 1
        options.pageDays = pageDays
        options.maxRequests = maxRequests
        guard let base = URL(string: baseURL) else { throw failWithBadInput("--base-url \(InputQuote.quoted(baseURL)) is not a URL") }
        let client = TreeherderClient(baseURL: base, options: options)
        let (start, end) = interval()
        let query = TreeherderQuery(project: project, signatureIds: signatures, frameworkIds: frameworks,
                                    platform: platform, start: start, end: end)
        do {
            let selection = try selectOptions.selection()
            let fetched = try await client.fetch(query)
            let outcome = selection.apply(fetched.records)
            let store = try storeOptions.open()
            let counts = try store.ingest(outcome.kept)
            var line = "\(baseURL) \(project): \(fetched.signatures.count) signatures, \(fetched.records.count) rows read "
                + "in \(fetched.requests) requests, \(counts.added) added, \(counts.duplicates) skipped as duplicates"
            if selection.filters { line += ", \(outcome.filteredOut) not selected, \(outcome.deduplicated) de-duplicated" }
            print(line)
        } catch let error as TreeherderError {
            // Every failure of the server's side, an answer of the wrong shape
            // included, is a fetch failure (exit 1, README); the user's input is fine.
            if case .invalidRequest = error { throw failWithBadInput(error) }   // the user's URL or dates
            FileHandle.standardError.write(Data("slowreg: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as ConfigError {
            throw failWithBadInput(error)
        } catch let error as StoreError {
            throw failWithBadInput(error)
        }
    }
}
