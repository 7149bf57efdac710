import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `slowreg fetch …` runs the helper executable `slowreg-fetch …`, installed
/// next to `slowreg`, in place of this process (same arguments, terminal,
/// exit status). The helper holds the Treeherder client: keeping
/// FoundationNetworking and libcurl out of `slowreg` saves their loading time
/// on every other command.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download performance data from Treeherder into the store.",
        discussion: "Runs \(helperName) (next to slowreg); `slowreg fetch --help` lists its options.")

    /// The helper's file name.
    static let helperName = "slowreg-fetch"

    @Argument(parsing: .captureForPassthrough, help: "The options of slowreg fetch (see slowreg fetch --help).")
    var arguments: [String] = []

    /// The helper beside the running executable (resolving symbolic links).
    static func helperPath() -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let selfExe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(URL.init(fileURLWithPath:))
        let directory = (selfExe ?? executable).deletingLastPathComponent()
        return directory.appendingPathComponent(helperName).path
    }

    func run() throws {
        let path = Self.helperPath()
        guard FileManager.default.isExecutableFile(atPath: path) else {
            FileHandle.standardError.write(Data("slowreg: \(path) is missing; build it with the package (swift build -c release)\n".utf8))
            throw ExitCode(2)
        }
        let argv = [path] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(path, &cArguments)
        // execv returns only on failure.
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("slowreg: cannot run \(path): \(reason)\n".utf8))
        throw ExitCode(2)
    }
}
