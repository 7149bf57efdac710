/// Models ranked by their PSIS-LOO elpd on the same data points, with the
/// difference of each to the best and that difference's standard error
/// (Vehtari, Gelman & Gabry 2017, §5.2) — the `elpd_diff` and `dse` columns of
/// ArviZ's `az.compare(..., ic="loo", scale="log")`.
///
/// With `bᵢ` the best model's pointwise elpd and `mᵢ` another's,
///
///     elpd_diff = Σᵢ (bᵢ − mᵢ) ≥ 0,   dse = √(n · var(bᵢ − mᵢ))
///
/// (population variance over the `n` points). Taking the differences point by
/// point cancels the variation the models share, so `dse` is usually much
/// smaller than either model's own standard error. A difference within about
/// 2–4 `dse` (or below ~4 in elpd) does not tell the models apart.
///
/// Model weights (stacking, pseudo-BMA) are not computed.
public struct LOOComparison: Sendable, Equatable {
    /// One compared model.
    public struct Entry: Sendable, Equatable {
        /// The name the model was given.
        public let name: String
        /// 0 for the best model (highest elpd), then 1, 2, …
        public let rank: Int
        /// The model's own PSIS-LOO estimate.
        public let loo: LOOResult
        /// `Σᵢ (bᵢ − mᵢ)`: how much lower this model's elpd is than the best's (0 for the best).
        public let elpdDifference: Double
        /// Standard error of ``elpdDifference`` (0 for the best).
        public let differenceStandardError: Double
    }

    /// The models from best (highest elpd) to worst; ties keep the order given.
    public let entries: [Entry]

    /// The best model (highest elpd).
    public var best: Entry { entries[0] }

    /// Ranks `models` by elpd and compares each with the best.
    /// - Throws: ``LOOError`` for fewer than two models, a repeated name, or
    ///   models estimated on different numbers of points.
    public init(_ models: [(name: String, loo: LOOResult)]) throws {
        guard models.count >= 2 else { throw LOOError.tooFewModels(count: models.count) }
        var names = Set<String>()
        for model in models where !names.insert(model.name).inserted {
            throw LOOError.duplicateModelName(model.name)
        }
        let pointCount = models[0].loo.pointCount
        for model in models where model.loo.pointCount != pointCount {
            throw LOOError.pointCountMismatch(model: model.name, count: model.loo.pointCount, expected: pointCount)
        }

        let ranked = models.enumerated()
            .sorted { ($0.element.loo.elpd, -$0.offset) > ($1.element.loo.elpd, -$1.offset) }
            .map(\.element)
        let best = ranked[0].loo.pointwiseElpd
        entries = ranked.enumerated().map { rank, model in
            var differences = [Double](repeating: 0, count: pointCount)
            for i in 0..<pointCount { differences[i] = best[i] - model.loo.pointwiseElpd[i] }
            var total = 0.0
            for d in differences { total += d }
            return Entry(
                name: model.name,
                rank: rank,
                loo: model.loo,
                elpdDifference: total,
                differenceStandardError: (Double(pointCount) * PSISLOO.populationVariance(differences)).squareRoot())
        }
    }

    /// The entry of the model named `name`, if any.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}
