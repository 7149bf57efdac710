import Foundation
import Testing
import Diagnostics

/// ArviZ PSIS-LOO reference values written by
/// scripts/fixtures/make_loo_fixtures.py (arviz 0.23.4) into
/// Fixtures/arviz_loo.json: `az.loo`, `az.compare` and `az.psislw` on exactly
/// the (rounded) numbers stored beside them.
struct LOOFixtureFile: Decodable {
    /// A JSON number, or the strings "inf"/"-inf" the script writes for
    /// infinities (JSON has none); `null` is NaN.
    struct Number: Decodable {
        let value: Double
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .nan
            } else if let text = try? container.decode(String.self) {
                switch text {
                case "inf": value = .infinity
                case "-inf": value = -.infinity
                default:
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number: \(text)")
                }
            } else {
                value = try container.decode(Double.self)
            }
        }
    }
    struct Loo: Decodable {
        let reff: Double
        let elpd_loo: Double
        let se: Double
        let p_loo: Double
        let n_samples: Int
        let n_data_points: Int
        let warning: Bool
        let good_k: Double
        let loo_i: [Double]
        let pareto_k: [Number]
    }
    struct Set: Decodable {
        let name: String
        let chains: Int
        let draws: Int
        let points: Int
        let log_likelihood: [[[Double]]]
        let posterior: [String: [[Double]]]
        let arviz: Loo
    }
    struct CompareRow: Decodable {
        let name: String
        let rank: Int
        let elpd_loo: Double
        let p_loo: Double
        let elpd_diff: Double
        let se: Double
        let dse: Double
        let warning: Bool
    }
    struct Comparison: Decodable {
        let name: String
        let models: [String]
        let arviz: [CompareRow]
    }
    struct PSISCase: Decodable {
        struct Result: Decodable {
            let log_weights: [Double]
            let k: Number
        }
        let name: String
        let log_ratios: [Double]
        let reff: Double
        let arviz: Result
    }
    let sets: [Set]
    let comparisons: [Comparison]
    let psislw_cases: [PSISCase]
}

enum LOOFixtures {
    static let setNames = [
        "normal_outliers", "student_t_outliers", "laplace_outliers", "normal_heavy_tails",
        "normal_clean_three_chains", "student_t_single_chain",
    ]
    static let comparisonNames = ["outliers_three_models", "outliers_normal_vs_t"]
    static let psisCaseNames = [
        "heavy_tails_worst_point", "heavy_tails_first_point", "lognormal_ratios_reff_0_6",
        "student_t2_ratios", "short_tail_25_draws", "too_short_tail_20_draws",
    ]

    static func file() throws -> LOOFixtureFile { try decoded.get() }

    private static let decoded = Result { () throws -> LOOFixtureFile in
        guard let url = Bundle.module.url(forResource: "arviz_loo", withExtension: "json", subdirectory: "Fixtures")
        else { throw ArvizFixtures.FixtureMissing() }
        return try JSONDecoder().decode(LOOFixtureFile.self, from: Data(contentsOf: url))
    }

    static func set(_ name: String) throws -> LOOFixtureFile.Set {
        try #require(try file().sets.first { $0.name == name })
    }

    /// The posterior parameters of a set, in a fixed order, as ArviZ reads them for r_eff.
    static func posterior(_ set: LOOFixtureFile.Set) throws -> [ChainDraws] {
        try ["mu", "sigma"].map { try ChainDraws(try #require(set.posterior[$0])) }
    }
}

/// `actual` within `relative` of `expected` (or within `absolute`, for values
/// near zero such as a k̂ close to 0 or the best model's zero difference);
/// infinities must match exactly.
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-12) -> Bool {
    if expected.isInfinite || actual.isInfinite { return actual == expected }
    return abs(actual - expected) <= max(relative * abs(expected), absolute)
}
