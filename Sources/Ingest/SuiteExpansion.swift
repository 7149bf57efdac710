import Foundation
import Store

/// Turns the nested `suites[]` of a perfherder document into records (SPEC §3
/// "value: the subtest value when present, else the suite value"): one record per
/// subtest, whose `test` is the subtest name and `value` its value; a suite
/// without subtests gives one record with `test` empty and the suite's value.
///
/// Per-suite `extraOptions`, `lowerIsBetter` and `unit` apply to its subtests
/// unless a subtest gives its own. `replicates` and `shouldAlert` are read past
/// (the model works on the summarised values).
struct SuiteExpansion {
    /// What the enclosing row or document says about every suite in it.
    struct Context {
        var time: Date
        var project: String
        var framework: String
        var platform: String
        var revision: String
        var taskId: String
        var label: String
        var version: String
    }

    let reader: JSONFieldReader

    func records(_ suites: [JSONValue], context: Context) throws(IngestError) -> [PerfRecord] {
        var records: [PerfRecord] = []
        for (i, suite) in suites.enumerated() {
            let path = "suites[\(i)]"
            guard let members = suite.objectMembers else {
                throw reader.fail(path, "expected an object, found \(suite.typeName)")
            }
            let name = try reader.requiredText(members["name"], "\(path).name")
            let extraOptions = try reader.joinedTextList(members["extraOptions"], "\(path).extraOptions")
            let lowerIsBetter = try reader.optionalBool(members["lowerIsBetter"], "\(path).lowerIsBetter")
            let unit = try reader.text(members["unit"], "\(path).unit")
            let subtests = try reader.list(members["subtests"], "\(path).subtests", required: false)

            func record(test: String, value: Double, lower: Bool?, unit: String) -> PerfRecord {
                PerfRecord(time: context.time, project: context.project, framework: context.framework,
                           suite: name, test: test, platform: context.platform, value: value,
                           revision: context.revision, taskId: context.taskId, label: context.label,
                           extraOptions: extraOptions, lowerIsBetter: lower, unit: unit, version: context.version)
            }

            if subtests.isEmpty {
                let value = try reader.finiteNumber(members["value"], "\(path).value")
                records.append(record(test: "", value: value, lower: lowerIsBetter, unit: unit))
                continue
            }
            for (j, subtest) in subtests.enumerated() {
                let subPath = "\(path).subtests[\(j)]"
                guard let sub = subtest.objectMembers else {
                    throw reader.fail(subPath, "expected an object, found \(subtest.typeName)")
                }
                let test = try reader.requiredText(sub["name"], "\(subPath).name")
                let value = try reader.finiteNumber(sub["value"], "\(subPath).value")
                _ = try reader.list(sub["replicates"], "\(subPath).replicates", required: false)
                let subLower = try reader.optionalBool(sub["lowerIsBetter"], "\(subPath).lowerIsBetter") ?? lowerIsBetter
                let subUnit = try reader.text(sub["unit"], "\(subPath).unit")
                records.append(record(test: test, value: value, lower: subLower, unit: subUnit.isEmpty ? unit : subUnit))
            }
        }
        return records
    }
}
