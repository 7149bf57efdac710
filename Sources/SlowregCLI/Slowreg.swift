import ArgumentParser

@main
struct Slowreg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slowreg",
        abstract: "Find slow performance regressions with Bayesian smoothing splines.",
        version: "0.1.0",
        subcommands: []
    )
}
