import Foundation
import NumericCore
import SplineModels

/// The workload every slowreg benchmark times: one year of a daily series,
/// 365 days × 4 runs = 1,460 points, so the knot rule gives
/// K = ⌈364/8⌉ = 46 basis functions (SPEC §5).
public enum BenchmarkSeries {
    public static let dayCount = 365
    public static let runsPerDay = 4
    public static let expectedBasisCount = 46

    /// A synthetic series with a slow seasonal drift, a step and Student-t
    /// noise, from a fixed seed so every run times the same arithmetic.
    public static func series() -> (days: [Int], values: [Double]) {
        var rng = RandomStream(seed: 20_240_601)
        var days: [Int] = []
        var values: [Double] = []
        for day in 0..<dayCount {
            for _ in 0..<runsPerDay {
                let level = 250 + 8 * sin(Double(day) / 40) + (day > 200 ? 6 : 0)
                days.append(day)
                values.append(level + 3 * rng.studentT(df: 4))
            }
        }
        return (days, values)
    }

    /// The Student-t model of the series (K = 46).
    public static func studentTModel() throws -> SplineModel {
        let (days, values) = series()
        let model = try SplineModel(days: days, values: values, noise: .studentT)
        precondition(model.basisCount == expectedBasisCount, "expected K = 46, got \(model.basisCount)")
        return model
    }

    /// A plausible posterior point: small penalized coordinates, σ = 0.5,
    /// τ = 0.1, ν = 5 on the working scale.
    public static func theta(for model: SplineModel) -> [Double] {
        var rng = RandomStream(seed: 7)
        var theta = (0..<model.dimension).map { _ in 0.05 * rng.standardNormal() }
        theta[model.logSigmaIndex] = log(0.5)
        theta[model.logTauIndex] = log(0.1)
        if let i = model.logNuIndex { theta[i] = log(5) }
        return theta
    }
}
