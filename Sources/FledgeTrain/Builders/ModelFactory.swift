import FledgeNN

/// Builds the network a `model:` section describes.
public enum ModelFactory {
    /// The MLP of `config` (`layers`, `activation`, `dropout`, `normalization`,
    /// `gradient_checkpointing`) from `inputSize` features to `outputSize` outputs (see
    /// `TaskSpec.outputSize`); weights and dropout masks derive from `seed` (usually `experiment.seed`).
    public static func makeMLP(_ config: ModelConfig, inputSize: Int, outputSize: Int, seed: UInt64) -> MLP {
        let model = MLP(inputSize: inputSize, layers: config.layers, outputSize: outputSize, activation: config.activation,
                        dropout: Float(config.dropout), normalization: config.normalization, seed: seed)
        model.gradientCheckpointing = config.gradientCheckpointing
        return model
    }

    /// The model `config` describes (only `type: mlp` exists).
    public static func make(_ config: ModelConfig, inputSize: Int, outputSize: Int, seed: UInt64) -> any Layer {
        switch config.type {
        case .mlp: makeMLP(config, inputSize: inputSize, outputSize: outputSize, seed: seed)
        }
    }
}
