import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exit-code contract of every slowreg command (SPEC §10, README "Exit
/// status"), one table for schedulers and alerting scripts:
///
/// | status | meaning |
/// |---|---|
/// | 0 | success; for `alert`, no alert fired |
/// | 1 | an alert fired (`alert`), some series failed or were not reached (`run`, the rest stored), problems found (`diagnose`), a network fetch failed (`fetch`) |
/// | 2 | bad input or usage: an unknown or invalid option, a file or store that cannot be read, a filter that matches nothing |
///
/// ArgumentParser exits with 64 (`EX_USAGE`) and the whole usage text on an
/// option error; here every such error is one line on stderr and status 2.
package enum ExitStatus {
    package static let success: Int32 = 0
    package static let alertOrPartialFailure: Int32 = 1
    package static let badInput: Int32 = 2
}

/// Parses the command line of `Root`, runs the chosen command and exits by
/// the contract of ``ExitStatus``: `--help` and `--version` print and exit 0,
/// an `ExitCode` thrown by a command is its status, and any other error —
/// a parse or validation error included — is one line `name: message` on
/// stderr and status 2.
package func runCommandLine<Root: ParsableCommand>(_ root: Root.Type, name: String,
                                                     arguments: [String]? = nil) async -> Never {
    do {
        var command = try Root.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
        exitProcess(ExitStatus.success)
    } catch let code as ExitCode {
        exitProcess(code.rawValue)
    } catch {
        if Root.exitCode(for: error) == .success {
            // --help, --version, a clean exit: ArgumentParser prints them.
            Root.exit(withError: error)
        }
        let message = oneLine(Root.message(for: error))
        writeStandardError("\(name): \(message.isEmpty ? "\(error)" : message)\n")
        exitProcess(ExitStatus.badInput)
    }
}

/// The first non-empty line of `text`, without ArgumentParser's "Error: "
/// prefix, bounded to ``maximumErrorLineLength`` characters.
package func oneLine(_ text: String) -> String {
    let first = text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .first { !$0.isEmpty } ?? ""
    let stripped = first.hasPrefix("Error: ") ? String(first.dropFirst("Error: ".count)) : first
    return boundedForErrorLine(stripped)
}

/// Longest error line written: a bad value of a megabyte is cut, not echoed.
package let maximumErrorLineLength = 400

/// `text` cut to ``maximumErrorLineLength`` characters, with an ellipsis and
/// the number of characters left out.
package func boundedForErrorLine(_ text: String) -> String {
    guard text.count > maximumErrorLineLength else { return text }
    let kept = text.prefix(maximumErrorLineLength)
    return "\(kept)… (\(text.count - maximumErrorLineLength) more characters)"
}

package func writeStandardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// Flushes standard output and ends the process with `status`.
package func exitProcess(_ status: Int32) -> Never {
    fflush(nil)  // every output stream
    exit(status)
}
