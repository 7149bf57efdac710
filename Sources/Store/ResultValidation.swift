import Foundation

/// Checks a ``SeriesResults`` before it is written, so a bad row is reported by
/// name rather than as a constraint failure: days in `YYYY-MM-DD` form, finite
/// numbers in the columns that must hold one, no repeated keys.
enum ResultValidation {
    static func check(_ results: SeriesResults) throws(StoreError) {
        func fail(_ problem: String) -> StoreError {
            .invalidResults(runDate: results.runDate, seriesId: results.seriesId, problem: problem)
        }
        func day(_ text: String, _ what: String) throws(StoreError) {
            guard StoreTime.isDayText(text) else { throw fail("\(what) \"\(text)\" is not a YYYY-MM-DD day") }
        }
        func finite(_ values: [(String, Double)], _ what: String) throws(StoreError) {
            if let bad = values.first(where: { !$0.1.isFinite }) { throw fail("\(what): \(bad.0) is \(bad.1)") }
        }

        try day(results.runDate, "run date")
        for (index, row) in results.modelInput.enumerated() {
            try finite([("y", row.y)], "model_input row \(index)")
        }
        var intervalDays = Set<Int>()
        for row in results.intervals {
            try day(row.date, "intervals day \(row.day) date")
            guard intervalDays.insert(row.day).inserted else { throw fail("intervals: day \(row.day) given twice") }
            try finite([("level_p05", row.levelP05), ("level_p25", row.levelP25), ("level_p50", row.levelP50),
                        ("level_p75", row.levelP75), ("level_p95", row.levelP95), ("p05", row.p05), ("p15", row.p15),
                        ("p16", row.p16), ("p25", row.p25), ("p50", row.p50), ("p75", row.p75), ("p84", row.p84),
                        ("p85", row.p85), ("p95", row.p95), ("raw_p05", row.rawP05), ("raw_p50", row.rawP50),
                        ("raw_p95", row.rawP95)], "intervals day \(row.day)")
        }
        var drawDays = Set<Int>()
        for row in results.draws {
            try day(row.date, "draws day \(row.day) date")
            guard drawDays.insert(row.day).inserted else { throw fail("draws: day \(row.day) given twice") }
            guard !row.level.isEmpty else { throw fail("draws day \(row.day): no level draws") }
            if let draw = row.level.firstIndex(where: { !$0.isFinite }) {
                throw fail("draws day \(row.day) draw \(draw): level is \(row.level[draw])")
            }
            if let predictive = row.predictive {
                guard predictive.count == row.level.count else {
                    throw fail("draws day \(row.day): \(predictive.count) predictive draws for \(row.level.count) level draws")
                }
                if let draw = predictive.firstIndex(where: { !$0.isFinite }) {
                    throw fail("draws day \(row.day) draw \(draw): predictive is \(predictive[draw])")
                }
            }
        }
        if let count = results.draws.first?.level.count, let other = results.draws.first(where: { $0.level.count != count }) {
            throw fail("draws day \(other.day): \(other.level.count) draws where day \(results.draws[0].day) has \(count); days must be paired draw by draw")
        }
        var labels = Set<String>()
        for row in results.comparisons {
            try day(row.date, "comparison \"\(row.label)\" date")
            guard labels.insert(row.label).inserted else { throw fail("comparisons: label \"\(row.label)\" given twice") }
            try finite([("p05", row.p05), ("p10", row.p10), ("p50", row.p50), ("p90", row.p90), ("p95", row.p95),
                        ("p_worse", row.pWorse)], "comparison \"\(row.label)\"")
        }
        var changeDates = Set<String>()
        for row in results.changeDays {
            try day(row.date, "change day date")
            guard changeDates.insert(row.date).inserted else { throw fail("change_days: \(row.date) given twice") }
            try finite([("probability", row.probability), ("size_percent", row.sizePercent)], "change day \(row.date)")
        }
        var candidates = Set<String>()
        for row in results.noiseChoice {
            guard candidates.insert(row.candidate).inserted else { throw fail("noise_choice: \(row.candidate) given twice") }
            let present = [("elpd_loo", row.elpd), ("se", row.se), ("p_loo", row.pLoo), ("elpd_diff", row.elpdDiff),
                           ("dse", row.dse), ("max_pareto_k", row.maxParetoK)].compactMap { name, value in value.map { (name, $0) } }
            try finite(present, "noise_choice \(row.candidate)")
        }
        if !results.noiseChoice.isEmpty && results.noiseChoice.filter(\.chosen).count != 1 {
            throw fail("noise_choice: exactly one candidate must be chosen")
        }
        if let first = results.diagnostics.firstDate { try day(first, "diagnostics first_date") }
        if let last = results.diagnostics.lastDate { try day(last, "diagnostics last_date") }
    }
}
