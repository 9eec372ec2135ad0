import FledgeNN
import FledgeOptim
import FledgeTensor
import Testing
@testable import FledgeTrain

private func config(_ overrides: [String]) throws -> FledgeConfig {
    try FledgeConfig.load(yaml: minimalYAML, overrides: overrides)
}

private func tinyModel(_ config: FledgeConfig) -> MLP {
    ModelFactory.makeMLP(config.model, inputSize: 3, outputSize: 2, seed: config.experiment.seed)
}

@Test func modelFactoryBuildsTheConfiguredMLP() throws {
    let c = try config(["model.layers=[5, 4]", "model.activation=tanh", "model.dropout=0.2", "model.normalization=layer"])
    let model = tinyModel(c)
    #expect(model.inputSize == 3 && model.outputSize == 2 && model.hiddenSizes == [5, 4])
    let names = model.namedParameters.map(\.name)
    #expect(names.first == "layers.0.weight")
    #expect(names.count == 10) // three linears (weight, bias) and two layer norms (weight, bias)
    let again = tinyModel(c)
    #expect(model.stateDict()["layers.0.weight"]?.scalars == again.stateDict()["layers.0.weight"]?.scalars)
}

@Test func optimizerFactoryBuildsEachOptimizerWithItsHyperparameters() throws {
    let adamw = try config(["training.optimizer=adamw", "training.learning_rate=0.01", "training.betas=[0.8, 0.99]",
                            "training.epsilon=1e-6", "training.weight_decay=0.05"])
    let optimizer = OptimizerFactory.make(adamw.training, parameters: tinyModel(adamw).namedParameters)
    #expect(optimizer is AdamW)
    let h = optimizer.hyperparameters(ofGroup: 0)
    #expect(h.learningRate == 0.01 && h[.beta1] == 0.8 && h[.beta2] == 0.99 && h[.epsilon] == 1e-6 && h[.weightDecay] == 0.05)

    let adam = try config(["training.optimizer=adam", "training.l2_regularization=0.001", "training.weight_decay=0.3"])
    let adamOptimizer = OptimizerFactory.make(adam.training, parameters: tinyModel(adam).namedParameters)
    #expect(!(adamOptimizer is AdamW) && adamOptimizer is Adam)
    #expect(adamOptimizer.hyperparameters(ofGroup: 0)[.weightDecay] == 0.001) // L2 only; decoupled comes from WeightDecay

    let momentum = try config(["training.optimizer=momentum", "training.nesterov=true"])
    let sgd = OptimizerFactory.make(momentum.training, parameters: tinyModel(momentum).namedParameters)
    #expect(sgd is SGD && sgd.hyperparameters(ofGroup: 0)[.momentum] == 0.9 && sgd.hyperparameters(ofGroup: 0).flag(.nesterov))
    let plain = try config(["training.optimizer=sgd"])
    #expect(OptimizerFactory.make(plain.training, parameters: tinyModel(plain).namedParameters)
        .hyperparameters(ofGroup: 0)[.momentum] == 0)

    let rmsprop = try config(["training.optimizer=rmsprop", "training.momentum=0.5"])
    let r = OptimizerFactory.make(rmsprop.training, parameters: tinyModel(rmsprop).namedParameters)
    #expect(r is RMSprop && r.hyperparameters(ofGroup: 0)[.momentum] == 0.5)
    let adagrad = try config(["training.optimizer=adagrad"])
    let a = OptimizerFactory.make(adagrad.training, parameters: tinyModel(adagrad).namedParameters)
    #expect(a is Adagrad && a.hyperparameters(ofGroup: 0)[.epsilon] == 1e-10)
}

/// One parameter w = [1, 2] with gradient g = [0.5, 0.5].
private func parameterWithGradient() -> Parameter {
    let parameter = Parameter(Tensor(shape: [2], values: [1, 2]))
    (parameter.value * Tensor(shape: [2], values: [0.5, 0.5])).sum().backward()
    return parameter
}

