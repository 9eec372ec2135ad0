import FledgeData
import FledgeNN
import Foundation

/// The contents of a model bundle's `model.json`: what to rebuild and how to read its outputs.
public struct ModelDescription: Codable, Equatable, Sendable {
    /// The layout version this code writes.
    public static let currentFormatVersion = 1

    /// The layout version of the file.
    public var formatVersion = ModelDescription.currentFormatVersion
    /// `mlp` for models Fledge can rebuild; `custom` for models built in Swift.
    public var architecture: String
    /// The task the model was trained for.
    public var task: TaskKind
    /// Input features after preprocessing.
    public var inputSize: Int
    /// Hidden layer widths (MLP).
    public var layers: [Int]
    /// Outputs (logits).
    public var outputSize: Int
    /// Hidden activation name (MLP).
    public var activation: String
    /// Dropout probability (MLP).
    public var dropout: Float
    /// `none`, `batch` or `layer` (MLP).
    public var normalization: String
    /// Class names in output order (binary, multiclass) or label names (multilabel).
    public var classNames: [String]
    /// The metrics to report by default when evaluating.
    public var metrics: [String]
    /// The named loss the model was trained with (`evaluate` reports it); nil in bundles written
    /// before it was recorded, or when a Swift loss closure was used: then the task's default.
    public var loss: LossKind?
    /// Huber δ and label smoothing of that loss, when it has them.
    public var huberDelta: Float?
    public var labelSmoothing: Float?

    /// Creates a description.
    public init(architecture: String, task: TaskKind, inputSize: Int, layers: [Int], outputSize: Int,
                activation: String, dropout: Float, normalization: String, classNames: [String], metrics: [String],
                loss: LossKind? = nil, huberDelta: Float? = nil, labelSmoothing: Float? = nil) {
        self.architecture = architecture
        self.task = task
        self.inputSize = inputSize
        self.layers = layers
        self.outputSize = outputSize
        self.activation = activation
        self.dropout = dropout
        self.normalization = normalization
        self.classNames = classNames
        self.metrics = metrics
        self.loss = loss
        self.huberDelta = huberDelta
        self.labelSmoothing = labelSmoothing
    }
}

extension Trainer {
    /// The description of the trained model for `model.json`.
    var modelDescription: ModelDescription {
        let modelConfig = config.model
        let mlp = model as? MLP
        return ModelDescription(
            architecture: mlp == nil ? "custom" : "mlp", task: task,
            inputSize: mlp?.inputSize ?? data.train.features.shape[1], layers: mlp?.hiddenSizes ?? [],
            outputSize: mlp?.outputSize ?? 0, activation: modelConfig.activation.rawValue,
            dropout: Float(modelConfig.dropout), normalization: modelConfig.normalization.rawValue, classNames: data.classNames, metrics: metrics.map(\.name),
            loss: config.training.loss ?? task.defaultLoss, huberDelta: Float(config.training.huberDelta),
            labelSmoothing: Float(config.training.labelSmoothing))
    }

    /// Writes the final model bundle: `model.safetensors`, `model.json` and `preprocessor.json`.
    func saveModelBundle(to directory: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        try model.save(to: directory.appendingPathComponent(FledgeModel.weightsFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(modelDescription).write(to: directory.appendingPathComponent(FledgeModel.descriptionFile))
        if let preprocessor = data.preprocessor {
            try preprocessor.write(to: directory.appendingPathComponent(FledgeModel.preprocessorFile))
        }
    }
}
