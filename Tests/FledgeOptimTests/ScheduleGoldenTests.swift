import FledgeNN
import FledgeOptim
import FledgeTensor
import FledgeTestSupport
import Foundation
import Testing

/// Rate sequences from scripts/reference/golden_schedules.py (torch 2.13 schedulers; the Hugging
/// Face warmup schedules as their LambdaLR formulas).
let scheduleFixture = try! GoldenFile.load("schedules")

/// SGD over two groups with base rates 0.1 and 0.02 and momentum 0.9, as in the script.
func twoGroupSGD() -> SGD {
    SGD([ParameterGroup([("a", Parameter(Tensor.zeros([2])))], learningRate: 0.1),
         ParameterGroup([("b", Parameter(Tensor.zeros([3])))], learningRate: 0.02)],
        learningRate: 0.1, momentum: 0.9)
}

/// The schedule a golden case describes.
func makeSchedule(for golden: GoldenCase) -> any LearningRateSchedule {
    let a = golden.attributes
    func int(_ key: String) -> Int { Int(a[key]!.number!) }
    func float(_ key: String) -> Float { Float(a[key]!.number!) }
    switch a["kind"]!.string! {
    case "constant": return ConstantSchedule(warmupSteps: int("warmup_steps"))
    case "step": return StepSchedule(stepSize: int("step_size"), gamma: a["gamma"]!.number!)
    case "multistep": return MultiStepSchedule(milestones: a["milestones"]!.numbers!.map { Int($0) }, gamma: a["gamma"]!.number!)
    case "exponential": return ExponentialSchedule(gamma: a["gamma"]!.number!)
    case "cosine": return CosineAnnealingSchedule(maximumSteps: int("t_max"), minimumRate: float("eta_min"))
    case "linear_warmup": return LinearWarmupSchedule(warmupSteps: int("warmup_steps"), totalSteps: int("total_steps"))
    case "cosine_warmup":
        return CosineWarmupSchedule(warmupSteps: int("warmup_steps"), totalSteps: int("total_steps"), cycles: a["cycles"]!.number!)
    case "onecycle":
        let momentum = a["cycle_momentum"]!.bool!
            ? OneCycleSchedule.MomentumRange(base: Float(a["base_momentum"]?.number ?? 0.85), max: Float(a["max_momentum"]?.number ?? 0.95))
            : nil
        return OneCycleSchedule(
            maximumRate: float("max_lr") < 0 ? nil : float("max_lr"), totalSteps: int("total_steps"),
            pctStart: a["pct_start"]!.number!, annealing: a["anneal"]!.string! == "cos" ? .cosine : .linear,
            divFactor: a["div_factor"]!.number!, finalDivFactor: a["final_div_factor"]!.number!,
            threePhase: a["three_phase"]!.bool!, momentumRange: momentum)
    case "plateau":
        return ReduceOnPlateauSchedule(
            mode: a["mode"]!.string! == "min" ? .min : .max, factor: float("factor"), patience: int("patience"),
            threshold: a["threshold"]!.number!, thresholdMode: a["threshold_mode"]!.string! == "rel" ? .relative : .absolute,
            cooldown: int("cooldown"), minimumRate: float("min_lr"))
    default: fatalError("unknown schedule kind in \(golden.name)")
    }
}

/// Rates agree with torch to relative 2e-7, i.e. two Float32 roundings: both compute in double, but
/// our base (or peak) rates are Float32 and the result is rounded to Float32 once.
/// Rates that should be 0 are compared with an absolute bound of 1e-9.
@Test(arguments: scheduleFixture.cases.map(\.name))
func scheduleMatchesTorch(_ name: String) {
    let golden = scheduleFixture.cases.first { $0.name == name }!
    let optimizer = twoGroupSGD()
    let scheduler = LRScheduler(optimizer: optimizer, schedule: makeSchedule(for: golden))
    let expected = golden.output("lr").values
    let momenta = golden.outputs["momentum"]?.values
    let metrics = golden.inputs["metrics"]?.values
    let steps = Int(golden.attributes["steps"]!.number!)
    for step in 0...steps {
        if step > 0 {
            if let metrics { scheduler.step(metric: metrics[step - 1]) } else { scheduler.step() }
        }
        for group in 0..<2 {
            let want = expected[step * 2 + group], got = scheduler.learningRates[group]
            #expect(abs(got - want) <= 2e-7 * abs(want) + 1e-9, "\(name) step \(step) group \(group): \(got) vs torch \(want)")
        }
        if let momenta {
            let got = optimizer.hyperparameters(ofGroup: 0)[.momentum]
            #expect(abs(got - momenta[step]) <= 2e-7 * momenta[step], "\(name) step \(step) momentum: \(got) vs \(momenta[step])")
        }
    }
    #expect(scheduler.stepCount == steps)
}
