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
        var losses = Tensor(uninitializedShape: prediction.shape)
        var dPrediction = Tensor(uninitializedShape: prediction.shape)
        var dTarget = Tensor(uninitializedShape: target.shape)
        let x = prediction.storage.base, t = target.storage.base
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

    /// Reduces per-element `losses` and records a node whose pullback scales the stored per-input
    /// `derivatives` (same shape as `losses`) by the output gradient.
    static func reduceAndRecord(
        op: String, losses: Tensor, inputs: [Tensor], derivatives: [Tensor], reduction: Reduction
    ) -> Tensor {
        let count = losses.count
        let result: Tensor
        let scale: Float
        switch reduction {
        case .none:
            result = losses
            scale = 1
        case .sum, .mean:
            var total: Double = 0
            losses.withUnsafeBufferPointer { for value in $0 { total += Double(value) } }
            scale = reduction == .mean ? 1 / Float(count) : 1
            result = Tensor(scalar: Float(total) * scale)
        }
        return Tensor.record(result, op: op, inputs: inputs) { gradient, needs in
            zip(derivatives, needs).map { derivative, need in
                guard need else { return nil }
                return scaled(derivative, by: gradient, scale: scale)
            }
        }
    }

    /// `derivative * gradient * scale`, where `gradient` is a scalar or has `derivative`'s shape.
    static func scaled(_ derivative: Tensor, by gradient: Tensor, scale: Float) -> Tensor {
        var result = Tensor(uninitializedShape: derivative.shape)
        let d = derivative.storage.base, g = gradient.storage.base
        result.withUnsafeMutableBufferPointer { out in
            if gradient.count == 1 {
                let factor = g[0] * scale
                for index in 0..<out.count { out[index] = d[index] * factor }
            } else {
                for index in 0..<out.count { out[index] = d[index] * g[index] * scale }
            }
        }
        return result
    }
}
