import Foundation
import FledgeTrain

/// Standard test functions for samplers (minimise), defined exactly as
/// `../shared/peers/bench_optuna.py` defines them, so Fledge's and Optuna's samplers are compared
/// on the same objective (`fledge-bench tune`, the sampler tests).
public struct AnalyticObjective: Sendable {
    /// `branin`, `hartmann6` or `mixed`.
    public let name: String
    /// Its search space.
    public let space: SearchSpace
    /// The known global minimum.
    public let minimum: Double
    /// The function of a trial's parameters.
    public let evaluate: @Sendable (Trial) -> Double

    /// All three, in the order the Optuna script runs them.
    public static let all: [AnalyticObjective] = [branin, hartmann6, mixed]

    private static func float(_ name: String, _ low: Double, _ high: Double, log: Bool = false) -> SearchParameter {
        SearchParameter(name: name, distribution: .float(low: low, high: high, log: log, step: nil))
    }

    /// Branin on x ∈ [−5, 10], y ∈ [0, 15]; minimum 0.397887.
    public static let branin = AnalyticObjective(
        name: "branin", space: SearchSpace([float("x", -5, 10), float("y", 0, 15)]), minimum: 0.397887
    ) { trial in
        let x = trial.double("x")!, y = trial.double("y")!
        let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
        let u = y - b * x * x + c * x - 6
        return u * u + 10 * (1 - t) * cos(x) + 10
    }

    /// Hartmann-6 on [0, 1]^6; minimum −3.32237.
    public static let hartmann6 = AnalyticObjective(
        name: "hartmann6", space: SearchSpace((0..<6).map { float("x\($0)", 0, 1) }), minimum: -3.32237
    ) { trial in
        let xs = (0..<6).map { trial.double("x\($0)")! }
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let a: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
        let p: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                             [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
        var s = 0.0
        for i in 0..<4 {
            var inner = 0.0
            for j in 0..<6 { inner += a[i][j] * (xs[j] - p[i][j] * 1e-4) * (xs[j] - p[i][j] * 1e-4) }
            s += alpha[i] * exp(-inner)
        }
        return -s
    }

    /// Log-scaled, integer and categorical parameters shaped like a training config; minimum 0.
    public static let mixed = AnalyticObjective(
        name: "mixed",
        space: SearchSpace([
            float("learning_rate", 1e-5, 1e-1, log: true),
            SearchParameter(name: "layers", distribution: .int(low: 1, high: 4, log: false, step: 1)),
            SearchParameter(name: "width", distribution: .categorical([.int(32), .int(64), .int(128), .int(256)])),
            SearchParameter(name: "optimizer", distribution: .categorical([.string("sgd"), .string("adam"), .string("rmsprop")])),
        ]),
        minimum: 0
    ) { trial in
        let lr = trial.double("learning_rate")!, layers = trial.double("layers")!, width = trial.double("width")!
        let penalty = ["sgd": 0.3, "adam": 0.0, "rmsprop": 0.1][trial.values["optimizer"]!.yamlText]!
        let l = log10(lr) + 3
        return l * l + 0.2 * (layers - 2) * (layers - 2) + 0.5 * abs(log2(width) - 7) + penalty
    }
}
