import FledgeTensor

/// `training:` — the loop, the optimizer and everything around it. Names follow Hugging Face
/// `TrainingArguments` and PyTorch Lightning; where the two differ, both spellings are accepted
/// (`epochs`/`num_train_epochs`, `batch_size`/`train_batch_size`,
/// `metric_to_monitor`/`metric_for_best_model`), but not both at once.
public struct TrainingConfig: ConfigSection {
    /// Passes over the training data (alias `num_train_epochs`). Default `10`.
    public var epochs = 10
    /// Stop after this many optimizer steps, overriding `epochs`; null trains for `epochs`. Default null.
    public var maxSteps: Int?
    /// Training samples per batch (alias `train_batch_size`). Default `32`.
    public var batchSize = 32
    /// Samples per validation/test batch; null uses `batch_size`. Default null.
    public var evalBatchSize: Int?
    /// The base learning rate. Default `0.001`.
    public var learningRate = 1e-3
    /// sgd, momentum, adam, adamw, rmsprop or adagrad. Default `adam`.
    public var optimizer: OptimizerKind = .adam
    /// Momentum of sgd/momentum/rmsprop; null means 0.9 for `momentum` and 0 otherwise. Default null.
    public var momentum: Double?
    /// Nesterov momentum (sgd and momentum only). Default `false`.
    public var nesterov = false
    /// Adam/AdamW (β1, β2). Default `[0.9, 0.999]`.
    public var betas: [Double] = [0.9, 0.999]
    /// The denominator's epsilon; null means 1e-8 (1e-10 for adagrad). Default null.
    public var epsilon: Double?
    /// L2 regularisation: `l2_regularization · w` is added to every gradient before the optimizer
    /// rule (torch's `weight_decay` of SGD/Adam). Default `0.0`.
    public var l2Regularization = 0.0
    /// Decoupled weight decay: every step multiplies the weights by `1 − learning_rate · weight_decay`
    /// independently of the gradient (AdamW natively; the same rule for every optimizer). Default `0.0`.
    public var weightDecay = 0.0
    /// The loss by name; null uses the task's default (bce_with_logits, cross_entropy, multilabel_bce, mse).
    /// Default null.
    public var loss: LossKind?
    /// δ of the `huber` loss. Default `1.0`.
    public var huberDelta = 1.0
    /// Label smoothing ε of `cross_entropy`, in [0, 1]. Default `0.0`.
    public var labelSmoothing = 0.0
    /// Metrics computed on validation (e.g. accuracy, f1_macro, auroc, rmse); null uses the task's
    /// defaults. Default null.
    public var metrics: [String]?
    /// Batches whose gradients are summed before one optimizer step. Default `1`.
    public var gradientAccumulationSteps = 1
    /// Clip gradients at this value (see `gradient_clip_algorithm`); null or 0 does not clip. Default null.
    public var gradientClipVal: Double?
    /// `norm` (global L2 norm) or `value` (elementwise). Default `norm`.
    public var gradientClipAlgorithm: GradientClipAlgorithm = .norm
    /// Training batches per epoch: an integer count or a fraction. Default `1.0` (all).
    public var limitTrainBatches: BatchLimit = .all
    /// Validation batches per validation: an integer count or a fraction. Default `1.0` (all).
    public var limitValBatches: BatchLimit = .all
    /// `epoch`, `steps` (every `eval_steps`) or `no`. Default `epoch`.
    public var evalStrategy: EvalStrategy = .epoch
    /// Optimizer steps between validations when `eval_strategy: steps`. Default null.
    public var evalSteps: Int?
    /// The metric that selects the best model (alias `metric_for_best_model`), e.g. `val_loss`,
    /// `val_accuracy`. Default `val_loss`.
    public var metricToMonitor = "val_loss"
    /// `min` or `max` for `metric_to_monitor` (alias `metric_monitoring_mode`); null infers it from
    /// the name (losses and errors: min). Default null.
    public var metricMode: MetricMode?
    /// Restore the best checkpoint's weights when training ends. Default `false`.
    public var loadBestModelAtEnd = false
    /// Run one training and one validation batch, then stop (a smoke test). Default `false`.
    public var fastDevRun = false
    /// Train (and validate) on only these first batches, an integer count or fraction; 0 is off. Default `0`.
    public var overfitBatches: BatchLimit = .count(0)
    /// Optimizer steps between two training log lines. Default `10`.
    public var logEveryNSteps = 10
    /// Where else to log scalars: `[tensorboard]` writes event files under `<run>/tensorboard/`. Default `[]`.
    public var reportTo: [ReportTarget] = []
    /// Shuffle the training data every epoch. Default `true`.
    public var shuffle = true
    /// Drop the last, smaller training batch. Default `false`.
    public var dropLast = false
    /// Early stopping; null (absent) disables it, `true` enables it with the section's defaults. Default null.
    public var earlyStopping: EarlyStoppingConfig?
    /// Checkpointing. Default: every epoch, keep the best and the last.
    public var checkpoint = CheckpointConfig()
    /// The learning-rate schedule; null keeps the rate constant; a name alone (`scheduler: cosine`)
    /// is that type with the section's defaults. Default null.
    public var scheduler: SchedulerConfig?
    /// `auto` (data parallel when started by `mpirun -np N`, N > 1), `single` (one process) or
    /// `ddp` (data parallel over MPI; `batch_size` is the global batch, split across the ranks). Default `auto`.
    public var strategy: TrainingStrategy = .auto
    /// The processes a data-parallel run expects (`mpirun -np devices`); null takes what mpirun
    /// started. `fledge train` with `strategy: ddp` and `devices: N` outside mpirun starts mpirun itself. Default null.
    public var devices: Int?
    /// Lightning's `accelerator`: `auto` or `cpu`, which mean the same (Fledge trains on the CPU;
    /// `gpu` and the like are rejected with that reason). Default `auto`.
    public var accelerator: Accelerator = .auto
    /// The number format of the matrix products, as Lightning's `precision`: `32-true` (also `32`)
    /// or `bf16-mixed` (also `bf16`): bf16 GEMM operands and stored activations, Float32
    /// accumulation and master weights (see docs/precision.md). float16 and float64 values are
    /// rejected with the reason. Default `32-true`.
    public var precision: Precision = .float32

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case epochs, maxSteps = "max_steps", batchSize = "batch_size", evalBatchSize = "eval_batch_size"
        case learningRate = "learning_rate", optimizer, momentum, nesterov, betas, epsilon
        case l2Regularization = "l2_regularization", weightDecay = "weight_decay"
        case loss, huberDelta = "huber_delta", labelSmoothing = "label_smoothing", metrics
        case gradientAccumulationSteps = "gradient_accumulation_steps"
        case gradientClipVal = "gradient_clip_val", gradientClipAlgorithm = "gradient_clip_algorithm"
        case limitTrainBatches = "limit_train_batches", limitValBatches = "limit_val_batches"
        case evalStrategy = "eval_strategy", evalSteps = "eval_steps"
        case metricToMonitor = "metric_to_monitor", metricMode = "metric_mode"
        case loadBestModelAtEnd = "load_best_model_at_end", fastDevRun = "fast_dev_run"
        case overfitBatches = "overfit_batches", logEveryNSteps = "log_every_n_steps"
        case reportTo = "report_to"
        case shuffle, dropLast = "drop_last"
        case earlyStopping = "early_stopping", checkpoint, scheduler, precision
        case strategy, devices, accelerator
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)
    public static let aliases = [
        "num_train_epochs": "epochs", "train_batch_size": "batch_size", "metric_for_best_model": "metric_to_monitor",
        "metric_monitoring_mode": "metric_mode",
    ]
    public static let subsections: [String: any ConfigSection.Type] = [
        "early_stopping": EarlyStoppingConfig.self, "checkpoint": CheckpointConfig.self, "scheduler": SchedulerConfig.self,
    ]

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        epochs = try decoder.value("epochs", alias: "num_train_epochs", or: epochs)
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        batchSize = try decoder.value("batch_size", alias: "train_batch_size", or: batchSize)
        evalBatchSize = try c.decodeIfPresent(Int.self, forKey: .evalBatchSize)
        learningRate = try c.value(.learningRate, or: learningRate)
        optimizer = try c.value(.optimizer, or: optimizer)
        momentum = try c.decodeIfPresent(Double.self, forKey: .momentum)
        nesterov = try c.value(.nesterov, or: nesterov)
        betas = try c.value(.betas, or: betas)
        epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon)
        l2Regularization = try c.value(.l2Regularization, or: l2Regularization)
        weightDecay = try c.value(.weightDecay, or: weightDecay)
        loss = try c.decodeIfPresent(LossKind.self, forKey: .loss)
        huberDelta = try c.value(.huberDelta, or: huberDelta)
        labelSmoothing = try c.value(.labelSmoothing, or: labelSmoothing)
        metrics = try c.decodeIfPresent([String].self, forKey: .metrics)
        gradientAccumulationSteps = try c.value(.gradientAccumulationSteps, or: gradientAccumulationSteps)
        gradientClipVal = try c.decodeIfPresent(Double.self, forKey: .gradientClipVal)
        gradientClipAlgorithm = try c.value(.gradientClipAlgorithm, or: gradientClipAlgorithm)
        limitTrainBatches = try c.value(.limitTrainBatches, or: limitTrainBatches)
        limitValBatches = try c.value(.limitValBatches, or: limitValBatches)
        evalStrategy = try c.value(.evalStrategy, or: evalStrategy)
        evalSteps = try c.decodeIfPresent(Int.self, forKey: .evalSteps)
        metricToMonitor = try decoder.value("metric_to_monitor", alias: "metric_for_best_model", or: metricToMonitor)
        metricMode = try decoder.value("metric_mode", alias: "metric_monitoring_mode", or: MetricMode?.none)
        loadBestModelAtEnd = try c.value(.loadBestModelAtEnd, or: loadBestModelAtEnd)
        fastDevRun = try c.value(.fastDevRun, or: fastDevRun)
        overfitBatches = try c.value(.overfitBatches, or: overfitBatches)
        logEveryNSteps = try c.value(.logEveryNSteps, or: logEveryNSteps)
        reportTo = try c.value(.reportTo, or: reportTo)
        shuffle = try c.value(.shuffle, or: shuffle)
        dropLast = try c.value(.dropLast, or: dropLast)
        if let enabled = try? c.decodeIfPresent(Bool.self, forKey: .earlyStopping) {
            earlyStopping = enabled ? EarlyStoppingConfig() : nil
        } else {
            earlyStopping = try c.decodeIfPresent(EarlyStoppingConfig.self, forKey: .earlyStopping)
        }
        checkpoint = try c.value(.checkpoint, or: checkpoint)
        if let name = try? c.decodeIfPresent(String.self, forKey: .scheduler) {
            scheduler = SchedulerConfig()
            scheduler?.type = try SchedulerKind.parse(name, at: c.codingPath + [CodingKeys.scheduler])
        } else {
            scheduler = try c.decodeIfPresent(SchedulerConfig.self, forKey: .scheduler)
        }
        strategy = try c.value(.strategy, or: strategy)
        devices = try c.decodeIfPresent(Int.self, forKey: .devices)
        accelerator = try c.decodeIfPresent(String.self, forKey: .accelerator)
            .map { try Accelerator.named($0, at: c.codingPath + [CodingKeys.accelerator]) } ?? .auto
        precision = try Self.decodePrecision(c)
    }

    /// `precision` as Lightning writes it: a string (`bf16-mixed`) or a bare number (`32`, `16`, `64`).
    private static func decodePrecision(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Precision {
        let name: String
        if let number = try? c.decodeIfPresent(Int.self, forKey: .precision) {
            name = String(number)
        } else if let text = try c.decodeIfPresent(String.self, forKey: .precision) {
            name = text
        } else {
            return .float32
        }
        do {
            return try Precision(name: name)
        } catch let error as UnsupportedPrecisionError {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.precision], error.description)
        }
    }

    // MARK: - Effective values of the keys whose default depends on others

    /// `eval_batch_size`, or `batch_size` when null.
    public var effectiveEvalBatchSize: Int { evalBatchSize ?? batchSize }
    /// `metric_mode`, or the direction inferred from `metric_to_monitor`.
    public var effectiveMetricMode: MetricMode { metricMode ?? .inferred(forMetric: metricToMonitor) }
    /// `momentum`, or 0.9 for the `momentum` optimizer and 0 otherwise.
    public var effectiveMomentum: Double { momentum ?? (optimizer == .momentum ? 0.9 : 0) }
    /// `epsilon`, or 1e-10 for adagrad and 1e-8 otherwise (torch's defaults).
    public var effectiveEpsilon: Double { epsilon ?? (optimizer == .adagrad ? 1e-10 : 1e-8) }
}
