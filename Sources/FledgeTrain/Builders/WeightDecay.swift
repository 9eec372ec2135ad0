import FledgeNN
import FledgeOptim

/// The weight-decay terms an optimizer does not apply itself (see `OptimizerFactory`).
public enum WeightDecay {
    /// Applies what `optimizer` leaves out of `training`'s `l2_regularization` and `weight_decay`:
    /// for AdamW, adds the L2 term to the gradients; for the others, shrinks the weights by
    /// `1 − lr · weight_decay` with each group's current learning rate. Call it after clipping,
    /// right before `optimizer.step()`.
    public static func applyBeforeStep(_ optimizer: Optimizer, training: TrainingConfig) {
        if optimizer is AdamW {
            if training.l2Regularization > 0 { addL2(Float(training.l2Regularization), to: optimizer.parameters) }
        } else if training.weightDecay > 0 {
            for group in 0..<optimizer.groupCount {
                decay(optimizer.namedParameters(ofGroup: group).map(\.parameter),
                      learningRate: optimizer.learningRates[group], weightDecay: Float(training.weightDecay))
            }
        }
    }

    /// Adds `coefficient · w` to the gradient of every trainable parameter that has one.
    public static func addL2(_ coefficient: Float, to parameters: [Parameter]) {
        for parameter in parameters where parameter.isTrainable {
            let weights = parameter.value.storage.base
            rewriteGradient(of: parameter) { gradient in
                for i in gradient.indices { gradient[i] += coefficient * weights[i] }
            }
        }
    }

    /// Multiplies every trainable parameter that has a gradient by `1 − learningRate · weightDecay`
    /// (AdamW's decoupled decay; parameters without a gradient are skipped, as the optimizer skips them).
    public static func decay(_ parameters: [Parameter], learningRate: Float, weightDecay: Float) {
        let factor = 1 - learningRate * weightDecay
        for parameter in parameters where parameter.isTrainable && parameter.grad != nil {
            parameter.updateInPlace { values in
                for i in values.indices { values[i] *= factor }
            }
        }
    }
}
