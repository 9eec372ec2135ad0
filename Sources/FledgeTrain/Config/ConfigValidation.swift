import FledgeMetrics

extension FledgeConfig {
    /// Checks that the settings make sense together (fractions in range, sizes positive, the keys a
    /// choice needs are given); throws the first `ConfigError` found, naming the key path.
    /// `load` calls this; call it yourself on a config built in Swift.
    public func validate() throws {
        try validateData()
        try validateModel()
        try validateTraining()
        try training.checkpoint.validate(training: training)
        if let earlyStopping = training.earlyStopping { try earlyStopping.validate() }
        if let scheduler = training.scheduler { try scheduler.validate(training: training) }
        try seeds.validate(training: training, task: model.task)
        if let tune { try tune.validate() }
    }

    private func validateData() throws {
        let d = data
        try require(d.labelColumn != nil || d.labelColumns != nil, "data.label_column", kind: .missingKey,
                    "data.label_column is required (the column to predict)"
                        + (model.task == .multilabel ? "; for multilabel give data.label_columns: [a, b, ...]" : ""))
        try require(d.labelColumn == nil || d.labelColumns == nil, "data.label_columns",
                    "data.label_column and data.label_columns are both given; keep one")
        if let columns = d.labelColumns {
            try require(!columns.isEmpty, "data.label_columns", "data.label_columns is empty; list the label columns")
            try require(model.task == .multilabel || model.task == .regression || columns.count == 1,
                        "data.label_columns", "data.label_columns lists \(columns.count) columns but a \(model.task.rawValue) "
                            + "task predicts one; use data.label_column")
        }
        try require((0..<1).contains(d.validationSplit), "data.validation_split",
                    "data.validation_split is \(d.validationSplit); it must lie in [0, 1)")
        try require((0..<1).contains(d.testSize), "data.test_size", "data.test_size is \(d.testSize); it must lie in [0, 1)")
        let heldOut = (d.validationPath == nil ? d.validationSplit : 0) + (d.testPath == nil ? d.testSize : 0)
        try require(heldOut < 1, "data.test_size",
                    "data.validation_split + data.test_size is \(heldOut); it must be below 1 to leave training rows")
        try require(d.delimiter.count == 1, "data.delimiter", "data.delimiter '\(d.delimiter)' must be one character")
    }

    private func validateModel() throws {
        try require(model.layers.allSatisfy { $0 > 0 }, "model.layers",
                    "model.layers \(model.layers) must hold positive widths")
        try require((0..<1).contains(model.dropout), "model.dropout", "model.dropout \(model.dropout) must lie in [0, 1)")
    }

