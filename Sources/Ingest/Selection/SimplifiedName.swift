import Foundation

/// One rule of the simplified suite name `sname` (SPEC §3): a suite whose name
/// starts with `prefix` and ends with `suffix` (empty = any ending) is called
/// `sname`. Rules are tried in order; the first match wins; a suite no rule
/// matches keeps its own name.
public struct SimplifiedNameRule: Sendable, Equatable {
    public var prefix: String
    public var suffix: String
    public var sname: String

    public init(prefix: String, suffix: String = "", sname: String) {
        self.prefix = prefix
        self.suffix = suffix
        self.sname = sname
    }

    public func matches(_ suite: String) -> Bool {
        suite.hasPrefix(prefix) && suite.hasSuffix(suffix)
    }
}

public enum SimplifiedName {
    /// `sname` of `suite` under `rules`.
    public static func of(_ suite: String, rules: [SimplifiedNameRule]) -> String {
        rules.first { $0.matches(suite) }?.sname ?? suite
    }
}
