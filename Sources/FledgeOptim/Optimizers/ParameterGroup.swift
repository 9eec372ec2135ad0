import FledgeNN
import FledgeTensor

/// The name of an optimizer hyper-parameter, spelled as PyTorch spells it in `param_groups`
/// (so state dicts read the same in both): `.weightDecay` is `"weight_decay"`.
public struct Hyperparameter: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// The string's hash, computed once: rules look names up on every step, and comparing two
    /// different strings is slow while comparing two integers is not.
    private let key: Int

    public init(rawValue: String) {
        self.rawValue = rawValue
        self.key = rawValue.hashValue
    }

    public init(_ rawValue: String) { self.init(rawValue: rawValue) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.key == rhs.key && lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    /// The step size (`lr`).
    public static let learningRate = Hyperparameter("lr")
    /// The learning rate a schedule starts from (`initial_lr`, as torch's LRScheduler records it).
    public static let initialLearningRate = Hyperparameter("initial_lr")
    /// L2 penalty added to the gradient, or decoupled decay for AdamW (`weight_decay`).
    public static let weightDecay = Hyperparameter("weight_decay")
    /// Momentum factor of SGD and RMSprop (`momentum`).
    public static let momentum = Hyperparameter("momentum")
    /// SGD dampening of the momentum buffer's new gradient (`dampening`).
    public static let dampening = Hyperparameter("dampening")
    /// SGD Nesterov momentum, 0 or 1 (`nesterov`).
    public static let nesterov = Hyperparameter("nesterov")
    /// Adam's first-moment decay (`betas[0]`).
    public static let beta1 = Hyperparameter("beta1")
    /// Adam's second-moment decay (`betas[1]`).
    public static let beta2 = Hyperparameter("beta2")
    /// Term added to the denominator for numerical stability (`eps`).
    public static let epsilon = Hyperparameter("eps")
    /// Adam's AMSGrad variant, 0 or 1 (`amsgrad`).
    public static let amsgrad = Hyperparameter("amsgrad")
    /// RMSprop's smoothing constant (`alpha`).
    public static let alpha = Hyperparameter("alpha")
    /// RMSprop's centered variant, 0 or 1 (`centered`).
    public static let centered = Hyperparameter("centered")
    /// Adagrad's learning-rate decay (`lr_decay`).
    public static let learningRateDecay = Hyperparameter("lr_decay")
    /// Adagrad's starting value of the squared-gradient sum (`initial_accumulator_value`).
    public static let initialAccumulatorValue = Hyperparameter("initial_accumulator_value")
}

/// A set of parameters that share a learning rate and hyper-parameters, like one entry of
/// PyTorch's `param_groups` (e.g. no weight decay for biases, a smaller rate for a pretrained encoder).
///
/// Values left nil or absent from `overrides` take the optimizer's defaults.
public struct ParameterGroup {
    /// The parameters with their dotted names; names key the optimizer's state dict.
    public var parameters: [(name: String, parameter: Parameter)]
    /// This group's learning rate, or nil for the optimizer's.
    public var learningRate: Float?
    /// Per-group hyper-parameters that differ from the optimizer's defaults.
    public var overrides: [Hyperparameter: Float]

    /// Creates a group; `weightDecay` is a shorthand for the most common override.
    public init(
        _ parameters: [(name: String, parameter: Parameter)],
        learningRate: Float? = nil,
        weightDecay: Float? = nil,
        overrides: [Hyperparameter: Float] = [:]
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.overrides = overrides
        if let weightDecay { self.overrides[.weightDecay] = weightDecay }
    }
}

/// The resolved hyper-parameters of one group, as the per-parameter rule reads them.
///
/// Stored as parallel arrays sorted by name and searched linearly: a rule reads several values for
/// every parameter on every step, and comparing a few short names is far cheaper than hashing them.
public struct Hyperparameters: Sendable, Equatable {
    /// The names, sorted.
    public private(set) var names: [Hyperparameter] = []
    private var numbers: [Float] = []

