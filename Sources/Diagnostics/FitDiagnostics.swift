/// The convergence summary of one MCMC fit, as the reference run reports it
/// (SPEC §6): divergent transitions, maximum rank-normalized split-R̂, minimum
/// bulk- and tail-ESS, `n_eff_ratio`, transitions at the maximum tree depth and
/// the minimum E-BFMI over chains, with a `status` that is `good` only when
/// every limit in `DiagnosticThresholds` holds.
///
/// Built from the draws of each named parameter and the per-iteration
/// information of the sampler given as plain arrays (`SamplerTransitionInfo`),
/// so this module needs nothing from the samplers.
public struct FitDiagnostics: Sendable, Equatable {
    public let chainCount: Int
    public let drawsPerChain: Int
    /// `n_divergent`: divergent transitions over all chains.
    public let divergentCount: Int
    /// `exceeded_max_treedepth`: transitions that stopped at the maximum tree depth.
    public let treeDepthHitCount: Int
    /// Iterations whose update failed to factor a matrix it needed (Gibbs).
    public let failedFactorizationCount: Int
    /// Largest rank-normalized split-R̂ over parameters; NaN if any parameter's
    /// R̂ is undefined (one chain, constant or NaN draws).
    public let maxRhat: Double
    public let maxRhatParameter: String
    /// Smallest bulk-ESS over parameters (NaN if any is NaN).
    public let minESSBulk: Double
    public let minESSBulkParameter: String
    /// Smallest tail-ESS over parameters (NaN if any is NaN).
    public let minESSTail: Double
    public let minESSTailParameter: String
    /// E-BFMI of each chain; `nil` when the sampler has no energy (Gibbs, Metropolis).
    public let bfmiByChain: [Double]?
    /// Per-parameter diagnostics, in the order given.
    public let parameters: [ParameterConvergence]
    /// The limits `status` was judged against.
    public private(set) var thresholds: DiagnosticThresholds
    /// `good`, or `flagged` with the reasons.
    public private(set) var status: FitStatus

    /// Draws over all chains.
    public var totalDraws: Int { chainCount * drawsPerChain }
    /// `n_eff_ratio`: minimum bulk-ESS divided by the total number of draws.
    public var nEffRatio: Double { minESSBulk / Double(totalDraws) }
    /// Smallest E-BFMI over chains (NaN if any chain's is NaN); `nil` without energy.
    public var minBFMI: Double? {
        bfmiByChain.map { values in
            values.contains { $0.isNaN } ? .nan : values.min() ?? .nan
        }
    }

    /// Diagnoses a fit.
    /// - Parameters:
    ///   - parameters: each parameter's name and draws; all must have the same
    ///     number of chains and draws per chain.
    ///   - sampler: per-iteration flags and energies, one entry per stored draw.
    ///   - thresholds: the limits for `status`.
    /// - Throws: `DiagnosticsError` if there is no parameter or shapes disagree.
    public init(
        parameters: [(name: String, draws: ChainDraws)],
        sampler: SamplerTransitionInfo = .none,
        thresholds: DiagnosticThresholds = .default
    ) throws {
        guard let first = parameters.first else { throw DiagnosticsError.noParameters }
        let chains = first.draws.chainCount
        let draws = first.draws.drawCount
        for (name, parameterDraws) in parameters
        where parameterDraws.chainCount != chains || parameterDraws.drawCount != draws {
            throw DiagnosticsError.parameterShapeMismatch(
                parameter: name, chains: parameterDraws.chainCount, draws: parameterDraws.drawCount,
                expectedChains: chains, expectedDraws: draws)
        }
        try self.init(convergence: parameters.map { ParameterConvergence(name: $0.name, draws: $0.draws) },
                      chainCount: chains, drawsPerChain: draws, sampler: sampler, thresholds: thresholds)
    }

    /// Diagnoses a fit from per-parameter results computed elsewhere (e.g. in
    /// parallel) for draws of `chainCount` chains × `drawsPerChain`.
    public init(
        convergence results: [ParameterConvergence],
        chainCount chains: Int,
        drawsPerChain draws: Int,
        sampler: SamplerTransitionInfo = .none,
        thresholds: DiagnosticThresholds = .default
    ) throws {
        guard !results.isEmpty else { throw DiagnosticsError.noParameters }
        try sampler.validate(chainCount: chains, iterationCount: draws)
        let rhat = extreme(of: results, \.rhat, largest: true)
        let bulk = extreme(of: results, \.essBulk, largest: false)
        let tail = extreme(of: results, \.essTail, largest: false)

        chainCount = chains
        drawsPerChain = draws
        divergentCount = sampler.divergent.reduce(0) { $0 + $1.count { $0 } }
        treeDepthHitCount = sampler.hitMaxTreeDepth.reduce(0) { $0 + $1.count { $0 } }
        failedFactorizationCount = sampler.failedFactorization.reduce(0) { $0 + $1.count { $0 } }
        (maxRhat, maxRhatParameter) = rhat
        (minESSBulk, minESSBulkParameter) = bulk
        (minESSTail, minESSTailParameter) = tail
        bfmiByChain = sampler.energy.map { energyBFMI(energyByChain: $0) }
        self.parameters = results
        self.thresholds = thresholds
        status = .good
        status = self.status(under: thresholds)
    }

