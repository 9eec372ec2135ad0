import FledgeTensor

/// An activation chosen by name, as configs write it (`relu`, `leaky_relu`, `gelu`, `gelu_tanh`,
/// `tanh`, `sigmoid`, `softplus`, `identity`).
public enum Activation: String, Sendable, Codable, CaseIterable {
    case relu
    case leakyRelu = "leaky_relu"
    case gelu
    case geluTanh = "gelu_tanh"
    case tanh
    case sigmoid
    case softplus
    case identity

    /// Parses a name case-insensitively, accepting `-` or no separator for `_` and `none`/`linear`
    /// for `identity`; throws `UnknownOptionError` listing the valid names otherwise.
    public init(name: String) throws {
        let key = name.lowercased().replacingOccurrences(of: "-", with: "_")
        let aliases: [String: Activation] = ["leakyrelu": .leakyRelu, "gelutanh": .geluTanh, "none": .identity,
                                             "linear": .identity]
        guard let value = Activation(rawValue: key) ?? aliases[key.replacingOccurrences(of: "_", with: "")]
                ?? aliases[key] else {
            throw UnknownOptionError(kind: "activation", value: name, validValues: Self.allCases.map(\.rawValue))
        }
        self = value
    }

    public init(from decoder: Decoder) throws {
        try self.init(name: decoder.singleValueContainer().decode(String.self))
    }

    /// A new layer computing this activation.
    public func makeLayer() -> any Layer {
        switch self {
        case .relu: ReLU()
        case .leakyRelu: LeakyReLU()
        case .gelu: GELU()
        case .geluTanh: GELU(approximation: .tanh)
        case .tanh: Tanh()
        case .sigmoid: Sigmoid()
        case .softplus: Softplus()
        case .identity: Identity()
        }
    }
}

/// The normalisation an `MLP` puts after each hidden `Linear` (`none`, `batch`, `layer`).
public enum Normalization: String, Sendable, Codable, CaseIterable {
    case none, batch, layer

    /// Parses a name case-insensitively (`batch_norm`, `batchnorm`, `layer_norm` are accepted too).
    public init(name: String) throws {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "")
        let aliases: [String: Normalization] = ["none": .none, "batch": .batch, "batchnorm": .batch,
                                                "layer": .layer, "layernorm": .layer]
        guard let value = aliases[key] else {
            throw UnknownOptionError(kind: "normalization", value: name, validValues: Self.allCases.map(\.rawValue))
        }
        self = value
    }

    public init(from decoder: Decoder) throws {
        try self.init(name: decoder.singleValueContainer().decode(String.self))
    }
}

/// A name that is not one of the options, with the valid ones for the message.
public struct UnknownOptionError: Error, Equatable, CustomStringConvertible {
    /// What was being chosen ("activation").
    public let kind: String
    /// The name given.
    public let value: String
    /// The names accepted.
    public let validValues: [String]

    public var description: String {
        "unknown \(kind) '\(value)'; valid values: \(validValues.joined(separator: ", "))"
    }
}