    /// Creates a set from explicit values.
    public init(_ values: [Hyperparameter: Float]) {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            names.append(name)
            numbers.append(value)
        }
    }

    /// Every hyper-parameter by name, including `.learningRate`.
    public var values: [Hyperparameter: Float] { Dictionary(uniqueKeysWithValues: zip(names, numbers)) }

    /// The value of `name`, or nil when this optimizer has no such hyper-parameter.
    public func value(_ name: Hyperparameter) -> Float? {
        names.firstIndex(of: name).map { numbers[$0] }
    }

    /// The step size.
    public var learningRate: Float {
        get { self[.learningRate] }
        set { self[.learningRate] = newValue }
    }

    /// The value of `name`; every optimizer declares all of its names up front, so reading a missing
    /// one is a bug. Setting a new name adds it.
    public subscript(name: Hyperparameter) -> Float {
        get {
            guard let index = names.firstIndex(of: name) else {
                preconditionFailure("Optimizer: hyper-parameter '\(name)' is not defined for this optimizer")
            }
            return numbers[index]
        }
        set {
            if let index = names.firstIndex(of: name) {
                numbers[index] = newValue
            } else {
                let index = names.firstIndex { $0 > name } ?? names.count
                names.insert(name, at: index)
                numbers.insert(newValue, at: index)
            }
        }
    }

    /// A 0/1 hyper-parameter read as a flag.
    public func flag(_ name: Hyperparameter) -> Bool { self[name] != 0 }
}

/// One parameter's optimizer state: PyTorch's `state[p]` — a step counter and named buffers of the
/// parameter's size (`exp_avg`, `momentum_buffer`, ...). Buffers are raw storage so the update
/// loops read and write them without building tensors.
public final class ParameterState {
    /// How many updates this parameter has received (torch's `state['step']`).
    public var step: Int = 0
    /// Buffer names, parallel to `buffers`.
    public let names: [String]
    /// The buffers, each with as many elements as the parameter.
    public let buffers: [TensorStorage]

    /// Creates a state with each named buffer filled with its initial value.
    public init(count: Int, buffers: [(name: String, initialValue: Float)]) {
        names = buffers.map(\.name)
        self.buffers = buffers.map { TensorStorage(count: count, repeating: $0.initialValue) }
    }

    /// The first element of buffer `index` (in the order given at creation).
    public subscript(index: Int) -> UnsafeMutablePointer<Float> { buffers[index].base }
}

extension ParameterGroup {
    /// Splits parameters the way GPT-style and Hugging Face training usually does: tensors of rank
    /// 2 or more (weight matrices, embeddings) get `weightDecay`; biases and normalisation scales
    /// (rank 0 or 1) get none. Empty groups are left out.
    public static func weightDecayGroups(
        _ parameters: [(name: String, parameter: Parameter)], weightDecay: Float
    ) -> [ParameterGroup] {
        let decayed = parameters.filter { $0.parameter.shape.rank >= 2 }
        let plain = parameters.filter { $0.parameter.shape.rank < 2 }
        return [ParameterGroup(decayed, weightDecay: weightDecay), ParameterGroup(plain, weightDecay: 0)]
            .filter { !$0.parameters.isEmpty }
    }
}

extension ParameterGroup {
    /// Two groups for discriminative fine-tuning (ULMFiT's layer-wise rates, PyTorch's usual
    /// `[{"params": backbone, "lr": lr * m}, {"params": head}]`): the parameters whose names match
    /// `pattern` (a `NamePattern`, e.g. `backbone`) train at `multiplier × learningRate`, the others
    /// at `learningRate`. The matching group comes first; empty groups are left out.
    public static func learningRateGroups(
        _ parameters: [(name: String, parameter: Parameter)], matching pattern: String,
        learningRate: Float, multiplier: Float
    ) -> [ParameterGroup] {
        let pattern = NamePattern(pattern)
        let matched = parameters.filter { pattern.matches($0.name) }
        let others = parameters.filter { !pattern.matches($0.name) }
        return [ParameterGroup(matched, learningRate: learningRate * multiplier), ParameterGroup(others, learningRate: learningRate)]
            .filter { !$0.parameters.isEmpty }
    }
}