    /// Diagnoses a fit whose parameters are given by name (reported in name order).
    /// - Throws: `DiagnosticsError` for ragged or mismatched chains.
    public init(
        parameters: [String: [[Double]]],
        sampler: SamplerTransitionInfo = .none,
        thresholds: DiagnosticThresholds = .default
    ) throws {
        let named = try parameters.sorted { $0.key < $1.key }.map { entry in
            (name: entry.key, draws: try ChainDraws(entry.value))
        }
        try self.init(parameters: named, sampler: sampler, thresholds: thresholds)
    }

    /// The same diagnostics judged against other limits.
    public func rejudged(under thresholds: DiagnosticThresholds) -> FitDiagnostics {
        var copy = self
        copy.status = status(under: thresholds)
        copy.thresholds = thresholds
        return copy
    }

    /// The status these diagnostics get under `thresholds`.
    public func status(under thresholds: DiagnosticThresholds) -> FitStatus {
        var issues = [FitIssue]()
        if divergentCount > thresholds.maxDivergentTransitions {
            issues.append(.divergentTransitions(count: divergentCount, limit: thresholds.maxDivergentTransitions))
        }
        let undefinedRhat = parameters.filter { $0.rhat.isNaN }.map(\.name)
        if !undefinedRhat.isEmpty {
            issues.append(.rhatUndefined(parameters: undefinedRhat, chainCount: chainCount))
        }
        let finiteRhat = extreme(of: parameters.filter { !$0.rhat.isNaN }, \.rhat, largest: true)
        if finiteRhat.value > thresholds.maxRhat {
            let above = parameters.count { $0.rhat > thresholds.maxRhat }
            issues.append(.rhatAboveLimit(
                parameter: finiteRhat.name, rhat: finiteRhat.value, limit: thresholds.maxRhat,
                parametersAbove: above, parameterCount: parameters.count))
        }
        let undefinedESS = parameters.filter { $0.essBulk.isNaN || $0.essTail.isNaN }.map(\.name)
        if !undefinedESS.isEmpty { issues.append(.essUndefined(parameters: undefinedESS)) }
        let lowBulk = extreme(of: parameters.filter { !$0.essBulk.isNaN }, \.essBulk, largest: false)
        if lowBulk.value < thresholds.minESSBulk {
            issues.append(.essBulkBelowLimit(parameter: lowBulk.name, ess: lowBulk.value, limit: thresholds.minESSBulk))
        }
        let lowTail = extreme(of: parameters.filter { !$0.essTail.isNaN }, \.essTail, largest: false)
        if lowTail.value < thresholds.minESSTail {
            issues.append(.essTailBelowLimit(parameter: lowTail.name, ess: lowTail.value, limit: thresholds.minESSTail))
        }
        if let bfmiByChain {
            for (chain, bfmi) in bfmiByChain.enumerated() where !(bfmi >= thresholds.minBFMI) {
                issues.append(.bfmiBelowLimit(chain: chain, bfmi: bfmi, limit: thresholds.minBFMI))
            }
        }
        if let limit = thresholds.maxTreeDepthHits, treeDepthHitCount > limit {
            issues.append(.treeDepthHits(count: treeDepthHitCount, limit: limit))
        }
        // Not a threshold: an update that did not happen makes the chain's
        // kernel a different one, whose stationary distribution is unknown.
        if failedFactorizationCount > 0 {
            issues.append(.failedFactorizations(count: failedFactorizationCount))
        }
        return issues.isEmpty ? .good : .flagged(issues)
    }
}

/// The largest (or smallest) value of `key` over `results` and the parameter
/// holding it; a NaN anywhere wins (propagates), as an undefined diagnostic
/// must not hide behind a finite extreme. `(-∞ or +∞, "")` for no results.
private func extreme(
    of results: [ParameterConvergence], _ key: KeyPath<ParameterConvergence, Double>, largest: Bool
) -> (value: Double, name: String) {
    var best = (value: largest ? -Double.infinity : Double.infinity, name: "")
    for result in results {
        let value = result[keyPath: key]
        if value.isNaN { return (value, result.name) }
        if largest ? value > best.value : value < best.value { best = (value, result.name) }
    }
    return best
}
