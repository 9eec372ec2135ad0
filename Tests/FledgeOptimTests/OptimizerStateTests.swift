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
    let golden = optimizerFixture.cases.first { $0.name == name }!
    // Uninterrupted run.
    let straight = goldenParameters(golden)
    let straightOptimizer = makeOptimizer(for: golden, parameters: straight)
    for step in 0..<20 {
        setGoldenGradients(golden, step: step, on: straight)
        straightOptimizer.step()
    }
    // Run 8 steps, save, rebuild everything from the saved values, continue.
    let first = goldenParameters(golden)
    let firstOptimizer = makeOptimizer(for: golden, parameters: first)
    for step in 0..<8 {
        setGoldenGradients(golden, step: step, on: first)
        firstOptimizer.step()
    }
    let saved = firstOptimizer.stateDict()
    let savedValues = first.map { $0.parameter.value.copied() }
    for step in 8..<10 { // steps after the save must not leak into it
        setGoldenGradients(golden, step: step, on: first)
        firstOptimizer.step()
    }
    let resumed: [(name: String, parameter: Parameter)] = zip(first, savedValues).map { ($0.name, Parameter($1)) }
    let resumedOptimizer = makeOptimizer(for: golden, parameters: resumed)
    try resumedOptimizer.loadStateDict(saved)
    #expect(resumedOptimizer.stepCount == 8)
    for step in 8..<20 {
        setGoldenGradients(golden, step: step, on: resumed)
        resumedOptimizer.step()
    }
    for (a, b) in zip(straight, resumed) {
        #expect(a.parameter.value.scalars == b.parameter.value.scalars, "\(name) \(a.name)")
    }
}

@Test func stateDictUsesTorchNames() {
    let golden = optimizerFixture.cases.first { $0.name == "adam_amsgrad" }!
    let parameters = goldenParameters(golden)
    let optimizer = makeOptimizer(for: golden, parameters: parameters)
    setGoldenGradients(golden, step: 0, on: parameters)
    optimizer.step()
    let dict = optimizer.stateDict()
    for key in ["state.p0.exp_avg", "state.p0.exp_avg_sq", "state.p0.max_exp_avg_sq", "state.p0.step",
                "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.initial_lr", "step_count"] {
        #expect(dict[key] != nil, "missing \(key)")
    }
    #expect(dict["state.p0.exp_avg"]?.shape == [3, 4])
    #expect(dict["state.p1.step"]?.item == 1)
}

@Test func loadingAMismatchedStateDictThrowsAndChangesNothing() throws {
    let golden = optimizerFixture.cases.first { $0.name == "adam_plain" }!
    let parameters = goldenParameters(golden)
    let adam = makeOptimizer(for: golden, parameters: parameters)
    setGoldenGradients(golden, step: 0, on: parameters)
    adam.step()
    let good = adam.stateDict()

    let other = Adam(goldenParameters(golden), learningRate: 0.5)
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

    let sgd = SGD(goldenParameters(golden), learningRate: 0.1, momentum: 0.9)
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

@Test func duplicateParametersTrap() async {
    await #expect(processExitsWith: .failure) {
        let p = Parameter(Tensor([1]))
        _ = SGD([("a", p), ("b", p)], learningRate: 0.1)
    }
}

@Test func savingToAFileAndLoadingContinuesBitForBit() throws {
    let golden = optimizerFixture.cases.first { $0.name == "adamw_amsgrad" }!
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fledge-optim-\(UInt64.random(in: 0...UInt64.max)).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let straight = goldenParameters(golden)
    let straightOptimizer = makeOptimizer(for: golden, parameters: straight)
    let first = goldenParameters(golden)
    let firstOptimizer = makeOptimizer(for: golden, parameters: first)
    for step in 0..<5 {
        setGoldenGradients(golden, step: step, on: straight)
        straightOptimizer.step()
        setGoldenGradients(golden, step: step, on: first)
        firstOptimizer.step()
    }
    try firstOptimizer.save(to: url)
    let resumed: [(name: String, parameter: Parameter)] = first.map { ($0.name, Parameter($0.parameter.value.copied())) }
    let resumedOptimizer = makeOptimizer(for: golden, parameters: resumed)
    try resumedOptimizer.load(from: url)
    for step in 5..<20 {
        setGoldenGradients(golden, step: step, on: straight)
        straightOptimizer.step()
        setGoldenGradients(golden, step: step, on: resumed)
        resumedOptimizer.step()
    }
    for (a, b) in zip(straight, resumed) { #expect(a.parameter.value.scalars == b.parameter.value.scalars) }

    let sgd = SGD(goldenParameters(golden), learningRate: 0.1)
    #expect(throws: OptimizerStateError.optimizerTypeMismatch(expected: "SGD", found: "AdamW")) { try sgd.load(from: url) }
}
