import Foundation
import Testing
@testable import FledgeTune
import FledgeTrain

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
