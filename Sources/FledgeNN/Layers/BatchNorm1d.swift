import FledgeTensor

/// Batch normalisation over `[N, C]` or `[N, C, L]` inputs, as `torch.nn.BatchNorm1d`.
///
/// Training normalises with the batch's statistics (biased variance) and updates the running
/// mean and the running unbiased variance: running = (1 − momentum)·running + momentum·batch
/// (a cumulative average when `momentum` is nil). Evaluation normalises with the running
/// statistics. `running_mean`, `running_var` and `num_batches_tracked` are buffers, so they are
/// saved in the state dict under PyTorch's names.
public final class BatchNorm1d: Layer {
    /// The number of channels C.
    public let featureCount: Int
    /// Added to the variance for stability.
    public let epsilon: Float
    /// The weight of the newest batch in the running statistics, or nil for a cumulative average.
    public let momentum: Float?
    /// Whether running statistics are kept (otherwise evaluation also uses batch statistics).
    public let tracksRunningStatistics: Bool
    /// The per-channel scale (ones at start), nil without an affine transform.
    public let weight: Parameter?
    /// The per-channel shift (zeros at start), nil without an affine transform.
    public let bias: Parameter?
    /// The running mean per channel.
    public let runningMean: Buffer
    /// The running unbiased variance per channel.
    public let runningVariance: Buffer
    /// How many training batches have updated the running statistics.
    public let batchesTracked: Buffer
    public var isTraining = true

    /// Creates a layer for `featureCount` channels with PyTorch's defaults.
    public init(featureCount: Int, epsilon: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                tracksRunningStatistics: Bool = true) {
        precondition(featureCount > 0, "BatchNorm1d: featureCount must be positive, got \(featureCount)")
        if let momentum { precondition((0...1).contains(momentum), "BatchNorm1d: momentum \(momentum) is outside [0, 1]") }
        self.featureCount = featureCount
        self.epsilon = epsilon
        self.momentum = momentum
        self.tracksRunningStatistics = tracksRunningStatistics
        weight = affine ? Parameter(Tensor.ones([featureCount])) : nil
        bias = affine ? Parameter(Tensor.zeros([featureCount])) : nil
        runningMean = Buffer(Tensor.zeros([featureCount]))
        runningVariance = Buffer(Tensor.ones([featureCount]))
        batchesTracked = Buffer(Tensor(scalar: 0))
    }

    public var directParameters: [(name: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public var directBuffers: [(name: String, buffer: Buffer)] {
        guard tracksRunningStatistics else { return [] }
        return [("running_mean", runningMean), ("running_var", runningVariance), ("num_batches_tracked", batchesTracked)]
    }

    /// Normalises `input` `[N, C]` or `[N, C, L]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition((input.rank == 2 || input.rank == 3) && input.shape[1] == featureCount,
                     "BatchNorm1d: input of shape \(input.shape) must be [N, \(featureCount)] or [N, \(featureCount), L]")
        // [N, C, L] is normalised as [N·L, C] so every kernel loop runs along contiguous channels.
        guard input.rank == 2 else {
            let (batch, length) = (input.shape[0], input.shape[2])
            let rows = self(input.permuted([0, 2, 1]).reshaped([batch * length, featureCount]))
            return rows.reshaped([batch, length, featureCount]).permuted([0, 2, 1])
        }
        let useBatch = isTraining || !tracksRunningStatistics
        let mean: [Float], variance: [Float]
        if useBatch {
            precondition(!isTraining || input.shape[0] > 1,
                         "BatchNorm1d: training needs more than one value per channel, got input of shape \(input.shape)")
            (mean, variance) = AffineNormalization.columnStatistics(input, width: featureCount)
            if isTraining && tracksRunningStatistics {
                updateRunningStatistics(mean: mean, variance: variance, count: input.shape[0])
            }
        } else {
            (mean, variance) = (runningMean.value.scalars, runningVariance.value.scalars)
        }
        return AffineNormalization.normalizeColumns(input, width: featureCount, mean: mean, variance: variance,
                                                    epsilon: epsilon, gamma: weight?.value, beta: bias?.value,
                                                    batchStatistics: useBatch)
    }

    private func updateRunningStatistics(mean: [Float], variance: [Float], count: Int) {
        let tracked = batchesTracked.value.item + 1
        batchesTracked.value = Tensor(scalar: tracked)
        let factor = momentum ?? 1 / tracked
        let unbiased = Float(count) / Float(count - 1)
        let oldMean = runningMean.value.scalars, oldVariance = runningVariance.value.scalars
        runningMean.value = Tensor((0..<featureCount).map { (1 - factor) * oldMean[$0] + factor * mean[$0] })
        runningVariance.value = Tensor((0..<featureCount).map {
            (1 - factor) * oldVariance[$0] + factor * variance[$0] * unbiased
        })
    }
}
