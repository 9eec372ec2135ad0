import Foundation
import Testing
@testable import FledgeTune
import FledgeTrain
import FledgeTensor

private func study(_ objective: AnalyticObjective, _ sampler: any Sampler) throws -> Study {
    try Study(name: objective.name, direction: .minimize, space: objective.space, sampler: sampler)
}

@Test func gridSamplerVisitsEveryGridPointOnce() throws {
    let space = SearchSpace([
        SearchParameter(name: "a", distribution: .categorical([.string("x"), .string("y"), .string("z")])),
        SearchParameter(name: "b", distribution: .int(low: 1, high: 3, log: false, step: 1)),
        SearchParameter(name: "c", distribution: .float(low: 1e-3, high: 1e-1, log: true, step: nil)),
    ])
    let sampler = GridSampler(seed: 3, pointsPerFloat: 3)
    #expect(sampler.values(of: space["c"]!.distribution).map { ($0 * 1e4).rounded() } == [10, 100, 1000])
    let size = sampler.size(of: space)
    #expect(size == 3 * 3 * 3)
    let points = (0..<size).map { n in sampler.sample(space: space, trialNumber: n, history: [], direction: .minimize) }
    #expect(Set(points.map { "\($0["a"]!) \($0["b"]!) \($0["c"]!)" }).count == size)
}

@Test func randomSamplerStaysInBoundsAndIsLogUniform() {
    let space = SearchSpace([
        SearchParameter(name: "lr", distribution: .float(low: 1e-4, high: 1, log: true, step: nil)),
        SearchParameter(name: "n", distribution: .int(low: 2, high: 10, log: false, step: 2)),
        SearchParameter(name: "d", distribution: .float(low: 0, high: 0.5, log: false, step: 0.1)),
    ])
    let sampler = RandomSampler(seed: 11)
    let draws = (0..<4000).map { sampler.sample(space: space, trialNumber: $0, history: [], direction: .minimize) }
    #expect(draws.allSatisfy { (1e-4...1).contains($0["lr"]!) })
    #expect(Set(draws.map { $0["n"]! }) == [2, 4, 6, 8, 10])
    #expect(Set(draws.map { ($0["d"]! * 10).rounded() }) == [0, 1, 2, 3, 4, 5])
    // Log-uniform: each of the 4 decades gets about a quarter of the draws.
    for decade in 0..<4 {
        let low = pow(10.0, Double(decade - 4)), high = low * 10
        let share = Double(draws.filter { $0["lr"]! >= low && $0["lr"]! < high }.count) / 4000
        #expect(abs(share - 0.25) < 0.03, "decade \(decade): \(share)")
    }
}

@Test func samplersAreReproducibleAndIndependentOfOrderOfTrials() {
    let space = AnalyticObjective.mixed.space
    let a = RandomSampler(seed: 5).sample(space: space, trialNumber: 17, history: [], direction: .minimize)
    let b = RandomSampler(seed: 5).sample(space: space, trialNumber: 17, history: [], direction: .minimize)
    let c = RandomSampler(seed: 6).sample(space: space, trialNumber: 17, history: [], direction: .minimize)
    #expect(a == b && a != c)
}

@Test func tpeBeatsRandomOnBraninOnAverage() throws {
    var tpe: [Double] = [], random: [Double] = []
    for seed in 0..<4 {
        let objective = AnalyticObjective.branin
        let s1 = try study(objective, TPESampler(seed: UInt64(seed)))
        try s1.optimize(nTrials: 60) { objective.evaluate($0) }
        tpe.append(try s1.bestTrial()!.value!)
        let s2 = try study(objective, RandomSampler(seed: UInt64(seed)))
        try s2.optimize(nTrials: 60) { objective.evaluate($0) }
        random.append(try s2.bestTrial()!.value!)
    }
    let meanTPE = tpe.reduce(0, +) / 4, meanRandom = random.reduce(0, +) / 4
    #expect(meanTPE < meanRandom, "TPE \(tpe) vs random \(random)")
    #expect(meanTPE < 1.0, "TPE should get near the minimum 0.398 within 60 trials: \(tpe)")
}

@Test func tpeHandlesConditionalAndCategoricalParameters() throws {
    let space = SearchSpace([
        SearchParameter(name: "opt", distribution: .categorical([.string("sgd"), .string("adam")])),
        SearchParameter(name: "momentum", distribution: .float(low: 0, high: 1, log: false, step: nil), condition: ("opt", 0)),
    ])
    let s = try Study(name: "cond", direction: .minimize, space: space, sampler: TPESampler(seed: 1, nStartupTrials: 5))
    try s.optimize(nTrials: 30) { trial in
        if trial.values["opt"] == .string("sgd") { return abs(trial.double("momentum")! - 0.9) }
        #expect(trial.params["momentum"] == nil)
        return 0.5
    }
    let best = try s.bestTrial()!
    #expect(best.params["opt"] == 0 && best.value! < 0.1)
    let late = try s.trials().suffix(15)
    #expect(late.filter { $0.params["opt"] == 0 }.count >= 10, "TPE should favour sgd after the startup trials")
}