@Test func decoupledWeightDecayShrinksWeightsForNonAdamWOptimizers() throws {
    let c = try config(["training.optimizer=sgd", "training.learning_rate=0.1", "training.weight_decay=0.5"])
    let parameter = parameterWithGradient()
    let optimizer = OptimizerFactory.make(c.training, parameters: [("w", parameter)])
    WeightDecay.applyBeforeStep(optimizer, training: c.training)
    optimizer.step()
    // w·(1 − 0.1·0.5) − 0.1·g
    let expected: [Float] = [1 * 0.95 - 0.05, 2 * 0.95 - 0.05]
    for (value, want) in zip(parameter.value.scalars, expected) { #expect(abs(value - want) < 1e-6) }
}

@Test func l2ForAdamWJoinsTheGradient() throws {
    let c = try config(["training.optimizer=adamw", "training.l2_regularization=0.25", "training.weight_decay=0"])
    let parameter = parameterWithGradient()
    let optimizer = OptimizerFactory.make(c.training, parameters: [("w", parameter)])
    WeightDecay.applyBeforeStep(optimizer, training: c.training)
    #expect(parameter.grad?.scalars == [0.75, 1.0])
    // The other optimizers apply L2 themselves: the helper leaves their gradients alone.
    let adam = try config(["training.optimizer=adam", "training.l2_regularization=0.25"])
    let other = parameterWithGradient()
    WeightDecay.applyBeforeStep(OptimizerFactory.make(adam.training, parameters: [("w", other)]), training: adam.training)
    #expect(other.grad?.scalars == [0.5, 0.5])
}

private func scheduler(_ overrides: [String], totalSteps: Int = 100, stepsPerEpoch: Int = 10) throws -> ConfiguredScheduler {
    let c = try config(overrides)
    let optimizer = OptimizerFactory.make(c.training, parameters: tinyModel(c).namedParameters)
    return SchedulerFactory.make(c.training, optimizer: optimizer, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
}

@Test func cosineWarmupWithARatioWarmsUpOverThatShareOfSteps() throws {
    let built = try scheduler(["training.scheduler.type=cosine_warmup", "training.scheduler.warmup_ratio=0.05",
                               "training.learning_rate=0.1"])
    #expect(built.interval == .step && built.warmupSteps == 5 && built.totalSteps == 100)
    let schedule = try #require(built.scheduler.schedule as? CosineWarmupSchedule)
    #expect(schedule.warmupSteps == 5 && schedule.totalSteps == 100)
    #expect(built.scheduler.optimizer.learningRate == 0)
    for _ in 0..<5 { built.scheduler.step() }
    #expect(abs(built.scheduler.optimizer.learningRate - 0.1) < 1e-7)
}

@Test func schedulersUseTheirNaturalIntervalUnlessConfigured() throws {
    let step = try scheduler(["training.scheduler.type=step", "training.scheduler.step_size=3"])
    #expect(step.interval == .epoch && step.totalSteps == 10 && step.scheduler.schedule is StepSchedule)
    let cosine = try scheduler(["training.scheduler.type=cosine", "training.scheduler.interval=epoch"])
    #expect(cosine.interval == .epoch && (cosine.scheduler.schedule as? CosineAnnealingSchedule)?.maximumSteps == 10)
    let warmup = try scheduler(["training.scheduler.type=linear_warmup", "training.scheduler.warmup_steps=15",
                                "training.scheduler.interval=epoch"])
    #expect(warmup.warmupSteps == 2)
    let constant = try scheduler([])
    #expect(constant.scheduler.schedule is ConstantSchedule && constant.interval == .step)
    let plateau = try scheduler(["training.scheduler.type=reduce_on_plateau", "training.metric_to_monitor=val_accuracy"])
    #expect(plateau.needsMetric && (plateau.scheduler.schedule as? ReduceOnPlateauSchedule)?.mode == .max)
    let cycle = try scheduler(["training.scheduler.type=one_cycle", "training.scheduler.max_lr=0.5"])
    #expect((cycle.scheduler.schedule as? OneCycleSchedule)?.maximumRate == 0.5)
}
