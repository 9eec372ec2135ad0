import FledgeTensor

/// The pretraining loss of a foundation model: for each of the `partitions` sketch partitions, the
/// cross-entropy between the softmax of that partition's logits and the target distribution over
/// its buckets, summed over partitions and averaged over samples.
///
/// With logits `z` and targets `t` of shape `[N, partitions × buckets]` (each partition's targets a
/// distribution, or all zero for a partition with nothing to predict):
/// `loss = (1/N) Σ_i Σ_k Σ_b −t_ikb · log softmax(z_ik·)_b`, which is
/// `Σ_k torch.nn.functional.cross_entropy(z[:, k], t[:, k])` with probability targets (the golden
/// values in `scripts/reference/golden_sketch_loss.py` check exactly that). Built from
/// `logSoftmax`, so its gradient, `(Σ_b t_ikb)·softmax(z_ik·) − t_ik·` over N, is the tape's.
///
/// - Parameters:
///   - logits: `[N, partitions × buckets]`.
///   - targets: the same shape; never differentiated.
///   - partitions: the number of partitions K (the width must be a multiple of it).
public func sketchCrossEntropy(_ logits: Tensor, targets: Tensor, partitions: Int) -> Tensor {
    precondition(logits.rank == 2 && partitions > 0 && logits.shape[1] % partitions == 0,
                 "sketchCrossEntropy: logits \(logits.shape) are not [N, \(partitions) × buckets]")
    precondition(targets.shape == logits.shape,
                 "sketchCrossEntropy: targets \(targets.shape) do not match logits \(logits.shape)")
    let rows = logits.shape[0]
    guard rows > 0 else { return Tensor(scalar: 0) }
    let buckets = logits.shape[1] / partitions
    let logProbabilities = logits.reshaped([rows * partitions, buckets]).logSoftmax(axis: -1)
    let weighted = logProbabilities * targets.detached().reshaped([rows * partitions, buckets])
    return weighted.sum() * (-1 / Float(rows))
}

/// Per-partition softmax of sketch logits `[N, partitions × buckets]`: each partition's buckets
/// become a probability distribution (what `BehaviouralRepresentation.itemScores` decodes).
public func sketchProbabilities(_ logits: Tensor, partitions: Int) -> Tensor {
    precondition(logits.rank == 2 && partitions > 0 && logits.shape[1] % partitions == 0,
                 "sketchProbabilities: logits \(logits.shape) are not [N, \(partitions) × buckets]")
    let (rows, width) = (logits.shape[0], logits.shape[1])
    return logits.reshaped([rows * partitions, width / partitions]).softmax(axis: -1).reshaped([rows, width])
}
