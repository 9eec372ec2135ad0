import FledgeNN
import FledgeTensor

/// Adagrad (Duchi et al.), exactly as `torch.optim.Adagrad`: divides each gradient by the root of
/// the sum of all its past squares; the step size decays as `lr / (1 + (step - 1) * lrDecay)`.
/// `weightDecay` is L2 regularisation.
///
/// State per parameter: `sum`, starting at `initialAccumulatorValue`.
public final class Adagrad: Optimizer {
    /// Creates Adagrad over one group of named parameters.
    public convenience init(
        _ parameters: [(name: String, parameter: Parameter)],
        learningRate: Float = 1e-2,
        learningRateDecay: Float = 0,
        weightDecay: Float = 0,
        initialAccumulatorValue: Float = 0,
        epsilon: Float = 1e-10
    ) {
        self.init([ParameterGroup(parameters)], learningRate: learningRate, learningRateDecay: learningRateDecay,
                  weightDecay: weightDecay, initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon)
    }

    /// Creates Adagrad over parameter groups; the arguments are the defaults for values a group leaves unset.
    public init(
        _ groups: [ParameterGroup],
        learningRate: Float = 1e-2,
        learningRateDecay: Float = 0,
        weightDecay: Float = 0,
        initialAccumulatorValue: Float = 0,
        epsilon: Float = 1e-10
    ) {
        precondition(learningRateDecay >= 0 && weightDecay >= 0 && initialAccumulatorValue >= 0 && epsilon >= 0,
                     "Adagrad: learningRateDecay, weightDecay, initialAccumulatorValue and epsilon must be non-negative")
        super.init(groups: groups, defaults: Hyperparameters([
            .learningRate: learningRate, .learningRateDecay: learningRateDecay, .weightDecay: weightDecay,
            .initialAccumulatorValue: initialAccumulatorValue, .epsilon: epsilon,
        ]))
    }

    override public func newState(for parameter: Parameter, hyperparameters: Hyperparameters) -> ParameterState {
        ParameterState(count: parameter.value.count,
                       buffers: [("sum", hyperparameters[.initialAccumulatorValue])])
    }

    override public func apply(
        gradient: UnsafeBufferPointer<Float>,
        parameter: UnsafeMutableBufferPointer<Float>,
        state: ParameterState,
        hyperparameters h: Hyperparameters
    ) {
        let g = gradient.baseAddress!, p = parameter.baseAddress!, sum = state[0]
        let decayedRate = Double(h.learningRate) / (1 + Double(state.step - 1) * Double(h[.learningRateDecay]))
        let negativeRate = Float(-decayedRate), l2 = h[.weightDecay], epsilon = h[.epsilon]
        for i in 0..<parameter.count {
            let grad = g[i] + l2 * p[i]
            let total = sum[i] + grad * grad
            sum[i] = total
            p[i] = p[i] + (negativeRate * grad) / (total.squareRoot() + epsilon)
        }
    }
}