    private func validateTraining() throws {
        let t = training
        try require(t.epochs > 0 || t.maxSteps != nil, "training.epochs", "training.epochs is \(t.epochs); it must be positive")
        if let maxSteps = t.maxSteps {
            try require(maxSteps > 0, "training.max_steps", "training.max_steps is \(maxSteps); it must be positive")
        }
        try require(t.batchSize > 0, "training.batch_size", "training.batch_size is \(t.batchSize); it must be positive")
        if let devices = t.devices {
            try require(devices > 0, "training.devices", "training.devices is \(devices); it must be a positive number of processes")
            try require(devices == 1 || t.strategy != .single, "training.devices",
                        "training.devices is \(devices) but training.strategy is single; set training.strategy: ddp or devices: 1")
            try require(devices <= t.batchSize, "training.devices",
                        "training.devices is \(devices) but training.batch_size (the global batch) is \(t.batchSize); "
                            + "each process needs at least one row per batch: raise batch_size or lower devices")
        }
        if let size = t.evalBatchSize {
            try require(size > 0, "training.eval_batch_size", "training.eval_batch_size is \(size); it must be positive")
        }
        try require(t.learningRate > 0, "training.learning_rate",
                    "training.learning_rate is \(t.learningRate); it must be positive")
        try require(t.betas.count == 2 && t.betas.allSatisfy { (0..<1).contains($0) }, "training.betas",
                    "training.betas \(t.betas) must be two numbers in [0, 1), e.g. [0.9, 0.999]")
        try require(t.effectiveMomentum >= 0, "training.momentum", "training.momentum must be non-negative")
        try require(!t.nesterov || ([.sgd, .momentum].contains(t.optimizer) && t.effectiveMomentum > 0),
                    "training.nesterov", "training.nesterov needs optimizer sgd or momentum with a positive momentum")
        try require(t.effectiveEpsilon >= 0, "training.epsilon", "training.epsilon must be non-negative")
        try require(t.l2Regularization >= 0, "training.l2_regularization", "training.l2_regularization must be non-negative")
        try require(t.weightDecay >= 0, "training.weight_decay", "training.weight_decay must be non-negative")
        try require(t.huberDelta > 0, "training.huber_delta", "training.huber_delta must be positive")
        try require((0...1).contains(t.labelSmoothing), "training.label_smoothing",
                    "training.label_smoothing \(t.labelSmoothing) must lie in [0, 1]")
        if let loss = t.loss {
            let accepted = model.task.acceptedLosses
            try require(accepted.contains(loss), "training.loss",
                        "training.loss \(loss.rawValue) does not fit a \(model.task.rawValue) task; use one of "
                            + accepted.map(\.rawValue).joined(separator: ", "))
        }
        try require(t.gradientAccumulationSteps > 0, "training.gradient_accumulation_steps",
                    "training.gradient_accumulation_steps must be at least 1")
        if let clip = t.gradientClipVal {
            try require(clip >= 0, "training.gradient_clip_val", "training.gradient_clip_val must be non-negative")
        }
        try validate(t.limitTrainBatches, "training.limit_train_batches", allowZero: false)
        try validate(t.limitValBatches, "training.limit_val_batches", allowZero: true)
        try validate(t.overfitBatches, "training.overfit_batches", allowZero: true)
        if t.evalStrategy == .steps {
            try require((t.evalSteps ?? 0) > 0, "training.eval_strategy",
                        "training.eval_strategy is steps, so training.eval_steps must be a positive number of steps")
        }
        try require(!t.loadBestModelAtEnd || t.evalStrategy != .no, "training.load_best_model_at_end",
                    "training.load_best_model_at_end needs validation; set training.eval_strategy to epoch or steps")
        try require(t.logEveryNSteps > 0, "training.log_every_n_steps", "training.log_every_n_steps must be positive")
        if let metrics = t.metrics {
            try require(!metrics.isEmpty, "training.metrics", "training.metrics is empty; remove it to use the task's defaults")
            let valid = MetricFactory.names(for: model.task.metricTask)
            for (index, name) in metrics.enumerated() where !valid.contains(name.lowercased()) {
                throw ConfigError(kind: .invalidValue, keyPath: "training.metrics[\(index)]",
                                  message: "training.metrics: '\(name)' is not a \(model.task.rawValue) metric; valid: "
                                      + valid.joined(separator: ", "))
            }
        }
    }

