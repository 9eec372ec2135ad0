import FledgeNN
import FledgeOptim
import FledgeTensor
import FledgeTestSupport
import Foundation
import Testing

/// Every optimizer kind, with its stateful options on, over the golden case's parameters.
private let statefulCases = ["sgd_nesterov", "adam_betas_eps", "adamw_amsgrad", "rmsprop_all", "adagrad_all", "groups_adam"]

@Test(arguments: statefulCases)
func resumeFromStateDictContinuesBitForBit(_ name: String) throws {
    let straight = GoldenRun(name)
    straight.train(0..<20)
    // Run 8 steps, save, rebuild everything from the saved values, continue.
    let first = GoldenRun(name)
    first.train(0..<8)
    let saved = first.optimizer.stateDict()
    let savedValues = first.values
    first.train(8..<10) // steps after the save must not leak into it
    let resumed = GoldenRun(name, values: savedValues)
    try resumed.optimizer.loadStateDict(saved)
    #expect(resumed.optimizer.stepCount == 8)
    resumed.train(8..<20)
    #expect(resumed.values.map(\.scalars) == straight.values.map(\.scalars))
}

@Test func stateDictUsesTorchNames() {
    let run = GoldenRun("adam_amsgrad")
    run.train(0..<1)
    let dict = run.optimizer.stateDict()
    for key in ["state.p0.exp_avg", "state.p0.exp_avg_sq", "state.p0.max_exp_avg_sq", "state.p0.step",
                "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.initial_lr", "step_count"] {
        #expect(dict[key] != nil, "missing \(key)")
    }
    #expect(dict["state.p0.exp_avg"]?.shape == [3, 4])
    #expect(dict["state.p1.step"]?.item == 1)
}

@Test func loadingAMismatchedStateDictThrowsAndChangesNothing() throws {
    let run = GoldenRun("adam_plain")
    run.train(0..<1)
    let good = run.optimizer.stateDict()
    let parameters = run.parameters

    let other = Adam(GoldenRun("adam_plain").parameters, learningRate: 0.5)

    var missing = good
    missing["state.p1.exp_avg_sq"] = nil
    #expect(throws: OptimizerStateError.missingKey("state.p1.exp_avg_sq")) { try other.loadStateDict(missing) }
    #expect(other.learningRate == 0.5 && other.stepCount == 0)

    var wrongShape = good
    wrongShape["state.p0.exp_avg"] = Tensor.zeros([2])
    #expect(throws: OptimizerStateError.shapeMismatch(key: "state.p0.exp_avg", expected: [3, 4], found: [2])) {
        try other.loadStateDict(wrongShape)
    }
    var extra = good
    extra["state.encoder.weight.exp_avg"] = Tensor.zeros([1])
    #expect(throws: OptimizerStateError.unexpectedKeys(["state.encoder.weight.exp_avg"])) { try other.loadStateDict(extra) }

    let sgd = SGD(GoldenRun("adam_plain").parameters, learningRate: 0.1, momentum: 0.9)
    #expect(throws: OptimizerStateError.self) { try sgd.loadStateDict(good) }
    #expect(sgd.stateDict()["step_count"]?.item == 0)

    let twoGroups = Adam([ParameterGroup([parameters[0]]), ParameterGroup([parameters[1]])])
    #expect(throws: OptimizerStateError.groupCountMismatch(expected: 2, found: 1)) { try twoGroups.loadStateDict(good) }
    #expect(OptimizerStateError.groupCountMismatch(expected: 2, found: 1).description.contains("2"))
}

@Test func frozenParametersAndParametersWithoutGradientsAreSkipped() {
    let frozen = Parameter(Tensor([1, 2]), isTrainable: false)
    let idle = Parameter(Tensor([3, 4]))
    let active = Parameter(Tensor([5, 6]))
    active.value.setGradient(Tensor([1, 1]))
    let optimizer = SGD([("frozen", frozen), ("idle", idle), ("active", active)], learningRate: 0.5, momentum: 0.9)
    optimizer.step()
    #expect(frozen.value.scalars == [1, 2])
    #expect(idle.value.scalars == [3, 4])
    #expect(active.value.scalars == [4.5, 5.5])
    #expect(optimizer.state(ofParameterNamed: "idle") == nil)
    #expect(optimizer.state(ofParameterNamed: "active")?.step == 1)
    #expect(optimizer.stateDict().keys.filter { $0.hasPrefix("state.idle") }.isEmpty)
}

@Test func zeroGradientsForgetsEveryGradient() {
    let a = Parameter(Tensor([1])), b = Parameter(Tensor([2]))
    a.value.setGradient(Tensor([1]))
    b.value.setGradient(Tensor([1]))
    let optimizer = Adam([("a", a), ("b", b)])
    optimizer.zeroGradients()
    #expect(a.grad == nil && b.grad == nil)
}

