import Foundation
import NumericCore
import SplineModels
import Testing

/// Reference log densities computed independently in NumPy/SciPy by
/// `scripts/fixtures/make_model_fixtures.py` (regenerate with it, never by hand).
struct ModelReference: Decodable {
    struct Case: Decodable {
        let name: String
        let noise: String
        let days: [Int]
        let values: [Double]
        let basisCount: Int
        let location: Double
        let scale: Double
        let points: [Point]
    }

    /// Working-scale parameters and the density at them in both parametrizations.
    struct Point: Decodable {
        let coefficients: [Double]
        let sigma: Double
        let tau: Double
        let nu: Double?
        let logDensityCentred: Double
        let logDensityNonCentred: Double
    }

    let cases: [Case]

    static func load() throws -> ModelReference {
        let url = try #require(Bundle.module.url(forResource: "model_reference", withExtension: "json",
                                                 subdirectory: "Fixtures"),
                               "run scripts/fixtures/make_model_fixtures.py")
        return try JSONDecoder().decode(ModelReference.self, from: Data(contentsOf: url))
    }
}

/// `|actual − expected| ≤ absolute + relative·|expected|` (never `==` on floats).
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= absolute + relative * abs(expected)
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// A synthetic series for the model tests: `dayCount` days with one to four
/// runs each (some days missing), a seasonal level, Student-t noise and two
/// gross outliers, from a fixed seed.
func syntheticSeries(dayCount: Int = 90, seed: UInt64 = 2024) -> (days: [Int], values: [Double]) {
    var rng = RandomStream(seed: seed)
    var days: [Int] = []
    var values: [Double] = []
    for day in 0..<dayCount {
        if day != 0, day != dayCount - 1, rng.uniform() < 0.1 { continue }
        let runs = 1 + Int(rng.uniform() * 4)
        for _ in 0..<runs {
            days.append(day)
            values.append(120 + 4 * sin(Double(day) / 11) + 1.5 * rng.studentT(df: 4))
        }
    }
    values[7] += 40
    values[values.count / 2] -= 30
    return (days, values)
}
