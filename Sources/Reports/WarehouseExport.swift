import Foundation
import Store

/// `slowreg export`: the results of one run date as files that warehouse
/// engines load natively (BigQuery, Spark, DuckDB): CSV with a header row, or
/// newline-delimited JSON (one object per line, every key present, `null`
/// where a value is absent). One file per table (``Table``), columns in the
/// order of ``columns(_:)``. Numbers are written as the shortest decimal that
/// reads back to the same value (draws: the same Float32), booleans as
/// `true`/`false`, days as `YYYY-MM-DD`.
public enum WarehouseExport {
    public enum Table: String, CaseIterable, Sendable {
        case comparisons, intervals, draws
    }

    public enum Format: String, CaseIterable, Sendable {
        case csv, ndjson
        public var fileExtension: String { rawValue }
    }

    /// One value of an exported row.
    enum Value {
        case text(String)
        case integer(Int)
        case number(Double)
        case float(Float)
        case bool(Bool)
        case null
    }

    static let seriesColumns = ["project", "suite", "test", "platform"]

    /// The columns of `table`, in file order.
    public static func columns(_ table: Table) -> [String] {
        switch table {
        case .comparisons:
            return ComparisonRecord.columns
        case .intervals:
            return seriesColumns + ["run_date", "day", "date", "level_p05", "level_p25", "level_p50", "level_p75", "level_p95",
                                    "p05", "p15", "p16", "p25", "p50", "p75", "p84", "p85", "p95",
                                    "raw_p05", "raw_p50", "raw_p95"]
        case .draws:
            return seriesColumns + ["run_date", "day", "date", "draw", "level", "predictive"]
        }
    }

    /// Writes `table` of `runDate` for the series `filter` matches through
    /// `write` (called with pieces of the file, in order); `days` restricts
    /// intervals and draws to those days. Returns the number of data rows.
    public static func export(store: any PerfStore, runDate: String, table: Table, format: Format,
                              filter: SeriesFilter, days: [String]? = nil,
                              write: (Data) throws -> Void) throws -> Int {
        guard try store.runDates().contains(runDate) else { throw ComparisonQueryError.noRun(runDate) }
        let names = columns(table)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        func flushIfFull() throws {
            if buffer.count >= 1 << 16 {
                try write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        var rows = 0
        func emit(_ values: [Value]) throws {
            switch format {
            case .csv: appendCSV(values, to: &buffer)
            case .ndjson: appendJSON(values, names: names, to: &buffer)
            }
            rows += 1
            try flushIfFull()
        }
        if format == .csv { buffer.append(contentsOf: (names.joined(separator: ",") + "\n").utf8) }

        switch table {
        case .comparisons:
            for r in try StoredComparisons.stored(store: store, runDate: runDate, filter: filter) {
                try emit([.text(r.project), .text(r.suite), .text(r.test), .text(r.platform), .text(r.run_date),
                          .text(r.label), .text(r.date), .number(r.p05), .number(r.p10), .number(r.p50), .number(r.p90),
                          .number(r.p95), .number(r.p_worse), .number(r.min_change), .number(r.threshold),
                          .number(r.p_worse_beyond), .bool(r.regression), .bool(r.alert), .text(r.status), .text(r.model)])
            }
        case .intervals, .draws:
            let stored = try store.seriesWithResults(runDate: runDate)
            let wantedDays = days.map(Set.init)
            for s in try StoredComparisons.matchingSeries(store: store, filter: filter) where stored.contains(s.id) {
                let key: [Value] = [.text(s.project), .text(s.suite), .text(s.test), .text(s.platform), .text(runDate)]
                if table == .intervals {
                    for i in try store.intervals(runDate: runDate, seriesId: s.id)
                    where wantedDays?.contains(i.date) ?? true {
                        try emit(key + [.integer(i.day), .text(i.date)]
                            + [i.levelP05, i.levelP25, i.levelP50, i.levelP75, i.levelP95, i.p05, i.p15, i.p16, i.p25,
                               i.p50, i.p75, i.p84, i.p85, i.p95, i.rawP05, i.rawP50, i.rawP95].map(Value.number))
                    }
                } else {
                    for day in try store.draws(runDate: runDate, seriesId: s.id, dates: days) {
                        let dayKey = key + [.integer(day.day), .text(day.date)]
                        for (draw, level) in day.level.enumerated() {
                            let predictive = day.predictive.flatMap { draw < $0.count ? Value.float($0[draw]) : nil } ?? .null
                            try emit(dayKey + [.integer(draw), .float(level), predictive])
                        }
                    }
                }
            }
        }
        if !buffer.isEmpty { try write(Data(buffer)) }
        return rows
    }

    static func text(_ value: Value) -> String? {
        switch value {
        case let .text(s): return s
        case let .integer(n): return String(n)
        case let .number(x): return x.isFinite ? x.description : nil
        case let .float(x): return x.isFinite ? x.description : nil
        case let .bool(b): return b ? "true" : "false"
        case .null: return nil
        }
    }

    static func appendCSV(_ values: [Value], to out: inout [UInt8]) {
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch value {
            case let .text(s): out.append(contentsOf: CSVText.field(s).utf8)
            default: out.append(contentsOf: (text(value) ?? "").utf8)
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    static func appendJSON(_ values: [Value], names: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, (name, value)) in zip(names, values).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            PrettyJSON.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            switch value {
            case let .text(s): PrettyJSON.writeString(s, into: &out)
            default: out.append(contentsOf: (text(value) ?? "null").utf8)
            }
        }
        out.append(contentsOf: "}\n".utf8)
    }
}
