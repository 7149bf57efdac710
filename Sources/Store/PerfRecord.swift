import Foundation

/// One performance-test result, the common form every input source is parsed into
/// (SPEC §3 "A perfherder row").
///
/// Required: `time`, `suite`, `platform`, `value` (finite). Every other field is
/// optional in the sources; an absent text field is the empty string and an absent
/// `lowerIsBetter` is `nil` (Treeherder's own default is "lower is better", see
/// ``PerfRecord/defaultLowerIsBetter``).
public struct PerfRecord: Sendable, Hashable {
    /// When the test ran (for Treeherder exports: the push time), an instant in UTC.
    public var time: Date
    /// Repository, e.g. `mozilla-beta`, `fenix`; "" when unknown.
    public var project: String
    /// Harness, e.g. `talos`, `raptor`, `browsertime`, `awsy`; "" when unknown.
    public var framework: String
    /// Test suite name (what SPEC §3 calls the test name), never empty.
    public var suite: String
    /// Subtest within the suite; "" when the suite value itself is the measurement.
    public var test: String
    /// Machine platform, e.g. `windows10-64-shippable`, never empty.
    public var platform: String
    /// The measurement (finite).
    public var value: Double
    /// Revision (changeset) the test ran on; "".
    public var revision: String
    /// Task (or Treeherder job) that produced the value; "".
    public var taskId: String
    /// Task label, e.g. `test-windows10-64-shippable/opt-talos-tp5o`; "".
    public var label: String
    /// Extra options, space-separated as Treeherder stores them (`"e10s stylo"`); "".
    public var extraOptions: String
    /// Direction of "better"; `nil` when the source does not say.
    public var lowerIsBetter: Bool?
    /// Measurement unit, e.g. `ms`, `bytes`; "".
    public var unit: String
    /// Application version, e.g. `77.0b3`; "".
    public var version: String
    /// Perfherder's signature id of the series, e.g. `3534783`; "" when the source does not say.
    public var signature: String

    /// What Treeherder assumes when a signature does not say (its API omits the
    /// field unless it is false): most performance tests measure a cost.
    public static let defaultLowerIsBetter = true

    public init(
        time: Date, project: String = "", framework: String = "", suite: String,
        test: String = "", platform: String, value: Double, revision: String = "",
        taskId: String = "", label: String = "", extraOptions: String = "",
        lowerIsBetter: Bool? = nil, unit: String = "", version: String = "", signature: String = ""
    ) {
        self.time = time
        self.project = project
        self.framework = framework
        self.suite = suite
        self.test = test
        self.platform = platform
        self.value = value
        self.revision = revision
        self.taskId = taskId
        self.label = label
        self.extraOptions = extraOptions
        self.lowerIsBetter = lowerIsBetter
        self.unit = unit
        self.version = version
        self.signature = signature
    }
}
