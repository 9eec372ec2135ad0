import FledgeNN
import FledgeTrain

/// `foundation:` — the foundation network pretrained on the sketches (docs/foundation.md, "Pretraining").
///
/// ```yaml
/// foundation:
///   hidden_layers: [512, 512]   # the backbone's widths; the head maps the last one to the sketch logits
///   dropout: 0.1
///   activation: relu
///   normalization: layer        # none, batch or layer
///   top_k: 10                   # recall@k of the decoded next items, reported on validation
/// ```
public struct FoundationParams: ConfigSection {
    /// The backbone's hidden widths. Default `[512, 512]`.
    public var hiddenLayers: [Int] = [512, 512]
    /// The dropout probability after each hidden layer, in [0, 1). Default 0.1.
    public var dropout = 0.1
    /// The hidden activation (as `model.activation`). Default `relu`.
    public var activation: Activation = .relu
    /// `none`, `batch` or `layer` normalisation after each hidden Linear. Default `layer`.
    public var normalization: FledgeNN.Normalization = .layer
    /// The k of the readable validation metric `recall@k` (decoded next items vs the true ones). Default 10.
    public var topK = 10

    /// Parameters with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case hiddenLayers = "hidden_layers"
        case dropout, activation, normalization
        case topK = "top_k"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        hiddenLayers = try c.value(.hiddenLayers, or: hiddenLayers)
        dropout = try c.value(.dropout, or: dropout)
        topK = try c.value(.topK, or: topK)
        if let name = try c.decodeIfPresent(String.self, forKey: .activation) {
            guard let value = try? Activation(name: name) else {
                throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.activation],
                                               "'\(name)' is not one of \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            activation = value
        }
        if let name = try c.decodeIfPresent(String.self, forKey: .normalization) {
            guard let value = try? FledgeNN.Normalization(name: name) else {
                throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.normalization],
                                               "'\(name)' is not one of \(FledgeNN.Normalization.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            normalization = value
        }
        if let (key, message) = problem() { throw ConfigIssue.invalidValue(at: c.codingPath + [key], message) }
    }

    /// Checks the values (for parameters built in Swift; loading a file checks them already).
    /// - Throws: `ConfigError` naming `foundation.<key>`.
    public func validate() throws {
        guard let (key, message) = problem() else { return }
        let path = "foundation.\(key.stringValue)"
        throw ConfigError(kind: .invalidValue, keyPath: path, message: "\(path): \(message)")
    }

    private func problem() -> (CodingKeys, String)? {
        if hiddenLayers.isEmpty { return (.hiddenLayers, "is empty; give at least one width (e.g. [512, 512])") }
        if let bad = hiddenLayers.first(where: { $0 <= 0 }) { return (.hiddenLayers, "holds \(bad); every width must be positive") }
        if !(0..<1).contains(dropout) { return (.dropout, "is \(dropout); it must be in [0, 1)") }
        if topK < 1 { return (.topK, "is \(topK); it must be at least 1") }
        return nil
    }
}
