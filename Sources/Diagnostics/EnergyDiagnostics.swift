/// Energy Bayesian fraction of missing information (E-BFMI) of Hamiltonian
/// Monte Carlo, per chain (Betancourt 2016, "Diagnosing suboptimal cotangent
/// disintegrations in Hamiltonian Monte Carlo", arXiv:1604.00695, eq. 5),
/// computed exactly as ArviZ's `arviz.bfmi`:
///
///     E-BFMI = mean over n of (Eₙ − Eₙ₋₁)²  /  var(E)        (var with divisor N − 1)
///
/// where `Eₙ` is the Hamiltonian (potential + kinetic energy) of iteration `n`.
/// Small values mean momentum resampling moves the energy too little to
/// explore the marginal energy distribution, so the chain may miss the tails
/// (Stan warns below 0.3; slowreg flags below 0.2, see `DiagnosticThresholds`).
/// Only HMC/NUTS have an energy; Gibbs and Metropolis have no E-BFMI.

/// E-BFMI of one chain from the energy of each of its iterations, in order.
/// NaN with fewer than 2 iterations; infinite or NaN when the energy is constant.
public func energyBFMI(_ energy: [Double]) -> Double {
    let n = energy.count
    guard n >= 2 else { return .nan }
    var squaredSteps = 0.0
    for i in 1..<n {
        let step = energy[i] - energy[i - 1]
        squaredSteps += step * step
    }
    let meanSquaredStep = squaredSteps / Double(n - 1)
    let sumOfSquares = energy.withUnsafeBufferPointer { meanAndSumOfSquares($0).1 }
    return meanSquaredStep / (sumOfSquares / Double(n - 1))
}

/// E-BFMI of every chain (`energyByChain[c][n]` = energy of iteration `n` of chain `c`).
public func energyBFMI(energyByChain: [[Double]]) -> [Double] {
    energyByChain.map(energyBFMI)
}
