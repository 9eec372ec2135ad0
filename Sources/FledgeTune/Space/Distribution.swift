import Foundation
import FledgeTrain

/// The values one searched parameter can take, and its internal form (one `Double`).
///
/// Floats and ints are stored as their value; a categorical parameter as its choice index.
public enum Distribution: Sendable, Equatable {
    /// A float in [low, high], uniform or log-uniform, optionally on the grid low + k·step.
    case float(low: Double, high: Double, log: Bool, step: Double?)
    /// An integer in [low, high] on low + k·step, uniform or log-uniform.
    case int(low: Int, high: Int, log: Bool, step: Int)
    /// One of the choices (stored as its index).
    case categorical([ConfigValue])

    /// Whether values are compared on a log scale (TPE models them there).
    public var isLog: Bool {
        switch self {
        case let .float(_, _, log, _), let .int(_, _, log, _): log
        case .categorical: false
        }
    }

    /// The number of choices, for a categorical parameter.
    public var choiceCount: Int? {
        if case let .categorical(choices) = self { return choices.count }
        return nil
    }

    /// The bounds of the continuous space TPE and random sampling work in (log applied; ints and
    /// stepped floats widened by half a step so the end values are as likely as the others).
    public var continuousBounds: (low: Double, high: Double) {
        switch self {
        case let .float(low, high, log, step):
            if log { return (Foundation.log(low), Foundation.log(high)) }
            let half = (step ?? 0) / 2
            return (low - half, high + half)
        case let .int(low, high, log, step):
            if log { return (Foundation.log(Double(low) - 0.5), Foundation.log(Double(high) + 0.5)) }  // low >= 1
            return (Double(low) - Double(step) / 2, Double(high) + Double(step) / 2)
        case let .categorical(choices):
            return (0, Double(choices.count - 1))
        }
    }

    /// A stored value mapped into the continuous space (the inverse of `value(fromContinuous:)`).
    public func continuous(_ value: Double) -> Double {
        isLog ? Foundation.log(value) : value
    }

    /// A point of the continuous space turned into a valid stored value (exponentiated, snapped to
    /// the step, clamped to the bounds).
    public func value(fromContinuous x: Double) -> Double {
        switch self {
        case let .float(low, high, log, step):
            var v = log ? exp(x) : x
            if let step { v = low + ((v - low) / step).rounded() * step }
            return min(max(v, low), high)
        case let .int(low, high, log, step):
            let v = log ? exp(x) : x
            let snapped = Double(low) + ((v - Double(low)) / Double(step)).rounded() * Double(step)
            return min(max(snapped, Double(low)), Double(high))
        case let .categorical(choices):
            return min(max(x.rounded(), 0), Double(choices.count - 1))
        }
    }

    /// The config value a stored value stands for.
    public func configValue(_ stored: Double) -> ConfigValue {
        switch self {
        case .float: .double(stored)
        case .int: .int(Int(stored.rounded()))
        case let .categorical(choices): choices[min(max(Int(stored.rounded()), 0), choices.count - 1)]
        }
    }

    /// Whether a stored value lies in this distribution.
    public func contains(_ stored: Double) -> Bool {
        switch self {
        case let .float(low, high, _, _): stored >= low && stored <= high
        case let .int(low, high, _, _): stored >= Double(low) && stored <= Double(high) && stored == stored.rounded()
        case let .categorical(choices): stored >= 0 && Int(stored) < choices.count && stored == stored.rounded()
        }
    }

    /// Canonical text for the search-space fingerprint.
    var canonical: String {
        switch self {
        case let .float(low, high, log, step): "float(\(low),\(high),\(log),\(step.map { "\($0)" } ?? "-"))"
        case let .int(low, high, log, step): "int(\(low),\(high),\(log),\(step))"
        case let .categorical(choices): "categorical(\(choices.map(\.yamlText).joined(separator: "|")))"
        }
    }
}
