import FledgeTensor

/// How a loss combines its per-element (or per-sample) values, as PyTorch's `reduction`.
public enum Reduction: String, Sendable, Codable, CaseIterable {
    /// The average (for weighted losses, divided by the total weight as PyTorch does).
    case mean
    /// The sum.
    case sum
    /// No reduction: one loss per element or sample.
    case none
}

/// Shared machinery for losses that compute a value and its derivatives element by element.
///
/// Each loss writes, per element, its value and the derivatives with respect to the prediction
/// and the target in one pass; the pullback then only scales them by the incoming gradient.
/// One recorded node per loss keeps the tape short on the training hot path.
enum ElementwiseLoss {
    /// Computes `body(prediction, target) -> (loss, dLoss/dPrediction, dLoss/dTarget)` for every
    /// element, reduces, and records one node whose pullback reuses the stored derivatives.
    @inline(__always)
    static func evaluate(
        op: String, _ prediction: Tensor, _ target: Tensor, reduction: Reduction,
        _ body: (_ prediction: Float, _ target: Float, _ index: Int) -> (loss: Float, dPrediction: Float, dTarget: Float)
    ) -> Tensor {
        precondition(prediction.shape == target.shape,
                     "\(op): prediction of shape \(prediction.shape) and target of shape \(target.shape) differ")
        let count = prediction.count
        let x = prediction.storage.base, t = target.storage.base
        var losses = Tensor(uninitializedShape: prediction.shape)
        guard isRecording([prediction, target]) else {
            losses.withUnsafeMutableBufferPointer { l in
                for index in 0..<count { l[index] = body(x[index], t[index], index).loss }
            }
            return reduceAndRecord(op: op, losses: losses, inputs: [], derivatives: [], reduction: reduction)
        }
        var dPrediction = Tensor(uninitializedShape: prediction.shape)
        var dTarget = Tensor(uninitializedShape: target.shape)
        losses.withUnsafeMutableBufferPointer { l in
            dPrediction.withUnsafeMutableBufferPointer { dp in
                dTarget.withUnsafeMutableBufferPointer { dt in
                    for index in 0..<count {
                        (l[index], dp[index], dt[index]) = body(x[index], t[index], index)
                    }
                }
            }
        }
        return reduceAndRecord(op: op, losses: losses, inputs: [prediction, target],
                               derivatives: [dPrediction, dTarget], reduction: reduction)
    }

    /// True when an op on `inputs` will be recorded, so derivatives are worth computing.
    static func isRecording(_ inputs: [Tensor]) -> Bool {
        GradientMode.isEnabled && inputs.contains { $0.requiresGradient }
    }

    /// Reduces per-element (or per-sample) `losses` and records a node whose pullback scales the
    /// stored per-input `derivatives` by the output gradient. A derivative may have trailing axes
    /// beyond the loss's (per-sample losses over labels); each loss's gradient then covers them.
    static func reduceAndRecord(
        op: String, losses: Tensor, inputs: [Tensor], derivatives: [Tensor], reduction: Reduction
    ) -> Tensor {
        let result: Tensor
        let scale: Float
        switch reduction {
        case .none:
            result = losses
            scale = 1
        case .sum, .mean:
            var total: Double = 0
            losses.withUnsafeBufferPointer { for value in $0 { total += Double(value) } }
            scale = reduction == .mean ? 1 / Float(losses.count) : 1
            result = Tensor(scalar: Float(total) * scale)
        }
        guard !inputs.isEmpty else { return result }
        return Tensor.record(result, op: op, inputs: inputs) { gradient, needs in
            zip(derivatives, needs).map { derivative, need in
                need ? scaled(derivative, by: gradient, scale: scale) : nil
            }
        }
    }

    /// `derivative * gradient * scale`, where `gradient` is a scalar or has one value per
    /// consecutive block of `derivative.count / gradient.count` elements.
    private static func scaled(_ derivative: Tensor, by gradient: Tensor, scale: Float) -> Tensor {
        var result = Tensor(uninitializedShape: derivative.shape)
        let d = derivative.storage.base, g = gradient.storage.base
        result.withUnsafeMutableBufferPointer { out in
            if gradient.count == 1 {
                let factor = g[0] * scale
                for index in 0..<out.count { out[index] = d[index] * factor }
            } else {
                let block = out.count / gradient.count
                for outer in 0..<gradient.count {
                    let factor = g[outer] * scale
                    for index in (outer * block)..<((outer + 1) * block) { out[index] = d[index] * factor }
                }
            }
        }
        return result
    }
}
