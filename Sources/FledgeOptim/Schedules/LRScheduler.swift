/// Applies a `LearningRateSchedule` to an optimizer, as `torch.optim.lr_scheduler.LRScheduler`:
/// each group keeps its base rate (its learning rate when the optimizer was created) and the
/// schedule scales or replaces it. Creating the scheduler applies step 0; call `step()` once per
/// optimizer step (or per epoch, as you schedule), or `step(metric:)` for metric-driven schedules.
public final class LRScheduler {
    /// The optimizer whose groups this scheduler sets.
    public let optimizer: Optimizer
    /// The schedule, including its mutable state.
    public private(set) var schedule: any LearningRateSchedule
    /// Steps taken so far (torch's `last_epoch`).
    public private(set) var stepCount: Int = 0
    /// Each group's base rate, taken from the optimizer's initial rates.
    public private(set) var baseRates: [Float]

    /// Attaches `schedule` to `optimizer` and sets the rates of step 0.
    public init(optimizer: Optimizer, schedule: some LearningRateSchedule) {
        self.optimizer = optimizer
        self.schedule = schedule
        self.baseRates = optimizer.initialLearningRates
        apply(metric: nil)
    }

    /// Advances one step and updates the optimizer's rates.
    public func step() {
        precondition(!schedule.requiresMetric,
                     "LRScheduler.step: \(type(of: schedule)) needs a metric; call step(metric:)")
        stepCount += 1
        apply(metric: nil)
    }

    /// Advances one step using `metric` (e.g. the validation loss) and updates the optimizer's rates.
    public func step(metric: Float) {
        stepCount += 1
        apply(metric: metric)
    }

    /// The rates the optimizer's groups use now (torch's `get_last_lr()`).
    public var learningRates: [Float] { optimizer.learningRates }

    /// What a checkpoint needs to continue this schedule.
    public var state: LRSchedulerState {
        LRSchedulerState(stepCount: stepCount, baseRates: baseRates, learningRates: optimizer.learningRates,
                         scheduleState: schedule.state)
    }

    /// Restores a state saved from a scheduler over an optimizer with as many groups, and sets the
    /// optimizer's rates to the saved ones.
    public func load(_ saved: LRSchedulerState) throws {
        let groups = optimizer.groupCount
        guard saved.baseRates.count == groups, saved.learningRates.count == groups else {
            throw LRSchedulerStateError.groupCountMismatch(expected: groups, found: saved.baseRates.count)
        }
        guard saved.stepCount >= 0 else { throw LRSchedulerStateError.invalidStepCount(saved.stepCount) }
        stepCount = saved.stepCount
        baseRates = saved.baseRates
        schedule.state = saved.scheduleState
        optimizer.learningRates = saved.learningRates
        if let momentum = schedule.momentum(atStep: stepCount) { setMomentum(momentum) }
    }

    private func apply(metric: Float?) {
        optimizer.learningRates = schedule.learningRates(
            atStep: stepCount, baseRates: baseRates, currentRates: optimizer.learningRates, metric: metric)
        if let momentum = schedule.momentum(atStep: stepCount) { setMomentum(momentum) }
    }

    /// Sets SGD/RMSprop's `momentum`, or Adam's `beta1`, in every group (as torch's OneCycleLR does).
    private func setMomentum(_ value: Float) {
        for group in 0..<optimizer.groupCount {
            let hyperparameters = optimizer.hyperparameters(ofGroup: group)
            let name: Hyperparameter = hyperparameters.value(.momentum) != nil ? .momentum : .beta1
            precondition(hyperparameters.value(name) != nil,
                         "LRScheduler: the schedule cycles momentum but \(type(of: optimizer)) has neither momentum nor beta1")
            optimizer.setHyperparameter(name, to: value, inGroup: group)
        }
    }
}
