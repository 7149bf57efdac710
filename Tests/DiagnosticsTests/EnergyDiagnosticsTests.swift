import Testing
import Diagnostics

@Test(arguments: ArvizFixtures.energySetNames)
func bfmiMatchesArviz(_ name: String) throws {
    let set = try ArvizFixtures.energySet(name)
    let bfmi = energyBFMI(energyByChain: set.energy)
    #expect(bfmi.count == set.arviz_bfmi.count)
    for (value, expected) in zip(bfmi, set.arviz_bfmi) {
        #expect(agreesWithArviz(value, expected), "E-BFMI of \(name)")
    }
}

@Test func slowlyMovingEnergyHasLowBFMI() throws {
    let set = try ArvizFixtures.energySet("slow_energy")
    #expect(energyBFMI(energyByChain: set.energy).allSatisfy { $0 < 0.2 })
}

/// For independent energies E[(Eₙ − Eₙ₋₁)²] = 2 var(E), so E-BFMI ≈ 2.
@Test func independentEnergyHasBFMINearTwo() throws {
    let set = try ArvizFixtures.energySet("good_energy")
    #expect(energyBFMI(energyByChain: set.energy).allSatisfy { abs($0 - 2) < 0.3 })
}

@Test func bfmiOfAlternatingEnergy() {
    // Steps all ±2, so mean squared step 4; var with divisor 3 of [0, 2, 0, 2] is 4/3.
    #expect(abs(energyBFMI([0, 2, 0, 2]) - 3) < 1e-15)
    #expect(energyBFMI([1]).isNaN)
}
