import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeOptim
import FledgeTensor

extension Trainer {
    /// A trainer built entirely from `config`: data (read, split, preprocessed), MLP, task,
    /// optimizer, scheduler, metrics and the standard callbacks.
    public convenience init(config: FledgeConfig) throws {
        try self.init(config: config, model: nil)
    }

    /// A trainer for Swift users: the config supplies data and training settings; `model`,
    /// `loss` and `metrics` replace the config's when given, and `callbacks` run before the
    /// standard ones (early stopping, LR monitor, metrics logger, curves, run report, progress, checkpointing).
    /// `progress` shows progress (ProgressPrinter lines or a ProgressBar); nil trains silently (`fledge train --quiet`).
    /// `synchronizer` makes the trainer one rank of a data-parallel job: ranks other than 0 then get
    /// no progress, logging or checkpoint callbacks and write nothing.
    /// `data` replaces the splits the config describes (cross-validation folds, say: build it with
    /// `TrainingData(config:table:rows:)`, which fits the preprocessing on the given training rows).
    /// `scores` replaces how outputs become the scores metrics see (e.g. a foundation model's
    /// sketch decoded into item scores); the default is the task's (sigmoid, softmax, identity).
    /// `parameterGroups` splits the model's named parameters into optimizer groups (e.g.
    /// `ParameterGroup.learningRateGroups`: a smaller rate for a pretrained backbone); the default
    /// is one group at `training.learning_rate`.
    public convenience init(
        config: FledgeConfig, data: TrainingData? = nil, model: (any Layer)?, callbacks: [any Callback] = [],
        loss: TaskSpec.LossFunction? = nil, scores: ((Tensor) -> Tensor)? = nil, metrics: [any Metric]? = nil,
        progress: (any Callback)? = ProgressPrinter(), synchronizer: (any GradientSynchronizer)? = nil,
        parameterGroups: (([(name: String, parameter: Parameter)]) -> [ParameterGroup])? = nil
    ) throws {
        let data = try data ?? TrainingData(config: config)
        if model == nil, data.train.categoricalIndices != nil {
            throw TrainerError.invalidSetup(
                "data.categorical_encoding: embedding needs a model with embedding layers; the MLP takes one_hot (or pass your own model in Swift)")
        }
        var task = try TaskSpec(config: config, outputCount: data.outputCount)
        if let loss { task.customLoss = loss }
        let model = model ?? ModelFactory.make(config.model, inputSize: data.train.featureCount,
                                               outputSize: task.outputSize, seed: config.experiment.seed)
        let optimizer = OptimizerFactory.make(config.training, groups: parameterGroups?(model.namedParameters)
                                                  ?? [ParameterGroup(model.namedParameters)])
        let plan = try TrainingPlan(config: config.training, data: data)
        let scheduler = config.training.scheduler.map { _ in
            SchedulerFactory.make(config.training, optimizer: optimizer, totalSteps: Swift.max(1, plan.maxSteps),
                                  stepsPerEpoch: Swift.max(1, plan.stepsPerEpoch))
        }
        let metrics = try metrics ?? (config.training.metrics ?? task.defaultMetrics).map {
            try MetricFactory.make(name: $0, task: task.metricTask, classCount: task.metricClassCount)
        }
        let taskCopy = task
        try self.init(
            config: config, data: data, model: model, task: config.model.task, optimizer: optimizer,
            scheduler: scheduler?.scheduler, schedulerInterval: scheduler?.interval ?? .step,
            loss: { taskCopy.loss(logits: $0, targets: $1) }, scores: scores ?? { taskCopy.scores(fromLogits: $0) },
            metrics: metrics, callbacks: callbacks + Self.standardCallbacks(
                config, printer: progress, writesFiles: synchronizer?.isPrimary ?? true))
        self.synchronizer = synchronizer
    }

    /// The callbacks the config asks for, ModelCheckpoint last so it saves every other state.
    /// With `writesFiles` false (ranks other than 0 of a data-parallel job) only those that steer
    /// training (early stopping) are made.
    public static func standardCallbacks(
        _ config: FledgeConfig, printer: (any Callback)? = ProgressPrinter(), writesFiles: Bool = true
    ) -> [any Callback] {
        let training = config.training
        var callbacks: [any Callback] = []
        if let stopping = training.earlyStopping {
            callbacks.append(EarlyStopping(monitor: stopping.monitor, mode: stopping.mode, patience: stopping.patience,
                                           minDelta: stopping.minDelta, checkFinite: stopping.checkFinite,
                                           divergenceThreshold: stopping.divergenceThreshold,
                                           startFromStep: stopping.startFromStep))
        }
        guard writesFiles else { return callbacks }
        callbacks += [LearningRateMonitor(), MetricsLogger(), LearningCurvesWriter(), RunReportWriter()]
        if training.reportTo.contains(.tensorboard) { callbacks.append(TensorBoardLogger()) }
        if let printer { callbacks.append(printer) }
        let checkpoint = training.checkpoint
        callbacks.append(ModelCheckpoint(
            strategy: checkpoint.saveStrategy, saveSteps: checkpoint.saveSteps ?? 500, saveTopK: checkpoint.saveTopK,
            saveTotalLimit: checkpoint.saveTotalLimit, checkpointInterval: checkpoint.checkpointInterval,
            saveLast: checkpoint.saveLast, weightsOnly: checkpoint.weightsOnly, trackBest: training.loadBestModelAtEnd))
        return callbacks
    }
}
