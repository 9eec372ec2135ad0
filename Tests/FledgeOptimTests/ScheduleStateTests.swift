import FledgeNN
import FledgeOptim
import FledgeTensor
import FledgeTestSupport
import Foundation
import Testing

/// Saving the optimizer and scheduler mid-run (through JSON, as a checkpoint does) and continuing
/// in fresh objects gives the same rates and momenta as an uninterrupted run.
@Test(arguments: scheduleFixture.cases.map(\.name))
func scheduleResumesFromSavedState(_ name: String) throws {
    let golden = scheduleFixture.cases.first { $0.name == name }!
    let metrics = golden.inputs["metrics"]?.values
    let steps = Int(golden.attributes["steps"]!.number!)
    let split = steps / 2
    func advance(_ scheduler: LRScheduler, _ range: Range<Int>) {
        for step in range {
            if let metrics { scheduler.step(metric: metrics[step]) } else { scheduler.step() }
        }
    }
    let straightOptimizer = twoGroupSGD()
    let straight = LRScheduler(optimizer: straightOptimizer, schedule: makeSchedule(for: golden))
    advance(straight, 0..<steps)

    let firstOptimizer = twoGroupSGD()
    let first = LRScheduler(optimizer: firstOptimizer, schedule: makeSchedule(for: golden))
    advance(first, 0..<split)
    let savedScheduler = try JSONEncoder().encode(first.state)
    let savedOptimizer = firstOptimizer.stateDict()

    let resumedOptimizer = twoGroupSGD()
    let resumed = LRScheduler(optimizer: resumedOptimizer, schedule: makeSchedule(for: golden))
    try resumedOptimizer.loadStateDict(savedOptimizer)
    try resumed.load(JSONDecoder().decode(LRSchedulerState.self, from: savedScheduler))
    #expect(resumed.stepCount == split)
    advance(resumed, split..<steps)
    #expect(resumed.learningRates == straight.learningRates)
    #expect(resumedOptimizer.hyperparameters(ofGroup: 0) == straightOptimizer.hyperparameters(ofGroup: 0))
    #expect(resumed.state == straight.state)
}

@Test func plateauStateRoundTripsThroughJSON() throws {
    var schedule = ReduceOnPlateauSchedule(patience: 1, cooldown: 2)
    _ = schedule.learningRates(atStep: 1, baseRates: [1], currentRates: [1], metric: 3)
    _ = schedule.learningRates(atStep: 2, baseRates: [1], currentRates: [1], metric: 4)
    let decoded = try JSONDecoder().decode(ReduceOnPlateauSchedule.self, from: JSONEncoder().encode(schedule))
    #expect(decoded == schedule)
    #expect(decoded.best == 3 && decoded.badSteps == 1)
}

@Test func loadingAStateForOtherGroupsThrows() {
    let scheduler = LRScheduler(optimizer: twoGroupSGD(), schedule: ExponentialSchedule(gamma: 0.5))
    let state = LRSchedulerState(stepCount: 3, baseRates: [1], learningRates: [1], scheduleState: [:])
    #expect(throws: LRSchedulerStateError.groupCountMismatch(expected: 2, found: 1)) { try scheduler.load(state) }
    #expect(scheduler.stepCount == 0 && scheduler.learningRates == [0.1, 0.02])
}

@Test func schedulesScaleEachGroupsOwnBaseRate() {
    let optimizer = twoGroupSGD()
    let scheduler = LRScheduler(optimizer: optimizer, schedule: LinearWarmupSchedule(warmupSteps: 4, totalSteps: 8))
    #expect(optimizer.learningRates == [0, 0])
    scheduler.step()
    scheduler.step()
    #expect(optimizer.learningRates == [0.05, 0.01])
    #expect(scheduler.baseRates == [0.1, 0.02])
}

@Test func metricDrivenScheduleTrapsWithoutAMetric() async {
    await #expect(processExitsWith: .failure) {
        let scheduler = LRScheduler(optimizer: twoGroupSGD(), schedule: ReduceOnPlateauSchedule())
        scheduler.step()
    }
}

@Test func oneCycleTrapsPastItsTotalSteps() async {
    await #expect(processExitsWith: .failure) {
        let scheduler = LRScheduler(optimizer: twoGroupSGD(), schedule: OneCycleSchedule(maximumRate: 1, totalSteps: 2))
        for _ in 0..<3 { scheduler.step() }
    }
}
