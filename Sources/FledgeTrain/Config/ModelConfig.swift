import FledgeData
import FledgeNN

/// `model:` — the task and the network.
public struct ModelConfig: ConfigSection {
    /// `binary`, `multiclass`, `multilabel` or `regression`. Required in a file; `binary` in Swift.
    public var task: TaskKind = .binary
    /// The architecture; only `mlp`. Default `mlp`.
    public var type: ModelKind = .mlp
    /// The hidden layer widths, input to output. Default `[128, 64]`.
    public var layers: [Int] = [128, 64]
    /// The hidden activation (relu, leaky_relu, gelu, gelu_tanh, tanh, sigmoid, softplus, identity). Default `relu`.
    public var activation: Activation = .relu
    /// The dropout probability after each hidden activation, in [0, 1). Default `0.0`.
    public var dropout = 0.0
    /// `none`, `batch` or `layer` normalisation after each hidden linear layer. Default `none`.
    public var normalization: Normalization = .none
    /// Recompute activations in backward instead of keeping them (`MLP.gradientCheckpointing`): less
    /// memory for deep MLPs at the cost of one more forward pass. Default `false`.
    public var gradientCheckpointing = false

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case task, type, layers, activation, dropout, normalization
        case gradientCheckpointing = "gradient_checkpointing"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    /// A decoder `userInfo` key: when true, `task` may be absent (the caller derives it, as
    /// FledgeEvents does from the declared target) and keeps its default.
    public static let taskIsOptional = CodingUserInfoKey(rawValue: "fledge.model.taskIsOptional")!

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let task = try c.option(TaskKind.self, forKey: .task) {
            self.task = task
        } else if decoder.userInfo[Self.taskIsOptional] as? Bool != true {
            let path = keyPathString(decoder.codingPath + [CodingKeys.task])
            throw ConfigIssue(kind: .missingKey, keyPath: path,
                              message: "\(path) is required; use one of \(TaskKind.validNames)")
        }
        type = try c.value(.type, or: type)
        layers = try c.value(.layers, or: layers)
        dropout = try c.value(.dropout, or: dropout)
        gradientCheckpointing = try c.value(.gradientCheckpointing, or: gradientCheckpointing)
        // FledgeNN's own parsers accept the same aliases as MLP(activation: String); their error
        // lacks the key path, so it is re-thrown as a located issue.
        if let name = try c.decodeIfPresent(String.self, forKey: .activation) {
            activation = try Self.parse(name, at: decoder.codingPath + [CodingKeys.activation], Activation.init(name:))
        }
        if let name = try c.decodeIfPresent(String.self, forKey: .normalization) {
            normalization = try Self.parse(name, at: decoder.codingPath + [CodingKeys.normalization],
                                           Normalization.init(name:))
        }
    }

    private static func parse<T>(_ name: String, at path: [CodingKey], _ parse: (String) throws -> T) throws -> T {
        do {
            return try parse(name)
        } catch let error as UnknownOptionError {
            throw ConfigIssue.invalidValue(at: path, "'\(name)' is not one of \(error.validValues.joined(separator: ", "))")
        }
    }
}
