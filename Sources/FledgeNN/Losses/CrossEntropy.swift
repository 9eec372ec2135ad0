import CFledgeKernels
import FledgeTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cross-entropy between logits `[N, C]` and class indices `[N]`, as
/// `torch.nn.functional.cross_entropy`, fused: one pass computes log-softmax and the loss, and the
/// pullback is `softmax − target distribution` without building the softmax on the tape.
///
/// Per sample i with target y: loss_i = Σ_c a_c·(logZ_i − z_ic), where the target distribution is
/// a_c = (1 − ε)·w_y·[c = y] + (ε / C)·w_c (ε = `labelSmoothing`, w = `weight` or ones).
/// `.mean` divides by Σ_i w_{y_i} (N without weights), exactly as PyTorch.
///
/// - Parameters:
///   - weight: optional per-class weights `[C]`.
///   - labelSmoothing: ε in [0, 1].
public func crossEntropy(
    _ logits: Tensor, targets: IndexTensor, weight: Tensor? = nil, labelSmoothing: Float = 0,
    reduction: Reduction = .mean
) -> Tensor {
    precondition(logits.rank == 2, "crossEntropy: logits must be [N, C], got \(logits.shape)")
    let (rows, classes) = (logits.shape[0], logits.shape[1])
    precondition(targets.count == rows && targets.shape.rank == 1,
                 "crossEntropy: targets of shape \(targets.shape) for logits of shape \(logits.shape) (need [\(rows)])")
    precondition((0...1).contains(labelSmoothing), "crossEntropy: labelSmoothing \(labelSmoothing) is outside [0, 1]")
    if let weight {
        precondition(weight.shape == [classes], "crossEntropy: weight of shape \(weight.shape) for \(classes) classes")
    }
    let weights = weight?.scalars
    let smoothing = labelSmoothing / Float(classes)

    // probabilities = softmax(logits), computed as exp(z − max) with the vectorised C exp;
    // −log p_c = log Σ exp(z − max) − (z_c − max).
    var probabilities = Tensor(uninitializedShape: logits.shape)
    var losses = [Float](repeating: 0, count: rows)
    var targetWeights = [Float](repeating: 1, count: rows)
    var rowMaxima = [Float](repeating: 0, count: rows)
    // Rows holding NaN or +∞ get a NaN loss, as in PyTorch; the clamped C exp would otherwise hide them.
    var poisonedRows: [Int] = []
    let z = logits.storage.base
    probabilities.withUnsafeMutableBufferPointer { p in
        let out = p.baseAddress!
        for row in 0..<rows {
            let base = row * classes
            var largest = -Float.infinity
            var poisoned = false
            for c in 0..<classes {
                let value = z[base + c]
                largest = max(largest, value)
                poisoned = poisoned || !(value < .infinity)
            }
            if poisoned { poisonedRows.append(row) }
            if !largest.isFinite { largest = 0 }
            rowMaxima[row] = largest
            for c in 0..<classes { out[base + c] = z[base + c] - largest }
        }
        fledge_exp(out, out, p.count)
        for row in 0..<rows {
            let base = row * classes
            let target = targets.indices[row]
            precondition(target >= 0 && target < classes,
                         "crossEntropy: target \(target) at row \(row) is out of range for \(classes) classes")
            var total: Float = 0
            for c in 0..<classes { total += out[base + c] }
            let inverse = 1 / total
            for c in 0..<classes { out[base + c] *= inverse }
            let logTotal = logf(total), largest = rowMaxima[row]
            let targetWeight = weights?[target] ?? 1
            targetWeights[row] = targetWeight
            var loss = (1 - labelSmoothing) * targetWeight * (logTotal - (z[base + target] - largest))
            if smoothing > 0 {
                var smooth: Float = 0
                for c in 0..<classes { smooth += (weights?[c] ?? 1) * (logTotal - (z[base + c] - largest)) }
                loss += smoothing * smooth
            }
            losses[row] = loss
        }
        for row in poisonedRows {
            losses[row] = .nan
            for c in 0..<classes { out[row * classes + c] = .nan }
        }
    }
    // Sums run in Double so large evaluation batches do not drift.
    let denominator = reduction == .mean ? Float(targetWeights.reduce(0.0) { $0 + Double($1) }) : 1
    let result: Tensor
    switch reduction {
    case .none: result = Tensor(shape: [rows], values: losses)
    case .sum, .mean: result = Tensor(scalar: Float(losses.reduce(0.0) { $0 + Double($1) } / Double(denominator)))
    }
    return Tensor.record(result, op: "crossEntropy", inputs: [logits]) { gradient, _ in
        // d loss_i / d z_ic = (Σ_k a_k)·p_ic − a_c, scaled by the row's output gradient.
        var dLogits = Tensor(uninitializedShape: logits.shape)
        let p = probabilities.storage.base, g = gradient.storage.base
        let smoothTotal = smoothing * (weights?.reduce(0, +) ?? Float(classes))
        dLogits.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows {
                let base = row * classes
                let target = targets.indices[row]
                let scale = (gradient.count == 1 ? g[0] : g[row]) / denominator
                let targetShare = (1 - labelSmoothing) * targetWeights[row]
                let mass = (targetShare + smoothTotal) * scale
                if smoothing > 0 {
                    for c in 0..<classes { out[base + c] = mass * p[base + c] - smoothing * (weights?[c] ?? 1) * scale }
                } else {
                    for c in 0..<classes { out[base + c] = mass * p[base + c] }
                }
                out[base + target] -= targetShare * scale
            }
        }
        return [dLogits]
    }
}
