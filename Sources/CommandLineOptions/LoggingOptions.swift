import ArgumentParser
import Foundation
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// `--log-level` and `--quiet`: logs go to stderr through swift-log, each line
/// with a timestamp and a level (SPEC §10), so a scheduler's log keeps when
/// and how a run went; results go to stdout.
package struct LoggingOptions: ParsableArguments {
    package init() {}

    @Option(name: .customLong("log-level"),
            help: ArgumentHelp("Least severe log level written to stderr: trace, debug, info, notice, warning, error or critical.",
                               valueName: "level"))
    package var logLevel: Logger.Level = .info

    @Flag(help: "Only warnings and errors on stderr (no progress).")
    package var quiet = false

    /// The level in force: `--quiet` raises it to warning.
    package var level: Logger.Level { quiet ? max(logLevel, .warning) : logLevel }

    /// Sends every logger of the process to stderr at `level`; call once, first.
    package func bootstrap() {
        let level = self.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
