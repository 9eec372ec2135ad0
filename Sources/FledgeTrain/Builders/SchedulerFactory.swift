import FledgeOptim

/// A learning-rate scheduler built from a config, with when the trainer must step it.
public struct ConfiguredScheduler {
    /// The scheduler, already attached to the optimizer (step 0's rate is set).
    public let scheduler: LRScheduler
    /// `step`: call `scheduler.step()` after every optimizer step; `epoch`: after every epoch.
    /// A metric-driven schedule (`needsMetric`) steps after each validation instead, with the
    /// monitored metric, whatever the interval.
    public let interval: SchedulerInterval
    /// The warmup length in scheduler steps (0 without warmup).
    public let warmupSteps: Int
    /// The schedule's length in scheduler steps (optimizer steps or epochs, per `interval`).
    public let totalSteps: Int

    /// True for `reduce_on_plateau`: step with `scheduler.step(metric:)` after each validation.
    public var needsMetric: Bool { scheduler.schedule.requiresMetric }
}

/// Builds the learning-rate schedule a `training:` section describes.
public enum SchedulerFactory {
    /// The scheduler for `training.scheduler` (constant when null) over `optimizer`.
    ///
    /// - Parameters:
    ///   - totalSteps: the optimizer steps the whole run will take (after `max_steps`, limits and accumulation).
    ///   - stepsPerEpoch: the optimizer steps in one epoch, to convert to epochs for `interval: epoch`.
    ///
    /// Lengths: `warmup_steps` counts optimizer steps; `warmup_ratio` is that fraction of the
    /// schedule, rounded up (as Hugging Face does). With `interval: epoch` warmup steps are
    /// converted to whole epochs, rounded up. `cosine`, warmups and `one_cycle` span the whole run.
    public static func make(_ training: TrainingConfig, optimizer: Optimizer, totalSteps: Int,
                            stepsPerEpoch: Int) -> ConfiguredScheduler {
        precondition(totalSteps > 0 && stepsPerEpoch > 0,
                     "SchedulerFactory.make: totalSteps \(totalSteps) and stepsPerEpoch \(stepsPerEpoch) must be positive")
        let config = training.scheduler ?? SchedulerConfig()
        let interval = config.effectiveInterval
        let epochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch
        let length = interval == .step ? totalSteps : epochs
        var warmup = 0
        if let steps = config.warmupSteps {
            warmup = interval == .step ? steps : (steps + stepsPerEpoch - 1) / stepsPerEpoch
        } else if let ratio = config.warmupRatio {
            warmup = Int((Double(length) * ratio).rounded(.up))
        }
        warmup = min(warmup, length)

        let scheduler: LRScheduler
        switch config.type {
        case .constant:
            scheduler = LRScheduler(optimizer: optimizer, schedule: ConstantSchedule(warmupSteps: warmup))
        case .step:
            scheduler = LRScheduler(optimizer: optimizer,
                                    schedule: StepSchedule(stepSize: config.stepSize ?? 1, gamma: config.gamma))
        case .multistep:
            scheduler = LRScheduler(optimizer: optimizer,
                                    schedule: MultiStepSchedule(milestones: config.milestones, gamma: config.gamma))
        case .exponential:
            scheduler = LRScheduler(optimizer: optimizer, schedule: ExponentialSchedule(gamma: config.gamma))
        case .cosine:
            scheduler = LRScheduler(optimizer: optimizer,
                                    schedule: CosineAnnealingSchedule(maximumSteps: length, minimumRate: Float(config.etaMin)))
        case .linearWarmup:
            scheduler = LRScheduler(optimizer: optimizer, schedule: LinearWarmupSchedule(warmupSteps: warmup, totalSteps: length))
        case .cosineWarmup:
            scheduler = LRScheduler(optimizer: optimizer, schedule: CosineWarmupSchedule(warmupSteps: warmup, totalSteps: length))
        case .oneCycle:
            scheduler = LRScheduler(optimizer: optimizer, schedule: OneCycleSchedule(
                maximumRate: config.maxLr.map(Float.init), totalSteps: length, pctStart: config.pctStart))
        case .reduceOnPlateau:
            let mode: ReduceOnPlateauSchedule.Mode = training.effectiveMetricMode == .min ? .min : .max
            scheduler = LRScheduler(optimizer: optimizer, schedule: ReduceOnPlateauSchedule(
                mode: mode, factor: Float(config.factor), patience: config.patience))
        }
        return ConfiguredScheduler(scheduler: scheduler, interval: interval, warmupSteps: warmup, totalSteps: length)
    }
}
