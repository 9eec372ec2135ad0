import FledgeTensor
import Foundation

extension Module {
    /// Writes the state dict to a safetensors file (loadable with Python's `safetensors.torch.load_file`).
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateDict(), metadata: metadata, to: url)
    }

    /// Loads parameters and buffers from a safetensors file; see `loadStateDict(_:strict:)`.
    public func load(from url: URL, strict: Bool = true) throws {
        try loadStateDict(SafeTensors.read(from: url), strict: strict)
    }
}
