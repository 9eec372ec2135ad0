import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeTensor
import Foundation

/// A trained model with its preprocessing, loaded from a bundle directory (`<run>/model/`):
/// `model.safetensors`, `model.json` (architecture, task, class names) and `preprocessor.json`.
///
/// ```swift
/// let model = try FledgeModel.load(from: URL(fileURLWithPath: "runs/my-run/model"))
/// let predictions = try model.predict(CSVReader.read(path: "new.csv"))
/// ```
public final class FledgeModel {
    /// The weights file of a bundle.
    public static let weightsFile = "model.safetensors"
    /// The architecture/task file of a bundle.
    public static let descriptionFile = "model.json"
    /// The fitted preprocessing of a bundle.
    public static let preprocessorFile = "preprocessor.json"

    /// What the bundle's `model.json` says.
    public let info: ModelDescription
    /// The preprocessing fitted on the training rows.
    public let preprocessor: Preprocessor
    /// The network (in evaluation mode).
    public let network: any Layer
    /// The task: how outputs become scores and predictions.
    public let task: TaskSpec

    /// Wraps a trained network with its description and preprocessing.
    public init(network: any Layer, info: ModelDescription, preprocessor: Preprocessor) throws {
        self.network = network
        self.info = info
        self.preprocessor = preprocessor
        var task = try TaskSpec(kind: info.task, outputCount: info.outputSize, loss: info.loss)
        if let delta = info.huberDelta { task.huberDelta = delta }
        if let smoothing = info.labelSmoothing { task.labelSmoothing = smoothing }
        self.task = task
        network.eval()
    }

    /// Loads a bundle; `from` may also be a run directory (its `model/` is used). Throws
    /// `ModelBundleError` naming the file and what to do when something is missing or unreadable.
    public static func load(from url: URL) throws -> FledgeModel {
        let (directory, info, network) = try loadNetwork(from: url)
        let preprocessor: Preprocessor
        let file = directory.appendingPathComponent(preprocessorFile)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ModelBundleError.missingFile(bundle: directory.path, file: preprocessorFile)
        }
        do {
            preprocessor = try Preprocessor.read(from: file)
        } catch {
            throw ModelBundleError.unreadable(file: file.path, reason: "\(error)")
        }
        return try FledgeModel(network: network, info: info, preprocessor: preprocessor)
    }

    /// The bundle directory (`url` or its `model/`), its description and its MLP with the trained
    /// weights, without the tabular preprocessing: for models whose inputs are made elsewhere
    /// (FledgeEvents' features). Throws `ModelBundleError` as `load(from:)` does.
    public static func loadNetwork(from url: URL) throws -> (directory: URL, info: ModelDescription, network: any Layer) {
        var directory = url
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: directory.appendingPathComponent(descriptionFile).path),
           fileManager.fileExists(atPath: directory.appendingPathComponent("model").appendingPathComponent(descriptionFile).path) {
            directory = directory.appendingPathComponent("model")
        }
        guard fileManager.fileExists(atPath: directory.path) else { throw ModelBundleError.notFound(path: url.relativePath) }
        func file(_ name: String) throws -> URL {
            let file = directory.appendingPathComponent(name)
            guard fileManager.fileExists(atPath: file.path) else {
                throw ModelBundleError.missingFile(bundle: directory.path, file: name)
            }
            return file
        }
        let info: ModelDescription
        do {
            info = try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: file(descriptionFile)))
        } catch let error as ModelBundleError {
            throw error
        } catch {
            throw ModelBundleError.unreadable(file: directory.appendingPathComponent(descriptionFile).path, reason: "\(error)")
        }
        guard info.formatVersion == ModelDescription.currentFormatVersion else {
            throw ModelBundleError.unreadable(file: directory.appendingPathComponent(descriptionFile).path,
                                             reason: "format version \(info.formatVersion); this Fledge reads \(ModelDescription.currentFormatVersion)")
        }
        guard info.architecture == "mlp" else { throw ModelBundleError.customArchitecture(bundle: directory.path) }
        let network = try MLP(inputSize: info.inputSize, layers: info.layers, outputSize: info.outputSize,
                              activation: info.activation, dropout: info.dropout, normalization: info.normalization)
        let weights = try file(weightsFile)
        do {
            try network.load(from: weights)
        } catch {
            throw ModelBundleError.unreadable(file: weights.path, reason: "\(error)")
        }
        network.eval()
        return (directory, info, network)
    }

    /// The model's outputs for every row of `table` (or only `rows`; labels not needed), with the
    /// ids of the configured id column. Throws `DataError` for rows the preprocessing cannot read.
    public func predict(_ table: DataTable, rows: [Int]? = nil) throws -> Predictions {
        let dataset = try preprocessor.transform(table, rows: rows, requireLabels: false)
        let logits = withoutGradients { network(dataset.features) }
        return Predictions(task: info.task, classNames: info.classNames, ids: dataset.ids,
                           scores: task.scores(fromLogits: logits), predictions: task.predictions(fromLogits: logits))
    }

    /// Loss and metrics on the labelled rows of `table` (or only `rows`; the bundle's metrics unless
    /// `metrics` names others). Throws `DataError` for unreadable rows or labels unseen in training.
    public func evaluate(_ table: DataTable, rows: [Int]? = nil, metrics names: [String]? = nil) throws -> [String: Double] {
        let dataset = try preprocessor.transform(table, rows: rows, requireLabels: true)
        var metrics: [any Metric] = []
        for name in names ?? info.metrics {
            metrics.append(try MetricFactory.make(name: name, task: task.metricTask, classCount: task.metricClassCount))
        }
        return try Evaluator(task: task, model: network, metrics: metrics).measure(dataset, batchSize: 1024)
    }
}

/// Why a model bundle could not be loaded.
public enum ModelBundleError: Error, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case notFound(path: String)
    /// A bundle file is missing.
    case missingFile(bundle: String, file: String)
    /// A bundle file could not be decoded.
    case unreadable(file: String, reason: String)
    /// The model was built in Swift, so its architecture cannot be rebuilt from `model.json`.
    case customArchitecture(bundle: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "model \(path) does not exist; pass a run directory or its model/ folder"
        case .missingFile(let bundle, let file):
            "model bundle \(bundle) has no \(file); it is incomplete, train again or copy the whole model/ folder"
        case .unreadable(let file, let reason):
            "cannot read \(file): \(reason)"
        case .customArchitecture(let bundle):
            "model bundle \(bundle) holds a custom Swift model; build the network in Swift and use FledgeModel(network:info:preprocessor:) after loading its weights"
        }
    }
}
