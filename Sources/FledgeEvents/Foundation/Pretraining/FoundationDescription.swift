import FledgeNN
import Foundation

/// What `foundation.json` of a checkpoint says: the pretraining config, how inputs are computed
/// (features, scaling, start of history) and the network's shape, so `FoundationModel.load`
/// rebuilds exactly the pretrained model and fine-tuning inherits its settings.
public struct FoundationDescription: Codable, Sendable {
    /// The version of this format (1).
    public var formatVersion = FoundationDescription.currentFormatVersion
    /// The whole pretraining config (sources, dates, representation, network, training).
    public var config: PretrainConfig
    /// The event features (the first `featureCount` inputs).
    public var layout: FeatureLayout
    /// The standardisation of the inputs, fitted on the first epoch's training inputs.
    public var scaler: FeatureScaler
    /// The start of history (seconds since 1970).
    public var dataStart: Int64
    /// The backbone's widths.
    public var hiddenLayers: [Int]
    /// The dropout after each hidden layer.
    public var dropout: Double
    /// The hidden activation.
    public var activation: Activation
    /// The normalisation after each hidden Linear.
    public var normalization: FledgeNN.Normalization
    /// Inputs per sample: `featureCount` features then the representation's `inputWidth` sketch values.
    public var inputWidth: Int
    /// The event features among the inputs.
    public var featureCount: Int
    /// The head's outputs: one logit per sketch bucket (`partitions × buckets`).
    public var outputWidth: Int
    /// Sketch partitions K (the loss's softmax runs within each).
    public var partitions: Int
    /// The last split point training could draw (seconds since 1970).
    public var trainingMaxSplit: Int64
    /// The validation split point (seconds since 1970); the representation and scaler saw nothing at or after it.
    public var validationStart: Int64
    /// Training samples per epoch and validation samples.
    public var trainingSamples: Int, validationSamples: Int
    /// The final validation values (`val_loss`, `val_recall@k`, `val_baseline_loss`).
    public var validationMetrics: [String: Double]

    /// The format this build writes.
    public static let currentFormatVersion = 1

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url)
    }
}
