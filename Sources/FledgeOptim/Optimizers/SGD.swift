import FledgeNN
import FledgeTensor

/// Stochastic gradient descent with optional momentum, exactly as `torch.optim.SGD`.
///
/// `weightDecay` is L2 regularisation: `weightDecay * parameter` joins the gradient. With momentum
/// the buffer starts as the first (regularised) gradient, then `buffer = momentum * buffer +
/// (1 - dampening) * gradient`; Nesterov steps along `gradient + momentum * buffer`.
///
/// State per parameter (only with momentum): `momentum_buffer`.
public final class SGD: Optimizer {
    /// Creates SGD over one group of named parameters.
    public convenience init(
        _ parameters: [(name: String, parameter: Parameter)],
        learningRate: Float,
        momentum: Float = 0,
        dampening: Float = 0,
        nesterov: Bool = false,
        weightDecay: Float = 0
    ) {
        self.init([ParameterGroup(parameters)], learningRate: learningRate, momentum: momentum,
                  dampening: dampening, nesterov: nesterov, weightDecay: weightDecay)
    }

    /// Creates SGD over parameter groups; the arguments are the defaults for values a group leaves unset.
    public init(
        _ groups: [ParameterGroup],
        learningRate: Float,
        momentum: Float = 0,
        dampening: Float = 0,
        nesterov: Bool = false,
        weightDecay: Float = 0
    ) {
        precondition(momentum >= 0 && weightDecay >= 0, "SGD: momentum and weightDecay must be non-negative")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: Nesterov momentum requires a momentum and zero dampening")
        super.init(groups: groups, defaults: Hyperparameters([
            .learningRate: learningRate, .momentum: momentum, .dampening: dampening,
            .nesterov: nesterov ? 1 : 0, .weightDecay: weightDecay,
        ]))
    }

    override public func newState(for parameter: Parameter, hyperparameters: Hyperparameters) -> ParameterState {
        let buffers: [(name: String, initialValue: Float)] =
            hyperparameters[.momentum] != 0 ? [("momentum_buffer", 0)] : []
        return ParameterState(count: parameter.value.count, buffers: buffers)
    }

    override public func apply(
        gradient: UnsafeBufferPointer<Float>,
        parameter: UnsafeMutableBufferPointer<Float>,
        state: ParameterState,
        hyperparameters h: Hyperparameters
    ) {
        let g = gradient.baseAddress!, p = parameter.baseAddress!, count = parameter.count
        let negativeRate = -h.learningRate, l2 = h[.weightDecay], momentum = h[.momentum]
        guard momentum != 0 else {
            for i in 0..<count { p[i] = p[i] + negativeRate * (g[i] + l2 * p[i]) }
            return
        }
        precondition(!state.buffers.isEmpty, "SGD: momentum was switched on after this parameter's first step")
        let buffer = state[0]
        let nesterov: Float = h.flag(.nesterov) ? 1 : 0
        // On the first step the buffer is the gradient itself (torch clones it), not a dampened mix.
        let keep: Float = state.step == 1 ? 0 : momentum
        let mix: Float = state.step == 1 ? 1 : Float(1 - Double(h[.dampening]))
        for i in 0..<count {
            let grad = g[i] + l2 * p[i]
            let b = buffer[i] * keep + mix * grad
            buffer[i] = b
            // Nesterov: grad + momentum * buffer; plain: the buffer (selected without a branch).
            let direction = nesterov * (grad + momentum * b) + (1 - nesterov) * b
            p[i] = p[i] + negativeRate * direction
        }
    }
}
