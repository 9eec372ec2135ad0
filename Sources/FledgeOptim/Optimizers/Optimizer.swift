import FledgeNN
import FledgeTensor

/// The shared base of every optimizer: it walks the parameter groups, skips frozen parameters and
/// parameters without a gradient, creates per-parameter state on first use, and calls the
/// subclass's per-parameter rule (as mlx-swift's `OptimizerBase` does).
///
/// A subclass overrides only `newState(for:hyperparameters:)` and
/// `apply(gradient:parameter:state:hyperparameters:)`; the rule updates the parameter in place with
/// one fused loop over raw buffers, so a step allocates nothing once states exist.
///
/// Weight decay comes in two kinds that this library keeps distinct:
/// - **L2 regularisation** (`SGD`, `Adam`, `RMSprop`, `Adagrad`): `weightDecay * parameter` is added
///   to the gradient before the rule, so it is scaled by Adam's adaptive denominator too.
/// - **Decoupled weight decay** (`AdamW`): the parameter shrinks by `1 - learningRate * weightDecay`
///   before the rule, independent of the gradient statistics (Loshchilov & Hutter).
open class Optimizer {
    /// One resolved parameter group: its parameters, hyper-parameters and per-parameter state.
    struct Group {
        var parameters: [(name: String, parameter: Parameter)]
        var hyperparameters: Hyperparameters
        var states: [ParameterState?]
    }

    var groups: [Group]

    /// How many times `step()` has run (restored by `loadStateDict`).
    public internal(set) var stepCount: Int = 0

    /// Creates an optimizer over `groups`; each group's missing values come from `defaults`, which
    /// must name every hyper-parameter the rule reads (unknown overrides are a programmer error).
    public init(groups parameterGroups: [ParameterGroup], defaults: Hyperparameters) {
        let name = String(describing: Self.self)
        precondition(!parameterGroups.isEmpty, "\(name): no parameter groups given")
        var seenNames = Set<String>()
        var seenParameters = Set<ObjectIdentifier>()
        groups = parameterGroups.map { group in
            var values = defaults
            if let rate = group.learningRate { values.learningRate = rate }
            for (key, value) in group.overrides {
                precondition(defaults.value(key) != nil, "\(name): unknown hyper-parameter '\(key)' in a parameter group")
                values[key] = value
            }
            values[.initialLearningRate] = values.learningRate
            precondition(values.learningRate >= 0, "\(name): learning rate \(values.learningRate) is negative")
            for (parameterName, parameter) in group.parameters {
                precondition(seenNames.insert(parameterName).inserted,
                             "\(name): parameter name '\(parameterName)' appears twice")
                precondition(seenParameters.insert(ObjectIdentifier(parameter)).inserted,
                             "\(name): parameter '\(parameterName)' appears twice")
            }
            return Group(parameters: group.parameters, hyperparameters: values,
                         states: Array(repeating: nil, count: group.parameters.count))
        }
    }

    // MARK: - The per-parameter rule (subclasses override these two)

    /// The fresh state of a parameter before its first update (buffers such as `exp_avg`).
    open func newState(for parameter: Parameter, hyperparameters: Hyperparameters) -> ParameterState {
        ParameterState(count: parameter.value.count, buffers: [])
    }

    /// Updates `parameter` in place from `gradient` (same count). `state.step` has already been
    /// incremented for this update, as torch does before using it.
    open func apply(
        gradient: UnsafeBufferPointer<Float>,
        parameter: UnsafeMutableBufferPointer<Float>,
        state: ParameterState,
        hyperparameters: Hyperparameters
    ) {
        preconditionFailure("\(Self.self) must override apply(gradient:parameter:state:hyperparameters:)")
    }

    // MARK: - Walking the groups

    /// Applies one update to every trainable parameter that has a gradient.
    public func step() {
        stepCount += 1
        for groupIndex in groups.indices {
            let hyperparameters = groups[groupIndex].hyperparameters
            for index in groups[groupIndex].parameters.indices {
                let (name, parameter) = groups[groupIndex].parameters[index]
                guard parameter.isTrainable, let gradient = parameter.grad else { continue }
                precondition(gradient.shape == parameter.shape,
                             "\(Self.self).step: gradient of shape \(gradient.shape) for parameter '\(name)' of shape \(parameter.shape)")
                let state: ParameterState
                if let existing = groups[groupIndex].states[index] {
                    state = existing
                } else {
                    state = newState(for: parameter, hyperparameters: hyperparameters)
                    groups[groupIndex].states[index] = state
                }
                state.step += 1
                gradient.withUnsafeBufferPointer { gradientBuffer in
                    parameter.updateInPlace { parameterBuffer in
                        apply(gradient: gradientBuffer, parameter: parameterBuffer,
                              state: state, hyperparameters: hyperparameters)
                    }
                }
            }
        }
    }

    /// Forgets the gradients of every parameter (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGradients() {
        for group in groups {
            for (_, parameter) in group.parameters { parameter.zeroGradient() }
        }
    }

    // MARK: - Learning rates and hyper-parameters

    /// The number of parameter groups.
    public var groupCount: Int { groups.count }

    /// The first group's learning rate; setting it sets every group's.
    public var learningRate: Float {
        get { groups[0].hyperparameters.learningRate }
        set {
            precondition(newValue >= 0, "\(Self.self): learning rate \(newValue) is negative")
            for index in groups.indices { groups[index].hyperparameters.learningRate = newValue }
        }
    }

    /// Each group's learning rate, in group order.
    public var learningRates: [Float] {
        get { groups.map(\.hyperparameters.learningRate) }
        set {
            precondition(newValue.count == groups.count,
                         "\(Self.self): \(newValue.count) learning rates for \(groups.count) groups")
            for (index, rate) in newValue.enumerated() {
                precondition(rate >= 0, "\(Self.self): learning rate \(rate) is negative")
                groups[index].hyperparameters.learningRate = rate
            }
        }
    }

    /// Each group's learning rate at creation (torch's `initial_lr`), the base that schedules scale.
    public var initialLearningRates: [Float] { groups.map { $0.hyperparameters[.initialLearningRate] } }

    /// The resolved hyper-parameters of group `group`.
    public func hyperparameters(ofGroup group: Int) -> Hyperparameters { groups[group].hyperparameters }

    /// Changes one hyper-parameter of group `group` (schedules cycle momentum this way).
    public func setHyperparameter(_ name: Hyperparameter, to value: Float, inGroup group: Int) {
        precondition(groups[group].hyperparameters.value(name) != nil,
                     "\(Self.self): unknown hyper-parameter '\(name)'")
        groups[group].hyperparameters[name] = value
    }

    /// Every parameter of every group, in group order (e.g. for `clipGradientsByGlobalNorm`).
    public var parameters: [Parameter] { groups.flatMap { $0.parameters.map(\.parameter) } }

    /// The named parameters of group `group`.
    public func namedParameters(ofGroup group: Int) -> [(name: String, parameter: Parameter)] {
        groups[group].parameters
    }

    /// The state of the parameter called `name`, or nil before its first update.
    public func state(ofParameterNamed name: String) -> ParameterState? {
        for group in groups {
            if let index = group.parameters.firstIndex(where: { $0.name == name }) { return group.states[index] }
        }
        return nil
    }
}
