import Foundation

/// A configuration file (selection rules, column map) that cannot be used, with
/// the dotted path of the key at fault (`simplified_names[2].sname`).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var problem: String

    public init(file: String, key: String, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        "\(file): key \"\(key)\": \(problem.replacingOccurrences(of: "\n", with: " "))"
    }
}
