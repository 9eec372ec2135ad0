import FledgeNN
import FledgeTensor

/// The network of a foundation model: a wide MLP backbone without an output layer, and a linear
/// head on top. Pretraining's head predicts the sketch logits of the next events; fine-tuning
/// replaces the head for its task (`replacingHead(outputSize:seed:)`) and keeps the backbone.
///
/// Parameters are named `backbone.<i>.weight` (the `MLP.hiddenBlocks` of `hiddenLayers`:
/// Linear → [norm] → activation → [Dropout] per width) and `head.weight` / `head.bias`, so a
/// state dict (`model.safetensors`) loads in PyTorch as `nn.Sequential` + `nn.Linear`.
public final class FoundationNetwork: Layer {
    /// The `NamePattern` of the backbone's parameters (`backbone.*`): what a warm start freezes and
    /// `fine_tuning.backbone_learning_rate_multiplier` scales.
    public static let backbonePattern = "backbone"
    /// The hidden blocks (a `Sequential`).
    public let backbone: any Layer
    /// The output layer.
    public var head: Linear
    public var isTraining = true
    /// The input width.
    public let inputSize: Int
    /// The backbone's widths.
    public let hiddenLayers: [Int]
    /// The dropout probability after each hidden layer.
    public let dropout: Double
    /// The activation of the hidden layers.
    public let activation: Activation
    /// The normalisation after each hidden Linear.
    public let normalization: FledgeNN.Normalization

    /// Builds the network; every weight and dropout mask derives from `seed` (the backbone from
    /// stream 0, the head from stream 1, so a new head does not change the backbone).
    public init(inputSize: Int, hiddenLayers: [Int], dropout: Double, outputSize: Int, seed: UInt64,
                activation: Activation = .relu, normalization: FledgeNN.Normalization = .none) {
        precondition(inputSize > 0 && outputSize > 0 && hiddenLayers.allSatisfy { $0 > 0 },
                     "FoundationNetwork: sizes must be positive (input \(inputSize), hidden \(hiddenLayers), output \(outputSize))")
        precondition((0..<1).contains(dropout), "FoundationNetwork: dropout \(dropout) is outside [0, 1)")
        self.inputSize = inputSize
        self.hiddenLayers = hiddenLayers
        self.dropout = dropout
        self.activation = activation
        self.normalization = normalization
        let root = SeededGenerator(seed: seed)
        var generator = root.derived(stream: 0)
        backbone = Sequential(MLP.hiddenBlocks(inputSize: inputSize, layers: hiddenLayers, activation: activation,
                                               dropout: Float(dropout), normalization: normalization,
                                               generator: &generator))
        head = Self.makeHead(inputSize: hiddenLayers.last ?? inputSize, outputSize: outputSize, root: root)
    }

    private static func makeHead(inputSize: Int, outputSize: Int, root: SeededGenerator) -> Linear {
        var generator = root.derived(stream: 1)
        return Linear(inputSize: inputSize, outputSize: outputSize, generator: &generator)
    }

    /// The width of the backbone's output (the head's input).
    public var backboneWidth: Int { hiddenLayers.last ?? inputSize }

    /// The number of outputs.
    public var outputSize: Int { head.outputSize }

    public var children: [(name: String, module: any Module)] { [("backbone", backbone), ("head", head)] }

    /// Maps `[N, inputSize]` to `[N, outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor { head(backbone(input)) }

    /// The backbone's output `[N, backboneWidth]` (the learned representation of each sample).
    public func embed(_ input: Tensor) -> Tensor { backbone(input) }

    /// A network with a copy of this backbone's weights and a new head of `outputSize` outputs,
    /// initialised from `seed` (stream 1, as in `init`). The two networks share no storage.
    public func replacingHead(outputSize: Int, seed: UInt64) -> FoundationNetwork {
        let copy = FoundationNetwork(inputSize: inputSize, hiddenLayers: hiddenLayers, dropout: dropout,
                                     outputSize: outputSize, seed: seed, activation: activation,
                                     normalization: normalization)
        let source = Dictionary(uniqueKeysWithValues: backbone.namedParameters.map { ($0.name, $0.parameter) })
        for (name, parameter) in copy.backbone.namedParameters {
            parameter.value = source[name]!.value.detached().copied()
            parameter.isTrainable = true
        }
        let buffers = Dictionary(uniqueKeysWithValues: backbone.namedBuffers.map { ($0.name, $0.buffer) })
        for (name, buffer) in copy.backbone.namedBuffers { buffer.value = buffers[name]!.value.copied() }
        copy.setTraining(isTraining)
        return copy
    }
}
