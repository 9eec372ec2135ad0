import FledgeNN
import FledgeOptim

/// Builds the optimizer a `training:` section describes.
///
/// The two kinds of weight decay are handled the same way for every optimizer:
/// - `l2_regularization` is L2: `l2 · w` joins the gradient before the update rule. It is the
///   optimizer's own `weightDecay` for SGD, Adam, RMSprop and Adagrad; AdamW's `weightDecay` is
///   decoupled, so for AdamW `WeightDecay.applyBeforeStep` adds the L2 term to the gradients.
/// - `weight_decay` is decoupled: every step multiplies the weights by `1 − lr · weight_decay`,
///   apart from the gradient statistics. AdamW does this itself; for the others
///   `WeightDecay.applyBeforeStep` does it just before `step()`.
///
/// So the trainer always calls `WeightDecay.applyBeforeStep(optimizer, training:)` after gradient
/// clipping and right before `optimizer.step()`; it does nothing when neither key is set.
public enum OptimizerFactory {
    /// The optimizer `config.optimizer` over `parameters` with the config's learning rate, betas,
    /// epsilon, momentum and Nesterov flag.
    public static func make(_ config: TrainingConfig, parameters: [(name: String, parameter: Parameter)]) -> Optimizer {
        make(config, groups: [ParameterGroup(parameters)])
    }

    /// The optimizer `config.optimizer` over parameter groups: the config's values are the
    /// defaults a group leaves unset (e.g. `ParameterGroup.learningRateGroups` gives a pretrained
    /// backbone a smaller rate than a new head).
    public static func make(_ config: TrainingConfig, groups parameters: [ParameterGroup]) -> Optimizer {
        let rate = Float(config.learningRate)
        let l2 = Float(config.l2Regularization)
        let epsilon = Float(config.effectiveEpsilon)
        let momentum = Float(config.effectiveMomentum)
        let betas = (Float(config.betas[0]), Float(config.betas[1]))
        switch config.optimizer {
        case .sgd, .momentum:
            return SGD(parameters, learningRate: rate, momentum: momentum, nesterov: config.nesterov, weightDecay: l2)
        case .adam:
            return Adam(parameters, learningRate: rate, betas: betas, epsilon: epsilon, weightDecay: l2)
        case .adamw:
            return AdamW(parameters, learningRate: rate, betas: betas, epsilon: epsilon,
                         weightDecay: Float(config.weightDecay))
        case .rmsprop:
            return RMSprop(parameters, learningRate: rate, epsilon: epsilon, weightDecay: l2, momentum: momentum)
        case .adagrad:
            return Adagrad(parameters, learningRate: rate, weightDecay: l2, epsilon: epsilon)
        }
    }
}
