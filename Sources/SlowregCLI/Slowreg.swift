import ArgumentParser

@main
struct Slowreg: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slowreg",
        abstract: "Find slow performance regressions with Bayesian smoothing splines.",
        version: "0.1.0",
        subcommands: [RunCommand.self, FitCommand.self, CompareCommand.self, AlertCommand.self, IngestCommand.self, FetchCommand.self, DiagnoseCommand.self, ReportCommand.self, DemoCommand.self]
    )
}
