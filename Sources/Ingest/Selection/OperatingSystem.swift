import Foundation

/// One rule of the OS-from-platform mapping (SPEC §3): a platform starting with
/// `prefix` runs `os`. Rules are tried in order; the first match wins; a
/// platform no rule matches has the empty OS.
public struct OperatingSystemRule: Sendable, Equatable {
    public var prefix: String
    public var os: String

    public init(prefix: String, os: String) {
        self.prefix = prefix
        self.os = os
    }
}

public enum OperatingSystem {
    /// The OS of `platform` under `rules`, "" when none matches.
    public static func of(platform: String, rules: [OperatingSystemRule]) -> String {
        rules.first { platform.hasPrefix($0.prefix) }?.os ?? ""
    }
}
