/// The number format a model computes its matrix products in, named as PyTorch Lightning's
/// `precision` argument names it.
///
/// - `float32` (`"32-true"`, the default): everything in Float32.
/// - `bfloat16Mixed` (`"bf16-mixed"`): the GEMMs of `Tensor.linear` read bf16 operands (the layer
///   input and a bf16 copy of the weight) and accumulate in Float32 into a Float32 result; the
///   backward pass keeps those bf16 operands instead of Float32 ones, which halves the memory of
///   stored activations. Master weights, gradients and optimizer state stay Float32.
///
/// Lightning's other values either mean one of these (`32`, `"bf16"`) or cannot work in this CPU
/// engine (`16-mixed`, `16-true`, `bf16-true`, `64-true`); `init(name:)` says why for each.
public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
    /// Float32 everywhere (Lightning's `32-true`).
    case float32 = "32-true"
    /// bf16 GEMM operands, Float32 accumulation and master weights (Lightning's `bf16-mixed`).
    case bfloat16Mixed = "bf16-mixed"

    /// The names `init(name:)` accepts, canonical first.
    public static let acceptedNames = ["32-true", "32", "fp32", "float32", "bf16-mixed", "bf16", "bfloat16"]

    /// Parses a Lightning-style name (case-insensitive; `_` for `-` accepted). Throws
    /// `UnsupportedPrecisionError` saying why for names that cannot work here (float16, float64,
    /// pure bf16) and listing the valid names for unknown ones.
    public init(name: String) throws {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "32-true", "32", "fp32", "float32", "float", "full": self = .float32
        case "bf16-mixed", "bf16", "bfloat16", "bfloat16-mixed": self = .bfloat16Mixed
        case "bf16-true":
            throw UnsupportedPrecisionError(name: name, reason:
                "keeps the weights themselves in bf16 with no Float32 master copy, which loses small updates "
                + "and is not implemented")
        case "16-mixed", "16-true", "16", "fp16", "float16", "half", "transformer-engine", "transformer-engine-float16":
            throw UnsupportedPrecisionError(name: name, reason:
                "float16 needs loss scaling and a float16 GEMM, which CPUs do not have (bf16 has Float32's range "
                + "and needs neither)")
        case "64-true", "64", "fp64", "float64", "double":
            throw UnsupportedPrecisionError(name: name, reason: "Fledge's tensors hold Float32; there is no float64 engine")
        default:
            throw UnsupportedPrecisionError(name: name, reason: nil)
        }
    }

    public init(from decoder: Decoder) throws {
        try self.init(name: decoder.singleValueContainer().decode(String.self))
    }
}

/// A precision name that is unknown or cannot work on this engine, with the reason and the names
/// that work.
public struct UnsupportedPrecisionError: Error, Equatable, CustomStringConvertible {
    /// The name given.
    public let name: String
    /// Why it cannot work, or nil for a name that is not a precision at all.
    public let reason: String?

    /// The canonical names that work.
    public var supported: [String] { Precision.allCases.map(\.rawValue) }

    public var description: String {
        let options = "use \(supported.joined(separator: " or ")) (also accepted: \(Precision.acceptedNames.joined(separator: ", ")))"
        guard let reason else { return "unknown precision '\(name)'; \(options)" }
        return "precision '\(name)' cannot run on CPU in Fledge: it \(reason); \(options)"
    }
}
