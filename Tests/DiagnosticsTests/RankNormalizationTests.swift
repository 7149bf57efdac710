import Testing
import Diagnostics

/// scipy.stats.rankdata([3, 2, 1, 2, 2, 2, 1], method="average").
@Test func averageRanksShareTiedRanks() {
    #expect(averageRanks([3, 2, 1, 2, 2, 2, 1]) == [7, 4.5, 1.5, 4.5, 4.5, 4.5, 1.5])
}

/// scipy.stats.norm.ppf((rankdata(x) − 3/8)/(7 + 1/4)) for the same x.
@Test func rankNormalizedScoresMatchBlomFormula() {
    let expected = [1.36448875, 0.17374106, -1.01449875, 0.17374106, 0.17374106, 0.17374106, -1.01449875]
    let scores = rankNormalizedScores([3, 2, 1, 2, 2, 2, 1])
    for (score, reference) in zip(scores, expected) {
        #expect(abs(score - reference) < 1e-8)
    }
}

@Test func rankNormalizationIgnoresMonotoneTransforms() {
    let values: [Double] = [0.3, -1.2, 5.0, 2.2, 0.01, 9.5, -3.3]
    let transformed = values.map { $0 * $0 * $0 + 7 }
    #expect(rankNormalizedScores(values) == rankNormalizedScores(transformed))
}

@Test func rankNormalizedScoresAreSymmetric() {
    let scores = rankNormalizedScores([1, 2, 3, 4, 5, 6])
    for i in 0..<3 { #expect(abs(scores[i] + scores[5 - i]) < 1e-14) }
}

@Test func foldingMeasuresDistanceFromTheMedian() {
    // Even count: the median is the mean of the two middle values, 2.5.
    #expect(foldedDraws([1, 4, 2, 3]) == [1.5, 1.5, 0.5, 0.5])
    #expect(foldedDraws([5, -1, 2]) == [3, 3, 0])
}

@Test func blomOffsetIsThreeEighths() {
    #expect(blomOffset == 0.375)
}