@Test func learningRateSetsEveryGroupAndGroupsKeepTheirOwn() {
    let a = Parameter(Tensor([1])), b = Parameter(Tensor([2]))
    let optimizer = AdamW([ParameterGroup([("a", a)], learningRate: 0.1), ParameterGroup([("b", b)], weightDecay: 0)],
                          learningRate: 0.01)
    #expect(optimizer.learningRates == [0.1, 0.01])
    #expect(optimizer.hyperparameters(ofGroup: 1)[.weightDecay] == 0)
    #expect(optimizer.hyperparameters(ofGroup: 0)[.weightDecay] == 0.01)
    optimizer.learningRate = 0.5
    #expect(optimizer.learningRates == [0.5, 0.5])
    #expect(optimizer.initialLearningRates == [0.1, 0.01])
}

@Test func programmerErrorsInTheConfigurationTrap() async {
    await #expect(processExitsWith: .failure) {
        let p = Parameter(Tensor([1]))
        _ = SGD([("a", p), ("b", p)], learningRate: 0.1)
    }
    await #expect(processExitsWith: .failure) {
        _ = SGD([("a", Parameter(Tensor([1])))], learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)
    }
    await #expect(processExitsWith: .failure) {
        _ = Adam([ParameterGroup([("a", Parameter(Tensor([1])))], overrides: [.momentum: 0.9])])
    }
    await #expect(processExitsWith: .failure) {
        _ = Adam([("a", Parameter(Tensor([1])))], betas: (1, 0.999))
    }
}

@Test func savingToAFileAndLoadingContinuesBitForBit() throws {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fledge-optim-\(UInt64.random(in: 0...UInt64.max)).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let straight = GoldenRun("adamw_amsgrad")
    straight.train(0..<20)
    let first = GoldenRun("adamw_amsgrad")
    first.train(0..<5)
    try first.optimizer.save(to: url)
    let resumed = GoldenRun("adamw_amsgrad", values: first.values)
    try resumed.optimizer.load(from: url)
    resumed.train(5..<20)
    #expect(resumed.values.map(\.scalars) == straight.values.map(\.scalars))

    let sgd = SGD(GoldenRun("adamw_amsgrad").parameters, learningRate: 0.1)
    #expect(throws: OptimizerStateError.optimizerTypeMismatch(expected: "SGD", found: "AdamW")) { try sgd.load(from: url) }
}

@Test func weightDecayGroupsSpareBiasesAndScales() {
    let weight = Parameter(Tensor.zeros([3, 2])), bias = Parameter(Tensor.zeros([3])), scale = Parameter(Tensor.ones([3]))
    let groups = ParameterGroup.weightDecayGroups([("fc.weight", weight), ("fc.bias", bias), ("norm.weight", scale)],
                                                  weightDecay: 0.1)
    #expect(groups.map { $0.parameters.map(\.name) } == [["fc.weight"], ["fc.bias", "norm.weight"]])
    let optimizer = AdamW(groups)
    #expect(optimizer.hyperparameters(ofGroup: 0)[.weightDecay] == 0.1)
    #expect(optimizer.hyperparameters(ofGroup: 1)[.weightDecay] == 0)
    #expect(optimizer.parameters.count == 3)
    #expect(ParameterGroup.weightDecayGroups([("fc.bias", bias)], weightDecay: 0.1).count == 1)
}

/// A parameter above `Threading.parallelThreshold` is updated in chunks on several threads; each
/// element must still get exactly the bits a small parameter with the same values gets.
@Test func largeParametersSplitAcrossThreadsGiveTheSameBits() {
    let count = Threading.parallelThreshold + 5
    func values(_ scale: Float, _ range: Range<Int>) -> Tensor {
        Tensor(range.map { Float(($0 * 7919) % 1000) * scale - 0.5 * scale * 1000 })
    }
    let big = Parameter(values(0.001, 0..<count))
    let head = Parameter(values(0.001, 0..<100))
    let tail = Parameter(values(0.001, (count - 100)..<count))
    let optimizer = AdamW([("big", big), ("head", head), ("tail", tail)], learningRate: 0.01, amsgrad: true)
    for step in 1...3 {
        big.value.setGradient(values(0.01 * Float(step), 0..<count))
        head.value.setGradient(values(0.01 * Float(step), 0..<100))
        tail.value.setGradient(values(0.01 * Float(step), (count - 100)..<count))
        optimizer.step()
    }
    let bigValues = big.value.scalars
    #expect(Array(bigValues.prefix(100)) == head.value.scalars)
    #expect(Array(bigValues.suffix(100)) == tail.value.scalars)
}
