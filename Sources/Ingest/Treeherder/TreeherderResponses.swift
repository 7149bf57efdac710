import Foundation
import Store

/// A performance signature as `GET /api/project/{project}/performance/signatures/`
/// lists it: an object keyed by signature id, each value
/// `{"id", "signature_hash", "framework_id", "machine_platform", "suite", "test"?,
/// "lower_is_better"?, "extra_options"?, "measurement_unit"?, …}`. Treeherder
/// omits `lower_is_better` when it is true and `test` when it is empty.
public struct TreeherderSignature: Sendable, Equatable {
    public var id: Int
    public var hash: String
    public var frameworkId: Int
    public var platform: String
    public var suite: String
    public var test: String
    public var lowerIsBetter: Bool
    public var extraOptions: [String]
    public var unit: String

    public init(id: Int, hash: String = "", frameworkId: Int, platform: String, suite: String, test: String = "",
                lowerIsBetter: Bool = true, extraOptions: [String] = [], unit: String = "") {
        self.id = id
        self.hash = hash
        self.frameworkId = frameworkId
        self.platform = platform
        self.suite = suite
        self.test = test
        self.lowerIsBetter = lowerIsBetter
        self.extraOptions = extraOptions
        self.unit = unit
    }
}

/// One data point as `GET /api/project/{project}/performance/data/` lists it: an
/// object keyed by signature hash, each value a list of
/// `{"id", "signature_id", "job_id", "push_id", "revision", "push_timestamp", "value"}`
/// with `push_timestamp` in unix seconds.
public struct TreeherderDatum: Sendable, Equatable {
    public var id: Int
    public var signatureId: Int
    public var jobId: Int?
    public var revision: String
    public var pushTimestamp: Date
    public var value: Double
}

/// Decoding of the response bodies; every problem names what is wrong.
package enum TreeherderResponses {
    package struct Problem: Error { package let text: String }

    static func json(_ data: Data) throws(Problem) -> JSONValue {
        do { return try JSONValue.parse(data) } catch { throw Problem(text: "not valid JSON") }
    }

    static func int(_ value: JSONValue?, _ what: String) throws(Problem) -> Int {
        guard case let .number(number)? = value, number == number.rounded(), abs(number) < 9e15 else {
            throw Problem(text: "\(what) is missing or not an integer")
        }
        return Int(number)
    }

    static func text(_ value: JSONValue?, _ what: String, required: Bool = false) throws(Problem) -> String {
        switch value {
        case nil, .null?:
            if required { throw Problem(text: "\(what) is missing") }
            return ""
        case let .string(text)?:
            // Names go to the store and on to terminals: the ingest rule (NameText).
            if let problem = NameText.problem(text) { throw Problem(text: "\(what): \(problem)") }
            return text
        case let .number(number)?: return JSONValue.number(number).scalarText ?? ""
        case let other?: throw Problem(text: "\(what) is \(other.typeName), expected text")
        }
    }

    /// `[{"id": 1, "name": "talos"}, …]` → id → name.
    package static func frameworks(_ data: Data) throws(Problem) -> [Int: String] {
        guard case let .array(elements) = try json(data) else { throw Problem(text: "expected a list of frameworks") }
        var names: [Int: String] = [:]
        for (index, element) in elements.enumerated() {
            names[try int(element["id"], "framework[\(index)].id")] =
                try text(element["name"], "framework[\(index)].name", required: true)
        }
        return names
    }

    package static func signatures(_ data: Data) throws(Problem) -> [TreeherderSignature] {
        guard let members = try json(data).objectMembers else { throw Problem(text: "expected an object of signatures") }
        var result: [TreeherderSignature] = []
        for key in members.keys.sorted() {
            let what = "signature \(InputQuote.quoted(key))"
            guard let entry = members[key]?.objectMembers else { throw Problem(text: "\(what) is not an object") }
            var extraOptions: [String] = []
            switch entry["extra_options"] {
            case nil, .null?: break
            case let .array(elements)?: extraOptions = try elements.map { (e) throws(Problem) in try text(e, "\(what).extra_options") }
            case let .string(joined)?: extraOptions = joined.split(separator: " ").map(String.init)
            case let other?: throw Problem(text: "\(what).extra_options is \(other.typeName)")
            }
            var lowerIsBetter = true
            switch entry["lower_is_better"] {
            case nil, .null?: break
            case let .bool(flag)?: lowerIsBetter = flag
            case let other?: throw Problem(text: "\(what).lower_is_better is \(other.typeName)")
            }
            result.append(TreeherderSignature(
                id: try int(entry["id"], "\(what).id"), hash: try text(entry["signature_hash"], "\(what).signature_hash"),
                frameworkId: try int(entry["framework_id"], "\(what).framework_id"),
                platform: try text(entry["machine_platform"], "\(what).machine_platform", required: true),
                suite: try text(entry["suite"], "\(what).suite", required: true),
                test: try text(entry["test"], "\(what).test"), lowerIsBetter: lowerIsBetter,
                extraOptions: extraOptions, unit: try text(entry["measurement_unit"], "\(what).measurement_unit")))
        }
        return result
    }

    package static func data(_ body: Data) throws(Problem) -> [TreeherderDatum] {
        guard let members = try json(body).objectMembers else { throw Problem(text: "expected an object of data lists") }
        var result: [TreeherderDatum] = []
        for key in members.keys.sorted() {
            guard case let .array(points)? = members[key] else {
                throw Problem(text: "data of \(InputQuote.quoted(key)) is not a list")
            }
            for (index, point) in points.enumerated() {
                let what = "data of \(InputQuote.quoted(key))[\(index)]"
                guard point.objectMembers != nil else { throw Problem(text: "\(what) is not an object") }
                let time: Date
                switch point["push_timestamp"] {
                case let .number(seconds)? where seconds.isFinite: time = Date(timeIntervalSince1970: seconds)
                case let .string(text)?:
                    guard let parsed = TimestampParser.parse(text) else {
                        throw Problem(text: "\(what).push_timestamp \(InputQuote.quoted(text)) is not a time")
                    }
                    time = parsed
                default: throw Problem(text: "\(what).push_timestamp is missing or not a time")
                }
                if let problem = PlausibleTime.problem(time) { throw Problem(text: "\(what).push_timestamp: \(problem)") }
                guard case let .number(value)? = point["value"], value.isFinite else {
                    throw Problem(text: "\(what).value is missing or not a finite number")
                }
                var jobId: Int?
                if let raw = point["job_id"], raw != .null { jobId = try int(raw, "\(what).job_id") }
                result.append(TreeherderDatum(
                    id: try int(point["id"], "\(what).id"), signatureId: try int(point["signature_id"], "\(what).signature_id"),
                    jobId: jobId, revision: try text(point["revision"], "\(what).revision"),
                    pushTimestamp: time, value: value))
            }
        }
        return result
    }
}
