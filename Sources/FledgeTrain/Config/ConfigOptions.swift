import FledgeData

// The named choices a config makes, each with its YAML spelling as the raw value.

/// What the model predicts (`model.task`): binary, multiclass, multilabel or regression. The
/// config uses the data layer's `TargetKind` itself, so a task needs no conversion.
public typealias TaskKind = TargetKind

extension TargetKind: ConfigOption {}
extension ColumnKind: ConfigOption {}
extension MissingValuePolicy: ConfigOption {}
extension CategoricalEncoding: ConfigOption {}

/// The optimizer (`training.optimizer`). `momentum` is SGD with `training.momentum` (default 0.9).
public enum OptimizerKind: String, ConfigOption {
    case sgd, momentum, adam, adamw, rmsprop, adagrad
}

/// How gradients are clipped when `training.gradient_clip_val` is set.
public enum GradientClipAlgorithm: String, ConfigOption {
    /// Scale all gradients so their global L2 norm is at most the value.
    case norm
    /// Clamp each gradient element to [-value, value].
    case value
}

/// When validation runs (`training.eval_strategy`).
public enum EvalStrategy: String, ConfigOption {
    /// After every epoch.
    case epoch
    /// Every `eval_steps` optimizer steps.
    case steps
    /// Never.
    case no
}

/// Whether a lower or a higher metric is better.
public enum MetricMode: String, ConfigOption {
    case min, max

    /// The direction of a metric from its name: losses and errors are minimised, the rest maximised.
    public static func inferred(forMetric name: String) -> MetricMode {
        let lowered = name.lowercased()
        let minimised = ["loss", "mse", "rmse", "mae", "error"]
        return minimised.contains { lowered.hasSuffix($0) } ? .min : .max
    }
}

/// When checkpoints are written (`training.checkpoint.save_strategy`).
public enum SaveStrategy: String, ConfigOption {
    /// Whenever the monitored metric improves (after a validation).
    case best
    /// Every `save_steps` optimizer steps.
    case steps
    /// After every `checkpoint_interval` epochs.
    case epoch
    /// Never (except `save_last`).
    case no
}

/// The learning-rate schedule (`training.scheduler.type`).
public enum SchedulerKind: String, ConfigOption {
    case constant, step, multistep, exponential, cosine
    case linearWarmup = "linear_warmup"
    case cosineWarmup = "cosine_warmup"
    case oneCycle = "one_cycle"
    case reduceOnPlateau = "reduce_on_plateau"

    /// Whether the schedule naturally counts optimizer steps (warmups, one-cycle) or epochs.
    public var defaultInterval: SchedulerInterval {
        switch self {
        case .linearWarmup, .cosineWarmup, .oneCycle, .constant, .cosine: .step
        case .step, .multistep, .exponential, .reduceOnPlateau: .epoch
        }
    }
}

/// Whether a schedule steps after every optimizer step or after every epoch.
public enum SchedulerInterval: String, ConfigOption {
    case step, epoch
}

/// A loss by name (`training.loss`); each task accepts some of them.
public enum LossKind: String, ConfigOption {
    /// Binary cross-entropy on logits (binary; also per label for multilabel).
    case bceWithLogits = "bce_with_logits"
    /// Softmax cross-entropy on logits and class indices (multiclass).
    case crossEntropy = "cross_entropy"
    /// Binary cross-entropy on logits, averaged over every label and sample (multilabel).
    case multilabelBCE = "multilabel_bce"
    /// PyTorch's multilabel soft-margin loss: per-label BCE averaged per sample (multilabel).
    case multilabelSoftMargin = "multilabel_soft_margin"
    /// Mean squared error (regression).
    case mse
    /// Mean absolute error (regression).
    case l1
    /// Huber loss with `training.huber_delta` (regression).
    case huber
}

/// The model architecture (`model.type`); only a multi-layer perceptron for now.
public enum ModelKind: String, ConfigOption {
    case mlp
}

/// An external logger the metrics also go to (`training.report_to`).
public enum ReportTarget: String, ConfigOption {
    /// TensorBoard event files under `<run>/tensorboard/`.
    case tensorboard
}

/// How training runs across processes (`training.strategy`).
public enum TrainingStrategy: String, ConfigOption {
    /// Data parallel when started by `mpirun -np N` with N > 1, else one process.
    case auto
    /// One process; an error under `mpirun -np N` with N > 1.
    case single
    /// Data parallel over MPI (FledgeDistributed): each rank trains on its shard of every batch.
    case ddp
}

/// Lightning's `accelerator`. Fledge trains on the CPU, so both values mean the same; the key is
/// accepted so Lightning-style configs (and fine-tuning configs that name it) load unchanged.
public enum Accelerator: String, ConfigOption {
    /// The CPU (the only device Fledge trains on).
    case auto
    /// The CPU.
    case cpu

    /// Parses `text`, explaining that GPU names are not available rather than only listing the valid ones.
    static func named(_ text: String, at path: [CodingKey]) throws -> Accelerator {
        if let value = Accelerator(configName: text) { return value }
        if ["gpu", "cuda", "mps", "tpu", "hpu", "ipu"].contains(text.lowercased()) {
            throw ConfigIssue.invalidValue(at: path, "'\(text)': Fledge trains on the CPU; write auto or cpu (training.devices with strategy: ddp runs several processes)")
        }
        throw ConfigIssue.invalidValue(at: path, "'\(text)' is not one of \(validNames)")
    }
}