    private func validate(_ limit: BatchLimit, _ path: String, allowZero: Bool) throws {
        switch limit {
        case .count(let count):
            try require(count > 0 || (allowZero && count == 0), path,
                        "\(path) is \(count); give a number of batches \(allowZero ? ">= 0" : ">= 1") or a fraction")
        case .fraction(let fraction):
            try require((allowZero ? fraction >= 0 : fraction > 0) && fraction <= 1, path,
                        "\(path) is \(fraction); a fraction must lie in \(allowZero ? "[0" : "(0"), 1]")
        }
    }
}

extension CheckpointConfig {
    func validate(training: TrainingConfig) throws {
        if saveStrategy == .steps {
            try require((saveSteps ?? 0) > 0, "training.checkpoint.save_strategy",
                        "training.checkpoint.save_strategy is steps, so training.checkpoint.save_steps must be positive")
        }
        // ModelCheckpoint traps on a non-positive step count even when the strategy does not use it.
        if let saveSteps {
            try require(saveSteps > 0, "training.checkpoint.save_steps", "training.checkpoint.save_steps must be positive")
        }
        try require(saveStrategy != .best || training.evalStrategy != .no, "training.checkpoint.save_strategy",
                    "training.checkpoint.save_strategy best needs validation; set training.eval_strategy to epoch or steps")
        try require(saveTopK >= -1, "training.checkpoint.save_top_k", "training.checkpoint.save_top_k must be -1 (all) or more")
        if let limit = saveTotalLimit {
            try require(limit >= 0, "training.checkpoint.save_total_limit", "training.checkpoint.save_total_limit must be non-negative")
        }
        try require(checkpointInterval > 0, "training.checkpoint.checkpoint_interval",
                    "training.checkpoint.checkpoint_interval must be positive")
    }
}

extension EarlyStoppingConfig {
    func validate() throws {
        try require(patience >= 0, "training.early_stopping.patience", "training.early_stopping.patience must be non-negative")
        try require(minDelta >= 0, "training.early_stopping.min_delta", "training.early_stopping.min_delta must be non-negative")
        try require(startFromStep >= 0, "training.early_stopping.start_from_step",
                    "training.early_stopping.start_from_step must be non-negative (validation checks within that many steps are not judged)")
    }
}

extension SchedulerConfig {
    func validate(training: TrainingConfig) throws {
        let prefix = "training.scheduler"
        try require(warmupSteps == nil || warmupRatio == nil, "\(prefix).warmup_ratio",
                    "\(prefix).warmup_steps and \(prefix).warmup_ratio are both given; keep one")
        if let steps = warmupSteps { try require(steps >= 0, "\(prefix).warmup_steps", "\(prefix).warmup_steps must be non-negative") }
        if let ratio = warmupRatio {
            try require((0..<1).contains(ratio), "\(prefix).warmup_ratio", "\(prefix).warmup_ratio \(ratio) must lie in [0, 1)")
        }
        let warmupTypes: [SchedulerKind] = [.constant, .linearWarmup, .cosineWarmup]
        try require((warmupSteps == nil && warmupRatio == nil) || warmupTypes.contains(type), "\(prefix).type",
                    "\(prefix).type \(type.rawValue) has no warmup; use linear_warmup, cosine_warmup or constant with "
                        + "warmup_steps / warmup_ratio")
        switch type {
        case .step:
            try require((stepSize ?? 0) > 0, "\(prefix).step_size", "\(prefix).type step needs a positive \(prefix).step_size")
        case .multistep:
            try require(!milestones.isEmpty, "\(prefix).milestones", "\(prefix).type multistep needs \(prefix).milestones, e.g. [10, 20]")
        case .exponential:
            try require(gamma > 0 && gamma <= 1, "\(prefix).gamma", "\(prefix).gamma \(gamma) must lie in (0, 1]")
        case .oneCycle:
            try require(pctStart > 0 && pctStart < 1, "\(prefix).pct_start", "\(prefix).pct_start \(pctStart) must lie in (0, 1)")
        case .reduceOnPlateau:
            try require(factor > 0 && factor < 1, "\(prefix).factor", "\(prefix).factor \(factor) must lie in (0, 1)")
            try require(training.evalStrategy != .no, "\(prefix).type",
                        "\(prefix).type reduce_on_plateau needs validation; set training.eval_strategy to epoch or steps")
        case .constant, .cosine, .linearWarmup, .cosineWarmup:
            break
        }
        try require(patience >= 0, "\(prefix).patience", "\(prefix).patience must be non-negative")
    }
}

/// Throws an `invalidValue` (or `kind`) `ConfigError` about `keyPath` unless `condition` holds.
func require(_ condition: Bool, _ keyPath: String, kind: ConfigError.Kind = .invalidValue,
             _ message: @autoclosure () -> String) throws {
    if !condition { throw ConfigError(kind: kind, keyPath: keyPath, message: message()) }
}
