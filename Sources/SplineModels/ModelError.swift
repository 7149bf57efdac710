/// Why a model cannot be built from a series. Each case carries what a user
/// needs to fix the input.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case emptySeries
    case lengthMismatch(days: Int, values: Int)
    case singleDay(day: Int)
    case nonFiniteValue(index: Int, value: Double)
    case negativeDay(index: Int, day: Int)
    case invalidPrior(String)

    public var description: String {
        switch self {
        case .emptySeries:
            return "the series has no data points to fit"
        case let .lengthMismatch(days, values):
            return "the series has \(days) day indices but \(values) values"
        case let .singleDay(day):
            return "all points fall on one day (day \(day)): a trend needs at least two distinct days"
        case let .nonFiniteValue(index, value):
            return "value \(value) at point \(index + 1) is not a finite number"
        case let .negativeDay(index, day):
            return "day index \(day) at point \(index + 1) is negative"
        case let .invalidPrior(what):
            return "invalid prior: \(what)"
        }
    }
}
