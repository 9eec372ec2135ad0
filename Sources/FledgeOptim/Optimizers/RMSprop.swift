import FledgeNN
import FledgeTensor

/// RMSprop (Hinton), exactly as `torch.optim.RMSprop`: divides the gradient by a running root mean
/// square; `centered` subtracts the squared running mean of the gradient first (an estimate of its
/// variance); `momentum` accumulates the normalised steps. `weightDecay` is L2 regularisation.
///
/// State per parameter: `square_avg`, plus `momentum_buffer` (with momentum) and `grad_avg` (centered).
public final class RMSprop: Optimizer {
    /// Creates RMSprop over one group of named parameters.
    public convenience init(
        _ parameters: [(name: String, parameter: Parameter)],
        learningRate: Float = 1e-2,
        alpha: Float = 0.99,
        epsilon: Float = 1e-8,
        weightDecay: Float = 0,
        momentum: Float = 0,
        centered: Bool = false
    ) {
        self.init([ParameterGroup(parameters)], learningRate: learningRate, alpha: alpha, epsilon: epsilon,
                  weightDecay: weightDecay, momentum: momentum, centered: centered)
    }

    /// Creates RMSprop over parameter groups; the arguments are the defaults for values a group leaves unset.
    public init(
        _ groups: [ParameterGroup],
        learningRate: Float = 1e-2,
        alpha: Float = 0.99,
        epsilon: Float = 1e-8,
        weightDecay: Float = 0,
        momentum: Float = 0,
        centered: Bool = false
    ) {
        precondition(alpha >= 0 && epsilon >= 0 && weightDecay >= 0 && momentum >= 0,
                     "RMSprop: alpha, epsilon, weightDecay and momentum must be non-negative")
        super.init(groups: groups, defaults: Hyperparameters([
            .learningRate: learningRate, .alpha: alpha, .epsilon: epsilon, .weightDecay: weightDecay,
            .momentum: momentum, .centered: centered ? 1 : 0,
        ]))
    }

    override public func newState(for parameter: Parameter, hyperparameters: Hyperparameters) -> ParameterState {
        var buffers: [(name: String, initialValue: Float)] = [("square_avg", 0)]
        if hyperparameters[.momentum] > 0 { buffers.append(("momentum_buffer", 0)) }
        if hyperparameters.flag(.centered) { buffers.append(("grad_avg", 0)) }
        return ParameterState(count: parameter.value.count, buffers: buffers)
    }

    override public func apply(
        gradient: UnsafeBufferPointer<Float>,
        parameter: UnsafeMutableBufferPointer<Float>,
        state: ParameterState,
        hyperparameters h: Hyperparameters
    ) {
        let g = gradient.baseAddress!, p = parameter.baseAddress!
        let alpha = h[.alpha], oneMinusAlpha = Float(1 - Double(alpha)), epsilon = h[.epsilon]
        let l2 = h[.weightDecay], momentum = h[.momentum], negativeRate = -h.learningRate
        let centered = h.flag(.centered), hasMomentum = momentum > 0
        precondition(state.buffers.count == 1 + (hasMomentum ? 1 : 0) + (centered ? 1 : 0),
                     "RMSprop: momentum or centered changed after this parameter's first step")
        let squareAverage = state[0]
        let momentumBuffer = hasMomentum ? state[1] : squareAverage
        let gradientAverage = centered ? state[state.buffers.count - 1] : squareAverage
        // The flags are loop-invariant; the compiler unswitches them out of the loop.
        for i in 0..<parameter.count {
            let grad = g[i] + l2 * p[i]
            let square = squareAverage[i] * alpha + oneMinusAlpha * grad * grad
            squareAverage[i] = square
            var average: Float
            if centered {
                let mean = gradientAverage[i] + oneMinusAlpha * (grad - gradientAverage[i])
                gradientAverage[i] = mean
                average = (square - mean * mean).squareRoot()
            } else {
                average = square.squareRoot()
            }
            average += epsilon
            if hasMomentum {
                let buffer = momentumBuffer[i] * momentum + grad / average
                momentumBuffer[i] = buffer
                p[i] = p[i] + negativeRate * buffer
            } else {
                p[i] = p[i] + (negativeRate * grad) / average
            }
        }
    }
}
