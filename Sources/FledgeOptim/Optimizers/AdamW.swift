import FledgeNN

/// AdamW (Loshchilov & Hutter), exactly as `torch.optim.AdamW`: Adam whose weight decay is
/// *decoupled* — each step first multiplies the parameter by `1 - learningRate * weightDecay`,
/// and the gradient statistics never see the decay. (Adam's `weightDecay` is L2 regularisation.)
public final class AdamW: Adam {
    /// Creates AdamW over one group of named parameters.
    public convenience init(
        _ parameters: [(name: String, parameter: Parameter)],
        learningRate: Float = 1e-3,
        betas: (Float, Float) = (0.9, 0.999),
        epsilon: Float = 1e-8,
        weightDecay: Float = 1e-2,
        amsgrad: Bool = false
    ) {
        self.init([ParameterGroup(parameters)], learningRate: learningRate, betas: betas, epsilon: epsilon,
                  weightDecay: weightDecay, amsgrad: amsgrad)
    }

    /// Creates AdamW over parameter groups; the arguments are the defaults for values a group leaves unset.
    public init(
        _ groups: [ParameterGroup],
        learningRate: Float = 1e-3,
        betas: (Float, Float) = (0.9, 0.999),
        epsilon: Float = 1e-8,
        weightDecay: Float = 1e-2,
        amsgrad: Bool = false
    ) {
        super.init(groups: groups, learningRate: learningRate, betas: betas, epsilon: epsilon,
                   weightDecay: weightDecay, amsgrad: amsgrad, decoupledWeightDecay: true)
    }
}
