import ArgumentParser
import CommandLineOptions

@main
struct Slowreg: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slowreg",
        abstract: "Find slow performance regressions with Bayesian smoothing splines.",
        discussion: """
            Exit status of every command: 0 success (no alert), 1 an alert fired
            (alert), some series failed or were not reached (run) or problems were
            found (diagnose), 2 bad input or usage (option errors included).
            """,
        version: "0.2.0",
        subcommands: [RunCommand.self, FitCommand.self, CompareCommand.self, AlertCommand.self, IngestCommand.self, FetchCommand.self, DiagnoseCommand.self, ReportCommand.self, ExportCommand.self, PruneCommand.self, DemoCommand.self]
    )

    /// Every command exits by one contract (``ExitStatus``): option errors are
    /// one line and status 2, not ArgumentParser's usage text and 64.
    static func main() async {
        await runCommandLine(Slowreg.self, name: "slowreg")
    }
}
