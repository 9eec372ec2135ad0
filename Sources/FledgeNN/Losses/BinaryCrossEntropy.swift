import FledgeTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary cross-entropy on logits, as `torch.nn.functional.binary_cross_entropy_with_logits`:
/// −[posWeight·t·log σ(x) + (1 − t)·log(1 − σ(x))], computed stably from the logits.
///
/// - Parameters:
///   - posWeight: weight of positive examples, one value or one per class (the last axis).
///   - weight: optional per-class rescaling of every term (the last axis), as PyTorch's `weight`.
public func binaryCrossEntropyWithLogits(
    _ logits: Tensor, _ targets: Tensor, posWeight: Tensor? = nil, weight: Tensor? = nil, reduction: Reduction = .mean
) -> Tensor {
    let classes = logits.shape.dimensions.last ?? 1
    let posWeights = classWeights(posWeight, classes: classes, op: "binaryCrossEntropyWithLogits", name: "posWeight")
    let weights = classWeights(weight, classes: classes, op: "binaryCrossEntropyWithLogits", name: "weight")
    return ElementwiseLoss.evaluate(op: "binaryCrossEntropyWithLogits", logits, targets, reduction: reduction) { x, t, index in
        binaryCrossEntropyTerm(x, t, posWeight: posWeights?[index % classes] ?? 1, weight: weights?[index % classes] ?? 1)
    }
}

/// Multi-label soft-margin loss, as `torch.nn.functional.multilabel_soft_margin_loss`: per-label
/// binary cross-entropy on logits `[N, C]`, averaged over the C labels, giving one loss per sample
/// that `reduction` then combines.
public func multilabelSoftMarginLoss(
    _ logits: Tensor, _ targets: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean
) -> Tensor {
    precondition(logits.rank == 2, "multilabelSoftMarginLoss: logits must be [N, C], got \(logits.shape)")
    precondition(logits.shape == targets.shape,
                 "multilabelSoftMarginLoss: logits \(logits.shape) and targets \(targets.shape) differ")
    let (rows, classes) = (logits.shape[0], logits.shape[1])
    let weights = classWeights(weight, classes: classes, op: "multilabelSoftMarginLoss", name: "weight")
    var losses = Tensor.zeros([rows])
    var dLogits = Tensor(uninitializedShape: logits.shape)
    var dTargets = Tensor(uninitializedShape: logits.shape)
    let x = logits.storage.base, t = targets.storage.base
    let perLabel = 1 / Float(classes)
    losses.withUnsafeMutableBufferPointer { l in
        dLogits.withUnsafeMutableBufferPointer { dx in
            dTargets.withUnsafeMutableBufferPointer { dt in
                for row in 0..<rows {
                    var total: Float = 0
                    for column in 0..<classes {
                        let index = row * classes + column
                        let term = binaryCrossEntropyTerm(x[index], t[index], posWeight: 1, weight: weights?[column] ?? 1)
                        total += term.loss
                        dx[index] = term.dPrediction * perLabel
                        dt[index] = term.dTarget * perLabel
                    }
                    l[row] = total * perLabel
                }
            }
        }
    }
    return ElementwiseLoss.reduceAndRecord(op: "multilabelSoftMarginLoss", losses: losses, inputs: [logits, targets],
                                           derivatives: [dLogits, dTargets], reduction: reduction)
}

/// One element of weighted binary cross-entropy on a logit, with its derivatives.
///
/// With lw = 1 + (posWeight − 1)·t: loss = w·[(1 − t)·x + lw·softplus(−x)],
/// d/dx = w·[(1 − t) − lw·σ(−x)], d/dt = w·[posWeight·softplus(−x) − softplus(x)].
@inline(__always)
func binaryCrossEntropyTerm(_ x: Float, _ t: Float, posWeight: Float, weight: Float)
    -> (loss: Float, dPrediction: Float, dTarget: Float) {
    let logWeight = 1 + (posWeight - 1) * t
    // softplus(−x) = log(1 + e^−|x|) + max(−x, 0), stable for any x.
    let tail = log1pf(expf(-abs(x)))
    let softplusNegative = tail + max(-x, 0)
    let softplusPositive = tail + max(x, 0)
    let sigmoidNegative = x >= 0 ? expf(-x) / (1 + expf(-x)) : 1 / (1 + expf(x))
    return (weight * ((1 - t) * x + logWeight * softplusNegative),
            weight * ((1 - t) - logWeight * sigmoidNegative),
            weight * (posWeight * softplusNegative - softplusPositive))
}

/// Per-class values from an optional tensor of 1 or `classes` elements.
func classWeights(_ tensor: Tensor?, classes: Int, op: String, name: String) -> [Float]? {
    guard let tensor else { return nil }
    precondition(tensor.count == 1 || tensor.count == classes,
                 "\(op): \(name) of shape \(tensor.shape) must have 1 or \(classes) elements (the last axis)")
    return tensor.count == 1 ? Array(repeating: tensor.scalars[0], count: classes) : tensor.scalars
}
