import SplineModels
import Testing

/// Bad input is reported as a `ModelError` that says what to fix — never a trap.
struct ModelErrorTests {
    @Test func emptySeries() {
        #expect(throws: ModelError.emptySeries) { try SplineModel(days: [], values: []) }
        #expect(ModelError.emptySeries.description.contains("no data points"))
    }

    @Test func singleDistinctDay() {
        #expect(throws: ModelError.singleDay(day: 5)) { try SplineModel(days: [5, 5, 5], values: [1, 2, 3]) }
        let message = ModelError.singleDay(day: 5).description
        #expect(message.contains("day 5") && message.contains("two distinct days"))
    }

    @Test func nonFiniteValues() {
        let nan = #expect(throws: ModelError.self) { try SplineModel(days: [0, 1, 2], values: [1, 2, .nan]) }
        guard case let .nonFiniteValue(index, value)? = nan else {
            Issue.record("expected nonFiniteValue, got \(String(describing: nan))")
            return
        }
        #expect(index == 2 && value.isNaN)
        #expect(nan!.description.contains("point 3") && nan!.description.contains("not a finite number"))

        #expect(throws: ModelError.nonFiniteValue(index: 1, value: .infinity)) {
            try SplineModel(days: [0, 1, 2], values: [1, .infinity, 3])
        }
        #expect(throws: ModelError.nonFiniteValue(index: 0, value: -.infinity)) {
            try SplineModel(days: [0, 1], values: [-.infinity, 3], noise: .studentT)
        }
    }

    @Test func lengthMismatch() {
        #expect(throws: ModelError.lengthMismatch(days: 3, values: 2)) { try SplineModel(days: [0, 1, 2], values: [1, 2]) }
        #expect(ModelError.lengthMismatch(days: 3, values: 2).description.contains("3 day indices but 2 values"))
    }

    @Test func negativeDay() {
        #expect(throws: ModelError.negativeDay(index: 1, day: -4)) { try SplineModel(days: [0, -4, 2], values: [1, 2, 3]) }
        #expect(ModelError.negativeDay(index: 1, day: -4).description.contains("point 2"))
    }

    @Test func invalidPriorsAndScale() {
        #expect(throws: ModelError.self) {
            try SplineModel(days: [0, 1, 2], values: [1, 2, 3], priors: SplinePriors(tauScale: 0))
        }
        #expect(throws: ModelError.self) {
            try SplineModel(days: [0, 1, 2], values: [1, 2, 3], priors: SplinePriors(nuRate: -1))
        }
        #expect(throws: ModelError.self) {
            try SplineModel(days: [0, 1, 2], values: [1, 2, 3], workingScale: (0, 0))
        }
        #expect(ModelError.invalidPrior("x").description.contains("invalid prior"))
    }

    /// Two points on two days are enough (the spline falls back to 4 functions).
    @Test func twoDistinctDaysAreEnough() throws {
        let model = try SplineModel(days: [0, 1], values: [1, 2])
        #expect(model.basisCount == 4)
        #expect(model.logDensity([Double](repeating: 0, count: model.dimension)).isFinite)
    }
}
