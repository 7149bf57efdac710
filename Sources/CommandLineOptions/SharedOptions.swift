import ArgumentParser
import Foundation
import Store
import Ingest

// Option groups and error reporting shared by the `slowreg` executable and
// its network helper `slowreg-fetch` (kept apart so that only the helper links
// FoundationNetworking and libcurl; see SlowregFetch).

/// `--store PATH`, shared by every command that opens the store.
package struct StoreOptions: ParsableArguments {
    package init() {}

    @Option(name: .long,
            help: ArgumentHelp("The store: an SQLite file (commands that write create it when missing) or postgresql://user@host:port/database.",
                               discussion: "Default: $\(StoreLocation.environmentVariable) when set, else \(StoreLocation.defaultPath). A PostgreSQL database must exist; its tables are created by the first command that writes.",
                               valueName: "path|url"))
    package var store: String?

    package var path: String { StoreLocation.resolve(explicit: store) }

    /// The store for a command that writes: created when missing.
    package func open() throws(StoreError) -> SQLStore { try StoreLocation.open(path) }

    /// The store for a command that only reads: it must exist, and it is
    /// neither created nor changed (a read-only file is fine).
    package func openForReading() throws(StoreError) -> SQLStore { try StoreLocation.open(path, access: .readOnly) }
}

/// `--select`, shared by the commands that bring rows in.
package struct SelectOptions: ParsableArguments {
    package init() {}

    @Option(help: ArgumentHelp(
        "Keep only the rows a selection keeps: '\(Selection.releaseCriteriaName)' (SPEC §3 defaults) or a YAML file.",
        discussion: "Copy Models/selection-default.yaml to make your own. Without --select every row is kept.",
        valueName: "release-criteria|file"))
    package var select: String?

    package func selection() throws(ConfigError) -> Selection { try Selection.named(select) }
}

/// Reports a failure the user must fix as one line on stderr (bounded in
/// length, control characters made visible) and returns status 2 to throw.
package func failWithBadInput(_ message: CustomStringConvertible) -> ExitCode {
    writeStandardError("slowreg: \(boundedForErrorLine(TerminalText.visible(message.description)))\n")
    return ExitCode(ExitStatus.badInput)
}

