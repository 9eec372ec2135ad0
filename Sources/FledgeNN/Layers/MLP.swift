import FledgeTensor

/// A multi-layer perceptron built from a config-style description: input size, hidden sizes
/// (`layers: [128, 64, 32]`), output size, activation, dropout, normalisation and seed.
///
/// Each hidden block is Linear → [BatchNorm1d | LayerNorm] → activation → [Dropout]; the output
/// layer is a plain Linear (logits). The blocks live in a `Sequential` named `layers`, so
/// parameters read `layers.0.weight`, and Linear → ReLU pairs run fused.
public final class MLP: Layer {
    /// The blocks in order.
    public let layers: Sequential
    /// The number of input features.
    public let inputSize: Int
    /// The hidden layer widths.
    public let hiddenSizes: [Int]
    /// The number of outputs.
    public let outputSize: Int
    public var isTraining = true

    /// Gradient checkpointing for deep networks: training keeps only the inputs of ⌈√blocks⌉
    /// segments and recomputes each segment's activations in backward (one more forward pass for
    /// less activation memory; gradients unchanged). Default false.
    public var gradientCheckpointing: Bool {
        get { layers.checkpointSegments != nil }
        set { if newValue { layers.useGradientCheckpointing() } else { layers.checkpointSegments = nil } }
    }

    /// Builds the network; all weights and dropout masks derive from `seed`.
    public init(inputSize: Int, layers hiddenSizes: [Int], outputSize: Int, activation: Activation = .relu,
                dropout: Float = 0, normalization: Normalization = .none, seed: UInt64 = 0) {
        precondition(inputSize > 0 && outputSize > 0 && hiddenSizes.allSatisfy { $0 > 0 },
                     "MLP: sizes must be positive (input \(inputSize), hidden \(hiddenSizes), output \(outputSize))")
        precondition((0..<1).contains(dropout), "MLP: dropout \(dropout) is outside [0, 1)")
        self.inputSize = inputSize
        self.hiddenSizes = hiddenSizes
        self.outputSize = outputSize
        var generator = SeededGenerator(seed: seed)
        var blocks = Self.hiddenBlocks(inputSize: inputSize, layers: hiddenSizes, activation: activation,
                                       dropout: dropout, normalization: normalization, generator: &generator)
        blocks.append(Linear(inputSize: hiddenSizes.last ?? inputSize, outputSize: outputSize, generator: &generator))
        self.layers = Sequential(blocks)
    }

    /// The hidden blocks of an MLP without its output layer (Linear → [norm] → activation →
    /// [Dropout] per width), drawing weights from `generator` in the order `init` does: for
    /// networks that put their own head on top (a foundation model's backbone).
    public static func hiddenBlocks(inputSize: Int, layers hiddenSizes: [Int], activation: Activation = .relu,
                                    dropout: Float = 0, normalization: Normalization = .none,
                                    generator: inout SeededGenerator) -> [any Layer] {
        var blocks: [any Layer] = []
        var width = inputSize
        for (index, hidden) in hiddenSizes.enumerated() {
            blocks.append(Linear(inputSize: width, outputSize: hidden, generator: &generator))
            switch normalization {
            case .none: break
            case .batch: blocks.append(BatchNorm1d(featureCount: hidden))
            case .layer: blocks.append(LayerNorm(hidden))
            }
            blocks.append(activation.makeLayer())
            if dropout > 0 {
                blocks.append(Dropout(probability: dropout, generator: generator.derived(stream: UInt64(index + 1))))
            }
            width = hidden
        }
        return blocks
    }

    /// Builds the network with the activation and normalisation given by name, as in a YAML config;
    /// throws `UnknownOptionError` for an unknown name.
    public convenience init(inputSize: Int, layers hiddenSizes: [Int], outputSize: Int, activation: String,
                            dropout: Float = 0, normalization: String = "none", seed: UInt64 = 0) throws {
        self.init(inputSize: inputSize, layers: hiddenSizes, outputSize: outputSize,
                  activation: try Activation(name: activation), dropout: dropout,
                  normalization: try Normalization(name: normalization), seed: seed)
    }

    public var children: [(name: String, module: any Module)] { [("layers", layers)] }

    /// Maps `[N, inputSize]` to `[N, outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor { layers(input) }
}
