import FledgeTensor

/// Zeroes each element with probability `probability` during training and scales the survivors
/// by 1/(1 − p) ("inverted" dropout, as `torch.nn.Dropout`), so evaluation is the identity.
///
/// The layer owns its seeded generator: the same seed gives the same masks on every run, and the
/// generator's state can be checkpointed.
public final class Dropout: Layer {
    /// The probability of zeroing an element, in [0, 1].
    public let probability: Float
    /// The generator the masks are drawn from.
    public var generator: SeededGenerator
    public var isTraining = true

    /// Creates a dropout layer drawing its masks from a generator seeded with `seed`.
    public init(probability: Float, seed: UInt64 = 0) {
        precondition((0...1).contains(probability), "Dropout: probability \(probability) is outside [0, 1]")
        self.probability = probability
        self.generator = SeededGenerator(seed: seed)
    }

    /// Creates a dropout layer with the given generator.
    public init(probability: Float, generator: SeededGenerator) {
        precondition((0...1).contains(probability), "Dropout: probability \(probability) is outside [0, 1]")
        self.probability = probability
        self.generator = generator
    }

    /// Applies a fresh mask in training mode; returns `input` unchanged in evaluation mode or when p = 0.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        let keep = 1 - probability
        let scale: Float = keep > 0 ? 1 / keep : 0
        // The mask holds 0 or 1/(1 − p): the forward and the pullback are one multiply each.
        var mask = Tensor(uninitializedShape: input.shape)
        var result = Tensor(uninitializedShape: input.shape)
        let x = input.storage.base
        // A local copy keeps the generator in registers instead of going through the class per draw.
        var local = generator
        mask.withUnsafeMutableBufferPointer { m in
            result.withUnsafeMutableBufferPointer { out in
                for index in 0..<m.count {
                    m[index] = local.nextUniform() < keep ? scale : 0
                    out[index] = x[index] * m[index]
                }
            }
        }
        generator = local
        return Tensor.record(result, op: "dropout", inputs: [input]) { gradient, _ in
            var inputGradient = Tensor(uninitializedShape: gradient.shape)
            let g = gradient.storage.base, m = mask.storage.base
            inputGradient.withUnsafeMutableBufferPointer { out in
                for index in 0..<out.count { out[index] = g[index] * m[index] }
            }
            return [inputGradient]
        }
    }
}
