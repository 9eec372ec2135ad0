import FledgeNN
import FledgeTensor
import Foundation

/// A pretrained foundation model reloaded from its checkpoint, `<run>/foundation/`:
///
/// - `model.safetensors`: the `FoundationNetwork` state dict (`backbone.*`, `head.*`);
/// - `foundation.json`: the `FoundationDescription` (config, feature layout, scaler, shapes);
/// - `representation.json` / `representation.safetensors`: the `BehaviouralRepresentation`.
///
/// ```swift
/// let foundation = try FoundationModel.load(from: URL(fileURLWithPath: "runs/shop-foundation"))
/// let store = try EventDatasets.openStore(foundation.description.config.eventsConfig)
/// let samples = SampleBuilder.predictionSamples(store: store, dataStart: foundation.description.dataStart, at: date)
/// let inputs = foundation.inputs(store: store, samples: samples.samples)       // as in pretraining
/// let next = foundation.itemScores(inputs: inputs)                             // [N, items]
/// ```
public final class FoundationModel {
    /// The checkpoint folder inside a run directory.
    public static let directoryName = "foundation"
    /// The weights file.
    public static let weightsFile = "model.safetensors"
    /// The description file.
    public static let descriptionFile = "foundation.json"

    /// What `foundation.json` says.
    public let description: FoundationDescription
    /// The item embeddings and sketches.
    public let representation: BehaviouralRepresentation
    /// The network (evaluation mode after loading).
    public let network: FoundationNetwork

    /// Wraps the parts of a checkpoint.
    public init(description: FoundationDescription, representation: BehaviouralRepresentation, network: FoundationNetwork) {
        self.description = description
        self.representation = representation
        self.network = network
    }

    /// Loads a checkpoint folder, or the run directory that holds it in `foundation/`.
    /// - Throws: `EventsError.invalidModel` naming the path and the missing or unreadable file.
    public static func load(from url: URL) throws -> FoundationModel {
        let fileManager = FileManager.default
        var directory = url
        if !fileManager.fileExists(atPath: directory.appendingPathComponent(descriptionFile).path),
           fileManager.fileExists(atPath: directory.appendingPathComponent(directoryName).appendingPathComponent(descriptionFile).path) {
            directory = directory.appendingPathComponent(directoryName)
        }
        guard fileManager.fileExists(atPath: directory.path) else {
            throw EventsError.invalidModel(path: url.path, reason: "no such folder; give a pretraining run directory or its foundation/ folder (fledge pretrain prints it)")
        }
        let file = directory.appendingPathComponent(descriptionFile)
        guard fileManager.fileExists(atPath: file.path) else {
            throw EventsError.invalidModel(path: directory.path, reason: "no \(descriptionFile); this is not a foundation-model checkpoint (fledge pretrain writes <run>/foundation/)")
        }
        let description: FoundationDescription
        do {
            description = try JSONDecoder().decode(FoundationDescription.self, from: Data(contentsOf: file))
        } catch {
            throw EventsError.invalidModel(path: file.path, reason: "cannot be read (\(error)); pretrain again")
        }
        guard description.formatVersion <= FoundationDescription.currentFormatVersion else {
            throw EventsError.invalidModel(path: file.path, reason: "format version \(description.formatVersion) is newer than this Fledge reads (\(FoundationDescription.currentFormatVersion)); update Fledge")
        }
        let representation: BehaviouralRepresentation
        do {
            representation = try BehaviouralRepresentation.load(from: directory)
        } catch {
            throw EventsError.invalidModel(path: directory.path, reason: "the representation cannot be read (\(error)); pretrain again")
        }
        guard description.inputWidth == description.featureCount + representation.inputWidth,
              description.outputWidth == representation.sketchWidth else {
            throw EventsError.invalidModel(path: file.path, reason: "the network takes \(description.inputWidth) inputs and gives \(description.outputWidth) outputs, but the features and representation make \(description.featureCount + representation.inputWidth) and \(representation.sketchWidth); the files come from different runs")
        }
        let network = FoundationNetwork(inputSize: description.inputWidth, hiddenLayers: description.hiddenLayers,
                                        dropout: description.dropout, outputSize: description.outputWidth, seed: 0,
                                        activation: description.activation, normalization: description.normalization)
        let weights = directory.appendingPathComponent(weightsFile)
        guard fileManager.fileExists(atPath: weights.path) else {
            throw EventsError.invalidModel(path: directory.path, reason: "no \(weightsFile); the checkpoint is incomplete, pretrain again")
        }
        do {
            try network.load(from: weights)
        } catch {
            throw EventsError.invalidModel(path: weights.path, reason: "does not hold this network's weights (\(error)); pretrain again")
        }
        network.eval()
        return FoundationModel(description: description, representation: representation, network: network)
    }

    /// Writes the checkpoint into `directory` (created if needed): weights, description, representation.
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try network.save(to: directory.appendingPathComponent(Self.weightsFile),
                         metadata: ["format": "fledge-foundation", "version": String(description.formatVersion)])
        try description.write(to: directory.appendingPathComponent(Self.descriptionFile))
        try representation.save(to: directory)
    }

    /// The standardised inputs `[N, inputWidth]` of `samples` (features ⊕ input sketches), exactly as in pretraining.
    public func inputs(store: EventStore, samples: [SplitSample]) -> Tensor {
        Self.inputs(layout: description.layout, representation: representation, scaler: description.scaler,
                    store: store, samples: samples, dataStart: description.dataStart)
    }

    /// The predicted sketch of the next events `[N, partitions × buckets]`, a distribution per partition.
    public func sketchProbabilities(inputs: Tensor) -> Tensor {
        withoutGradients { FledgeEvents.sketchProbabilities(network(inputs), partitions: description.partitions) }
    }

    /// Scores `[N, items]` of every item of the representation for the next events (the decoded sketch).
    public func itemScores(inputs: Tensor) -> Tensor {
        representation.itemScores(sketchProbabilities: sketchProbabilities(inputs: inputs))
    }

    /// Unscaled inputs `[N, layout.count + inputWidth]`: the `FeatureExtractor` features of `layout`
    /// then the representation's input sketches, both written straight into the one matrix.
    static func rawInputs(layout: FeatureLayout, representation: BehaviouralRepresentation, store: EventStore,
                          samples: [SplitSample], dataStart: Int64) -> Tensor {
        let featureCount = layout.count, width = featureCount + representation.inputWidth
        var result = Tensor.zeros([samples.count, width])
        result.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            FeatureExtractor(layout: layout, store: store, dataStart: dataStart).write(samples, to: base, rowStride: width)
            representation.writeInputSketches(store: store, samples: samples, dataStart: dataStart,
                                              to: base + featureCount, rowStride: width)
        }
        return result
    }

    /// `rawInputs` standardised in place with `scaler`: the inputs of pretraining, fine-tuning and prediction.
    static func inputs(layout: FeatureLayout, representation: BehaviouralRepresentation, scaler: FeatureScaler,
                       store: EventStore, samples: [SplitSample], dataStart: Int64) -> Tensor {
        var inputs = rawInputs(layout: layout, representation: representation, store: store, samples: samples, dataStart: dataStart)
        scaler.apply(to: &inputs)
        return inputs
    }
}
