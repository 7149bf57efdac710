import NumericCore

/// Random starting points as Stan draws them: each unconstrained coordinate
/// uniform on `(−radius, radius)` (Stan's default radius 2), retried until the
/// log density and gradient are finite.
public enum StartingPoint {
    public static let defaultRadius = 2.0
    public static let maxAttempts = 100

    public static func draw<Model: LogDensityModel>(_ model: Model, rng: inout RandomStream,
                                                    radius: Double = defaultRadius) throws -> [Double] {
        var gradient = [Double](repeating: 0, count: model.dimension)
        for _ in 0..<maxAttempts {
            let theta = (0..<model.dimension).map { _ in radius * (2 * rng.uniform() - 1) }
            let lp = model.logDensityAndGradient(theta, gradient: &gradient)
            if lp.isFinite && gradient.allSatisfy(\.isFinite) { return theta }
        }
        throw SamplingError.noFiniteStartingPoint(attempts: maxAttempts)
    }
}
