import FledgeNN
import FledgeTensor
import Foundation

extension Optimizer {
    /// Writes `stateDict()` to a safetensors file (e.g. a checkpoint's `optimizer.safetensors`),
    /// recording the optimizer type in the metadata as `optimizer`.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        var metadata = metadata
        metadata["optimizer"] = String(describing: type(of: self))
        try SafeTensors.write(stateDict(), metadata: metadata, to: url)
    }

    /// Loads a state written by `save(to:)`; throws `SafeTensorsError` for an unreadable file,
    /// `OptimizerStateError.optimizerTypeMismatch` when it was saved by another optimizer type, and
    /// the errors of `loadStateDict(_:)` otherwise. The optimizer is unchanged when this throws.
    public func load(from url: URL) throws {
        let (tensors, metadata) = try SafeTensors.readWithMetadata(from: url)
        let expected = String(describing: type(of: self))
        if let saved = metadata["optimizer"], saved != expected {
            throw OptimizerStateError.optimizerTypeMismatch(expected: expected, found: saved)
        }
        try loadStateDict(tensors)
    }
}