@Test func parzenRecencyWeightsFollowOptuna() {
    #expect(ParzenEstimator.recencyWeights(3) == [1, 1, 1])
    let w = ParzenEstimator.recencyWeights(27)
    #expect(w.count == 27 && abs(w[0] - 1.0 / 27) < 1e-12 && w[1] == 1 && w[26] == 1)
    #expect(TPESampler.gamma(10) == 1 && TPESampler.gamma(11) == 2 && TPESampler.gamma(1000) == 25)
}

@Test func parzenEstimatorMatchesOptunasKernelsAndDensities() {
    // Reference values from Optuna 5.1's _ParzenEstimator (prior_weight 1, magic clip, no endpoints).
    let distributions: [Distribution] = [
        .float(low: 0, high: 1, log: false, step: nil), .float(low: 1e-5, high: 1e-1, log: true, step: nil),
        .int(low: 1, high: 4, log: false, step: 1), .categorical([.string("a"), .string("b"), .string("c")]),
    ]
    let observations: [[Double]] = [[0.2, 1e-3, 1, 0], [0.5, 1e-2, 4, 2], [0.9, 3e-4, 2, 2], [0.3, 5e-2, 2, 1]]
    let points: [[Double]] = [[0.25, 2e-3, 2, 2], [0.8, 1e-5, 4, 0]]
    let sigmas = ParzenEstimator.sigmas([0.2, 0.5, 0.9, 0.3], low: 0, high: 1)
    for (got, want) in zip(sigmas, [1.0 / 6, 0.4, 0.4, 0.2]) { #expect(abs(got - want) < 1e-9) }
    let joint = ParzenEstimator(observations: observations, distributions: distributions).logDensities(points)
    for (got, want) in zip(joint, [-4.16287041, -6.38542067]) { #expect(abs(got - want) < 1e-6, "joint \(got) vs \(want)") }
    let perParameter: [[Double]] = [[0.35938804, -0.3019532], [-2.08603232, -3.51117978], [-1.18235987, -1.77101158], [-0.87546874, -1.23214368]]
    for column in 0..<4 {
        let estimator = ParzenEstimator(observations: observations.map { $0[column] }, distribution: distributions[column])
        for (got, want) in zip(estimator.logDensities(points.map { [$0[column]] }), perParameter[column]) {
            #expect(abs(got - want) < 1e-6, "parameter \(column): \(got) vs \(want)")
        }
    }
}

@Test func parzenEstimatorIsADistribution() {
    let continuous = ParzenEstimator(observations: [0.1, 0.15, 0.7], distribution: .float(low: 0, high: 1, log: false, step: nil))
    let grid = (0..<2000).map { [(Double($0) + 0.5) / 2000] }
    let integral = continuous.logDensities(grid).reduce(0) { $0 + exp($1) / 2000 }
    #expect(abs(integral - 1) < 1e-3)
    let discrete = ParzenEstimator(observations: [2, 2, 6], distribution: .int(low: 0, high: 8, log: false, step: 2))
    let total = discrete.logDensities([[0], [2], [4], [6], [8]]).reduce(0) { $0 + exp($1) }
    #expect(abs(total - 1) < 1e-9)
    var rng = SeededGenerator(seed: 3)
    let draws = (0..<500).map { _ in discrete.sample(using: &rng)[0] }
    #expect(Set(draws).isSubset(of: [0, 2, 4, 6, 8]) && draws.filter { $0 == 2 }.count > draws.filter { $0 == 8 }.count)
}

@Test func multivariateTPEBeatsRandomOnHartmann6AndIsReproducible() throws {
    let objective = AnalyticObjective.hartmann6
    var tpe: [Double] = [], random: [Double] = []
    for seed in 0..<3 {
        let s1 = try study(objective, TPESampler(seed: UInt64(seed)))
        try s1.optimize(nTrials: 50) { objective.evaluate($0) }
        tpe.append(try s1.bestTrial()!.value!)
        let s2 = try study(objective, RandomSampler(seed: UInt64(seed)))
        try s2.optimize(nTrials: 50) { objective.evaluate($0) }
        random.append(try s2.bestTrial()!.value!)
        if seed == 0 {
            let history = try s1.trials()
            let a = TPESampler(seed: 9).sample(space: objective.space, trialNumber: 50, history: history, direction: .minimize)
            let b = TPESampler(seed: 9).sample(space: objective.space, trialNumber: 50, history: history, direction: .minimize)
            #expect(a == b && a.count == 6 && a.values.allSatisfy { (0...1).contains($0) })
        }
    }
    #expect(tpe.reduce(0, +) < random.reduce(0, +), "TPE \(tpe) vs random \(random)")
}
