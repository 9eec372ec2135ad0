import Foundation
import Testing
@testable import FledgeTune

private func trial(_ number: Int, _ state: TrialState, _ values: [Int: Double]) -> TrialRecord {
    TrialRecord(id: Int64(number + 1), number: number, state: state, intermediateValues: values, createdAt: Date())
}

@Test func medianPrunerComparesBestValueWithMedianAtStep() {
    let done = [trial(0, .complete, [1: 0.5, 2: 0.4]), trial(1, .complete, [1: 0.7, 2: 0.6]), trial(2, .complete, [1: 0.9, 2: 0.8])]
    let pruner = MedianPruner(nStartupTrials: 3, nWarmupSteps: 0, interval: 1)
    // Median at step 2 of 0.4, 0.6, 0.8 is 0.6: a best of 0.65 is worse, 0.55 is better.
    #expect(pruner.shouldPrune(trial: trial(3, .running, [1: 0.9, 2: 0.65]), step: 2, history: done, direction: .minimize))
    #expect(!pruner.shouldPrune(trial: trial(3, .running, [1: 0.55, 2: 0.7]), step: 2, history: done, direction: .minimize))
    // Maximising, 0.65 beats the median 0.6.
    #expect(!pruner.shouldPrune(trial: trial(3, .running, [2: 0.65]), step: 2, history: done, direction: .maximize))
    // Even number of values: the median of 0.5, 0.7 (trials 0, 1) at step 1 is 0.6.
    #expect(pruner.shouldPrune(trial: trial(3, .running, [1: 0.61]), step: 1, history: Array(done.prefix(2)) + [trial(2, .pruned, [1: 0.1])],
                               direction: .minimize) == false)   // only 2 complete < 3 startup trials
    let two = MedianPruner(nStartupTrials: 2)
    #expect(two.shouldPrune(trial: trial(3, .running, [1: 0.61]), step: 1, history: Array(done.prefix(2)), direction: .minimize))
    #expect(!two.shouldPrune(trial: trial(3, .running, [1: 0.59]), step: 1, history: Array(done.prefix(2)), direction: .minimize))
    // NaN everywhere prunes; no comparable step does not.
    #expect(pruner.shouldPrune(trial: trial(3, .running, [2: .nan]), step: 2, history: done, direction: .minimize))
    #expect(!pruner.shouldPrune(trial: trial(3, .running, [5: 9]), step: 5, history: done, direction: .minimize))
}

@Test func medianPrunerWaitsForWarmupAndInterval() {
    let done = (0..<3).map { trial($0, .complete, Dictionary(uniqueKeysWithValues: (1...10).map { ($0, 0.1) })) }
    let pruner = MedianPruner(nStartupTrials: 1, nWarmupSteps: 3, interval: 4)
    let bad: [Int: Double] = Dictionary(uniqueKeysWithValues: (1...10).map { ($0, 1.0) })
    func prunes(_ step: Int) -> Bool {
        pruner.shouldPrune(trial: trial(3, .running, bad.filter { $0.key <= step }), step: step, history: done, direction: .minimize)
    }
    // Warm-up until step 3; then windows [3, 7), [7, 11): only their first reported steps are checked.
    #expect((1...10).filter(prunes) == [3, 7])
}

@Test func successiveHalvingPromotesTheTopThirdPerRung() {
    let pruner = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0)
    #expect([0, 1, 2].map(pruner.rungStep) == [1, 3, 9])
    // The first trial at rung 0 is promoted (it is the best of one).
    #expect(!pruner.shouldPrune(trial: trial(0, .running, [1: 0.5]), step: 1, history: [], direction: .minimize))
    // Second arrival, worse than the first: pruned (fewer than 3 competitors: only the best continues).
    let first = trial(0, .complete, [1: 0.5, 3: 0.4, 9: 0.3])
    #expect(pruner.shouldPrune(trial: trial(1, .running, [1: 0.6]), step: 1, history: [first], direction: .minimize))
    #expect(!pruner.shouldPrune(trial: trial(1, .running, [1: 0.45]), step: 1, history: [first], direction: .minimize))
    // Six competitors at rung 0 (0.1 ... 0.6 with ours): 6 / 3 = 2 promoted, so the 2nd best continues and the 3rd stops.
    let others = [0.1, 0.3, 0.5, 0.6, 0.7].enumerated().map { trial($0.offset, .complete, [1: $0.element]) }
    #expect(!pruner.shouldPrune(trial: trial(9, .running, [1: 0.2]), step: 1, history: others, direction: .minimize))
    #expect(pruner.shouldPrune(trial: trial(9, .running, [1: 0.35]), step: 1, history: others, direction: .minimize))
    // Between rungs nothing is checked.
    #expect(!pruner.shouldPrune(trial: trial(9, .running, [1: 0.2, 2: 99]), step: 2, history: others, direction: .minimize))
}
