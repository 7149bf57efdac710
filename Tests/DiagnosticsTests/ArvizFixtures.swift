import Foundation
import Testing
import Diagnostics

/// ArviZ reference values written by scripts/fixtures/make_arviz_fixtures.py
/// (arviz 0.23.4) into Fixtures/arviz_diagnostics.json. A `nil` value is NaN in ArviZ.
struct ArvizFixtureFile: Decodable {
    struct Values: Decodable {
        let rhat_rank: Double?
        let rhat_split: Double?
        let rhat_z_scale: Double?
        let rhat_folded: Double?
        let rhat_identity: Double?
        let ess_bulk: Double?
        let ess_tail: Double?
        let ess_mean: Double?
        let ess_sd: Double?
        let mcse_mean: Double?
        let mcse_sd: Double?
        let quantile_probs: [Double]
        let ess_quantile: [Double?]
        let mcse_quantile: [Double?]
    }
    struct DrawSet: Decodable {
        let name: String
        let draws: [[Double]]
        let arviz: Values
    }
    struct EnergySet: Decodable {
        let name: String
        let energy: [[Double]]
        let arviz_bfmi: [Double?]
    }
    let draw_sets: [DrawSet]
    let energy_sets: [EnergySet]
}

enum ArvizFixtures {
    /// Every draw set in the fixture file (checked by `fixtureFileHoldsEverySet`).
    static let drawSetNames = [
        "iid_normal", "ar1_phi_0_9", "ar1_phi_0_99", "shifted_chain", "stuck_constant_chain",
        "stuck_nearly_constant_chain", "heavy_tails_cauchy", "ties_poisson_odd", "binary_ties",
        "single_chain", "tiny_two_chains", "all_constant",
    ]
    static let energySetNames = ["good_energy", "slow_energy", "mixed_energy"]

    /// The fixture file, decoded once for all tests.
    static func file() throws -> ArvizFixtureFile {
        try decoded.get()
    }

    private static let decoded = Result { () throws -> ArvizFixtureFile in
        guard let url = Bundle.module.url(
            forResource: "arviz_diagnostics", withExtension: "json", subdirectory: "Fixtures")
        else { throw FixtureMissing() }
        return try JSONDecoder().decode(ArvizFixtureFile.self, from: Data(contentsOf: url))
    }

    struct FixtureMissing: Error {}

    static func drawSet(_ name: String) throws -> (draws: ChainDraws, arviz: ArvizFixtureFile.Values) {
        let set = try #require(try file().draw_sets.first { $0.name == name })
        return (try ChainDraws(set.draws), set.arviz)
    }

    static func energySet(_ name: String) throws -> ArvizFixtureFile.EnergySet {
        try #require(try file().energy_sets.first { $0.name == name })
    }
}

/// Agreement with an ArviZ value: both NaN (`nil`), or equal to 1e-6 relative
/// (1e-12 absolute for an exact zero). ArviZ sums by FFT and pairwise
/// summation, so only rounding (≲1e-12 relative) separates the two.
func agreesWithArviz(_ actual: Double, _ expected: Double?, relative: Double = 1e-6) -> Bool {
    guard let expected else { return actual.isNaN }
    if expected == 0 { return abs(actual) <= 1e-12 }
    return abs(actual - expected) <= relative * abs(expected)
}

@Test func fixtureFileHoldsEverySet() throws {
    let file = try ArvizFixtures.file()
    #expect(file.draw_sets.map(\.name) == ArvizFixtures.drawSetNames)
    #expect(file.energy_sets.map(\.name) == ArvizFixtures.energySetNames)
}
