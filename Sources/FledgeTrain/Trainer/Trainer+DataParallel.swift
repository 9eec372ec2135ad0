import FledgeData
import FledgeNN
import FledgeTensor
import Foundation

/// The Trainer's side of data-parallel training: every call here is a no-op (one branch) when
/// `synchronizer` is nil, so a single process pays nothing.
///
/// Each rank trains on its shard of every global batch (`DistributedSampler`); the losses are
/// weighted so that averaging the ranks' gradients gives exactly the gradient of the mean loss
/// over the global batch, which is what one process computes.
extension Trainer {
    /// True on the process that writes files and prints: rank 0, or the only process.
    public var isPrimaryRank: Bool { synchronizer?.isPrimary ?? true }

    /// The shard of each global batch this rank reads, or nil for one process.
    var distributedSampler: DistributedSampler? {
        guard let synchronizer, synchronizer.worldSize > 1 else { return nil }
        return DistributedSampler(rank: synchronizer.rank, worldSize: synchronizer.worldSize)
    }

    /// Makes every rank start from rank 0's weights, and gives each rank its own dropout stream
    /// (derived from the seed and the rank, so ranks do not drop the same units of their rows).
    func startDataParallel() {
        guard let synchronizer, synchronizer.worldSize > 1 else { return }
        synchronizer.broadcastParameters(model.parameters)
        if synchronizer.rank > 0 {
            let rank = UInt64(synchronizer.rank)
            model.restoreGenerators(model.generatorStates.mapValues { $0.derived(stream: rank) })
        }
    }

    /// The global batch's mean loss from this rank's mean `loss` over `rows` rows, the factor
    /// this rank's loss is scaled by before backward, and the global batch's row count.
    ///
    /// With n_r rows on rank r and G in total, rank r back-propagates `loss_r · n_r·N/G`; the
    /// mean over N ranks of those gradients is Σ n_r·g_r / G, the global batch's mean gradient,
    /// even when the last batch does not split evenly. A NaN on any rank makes the sum NaN, so
    /// every rank sees the non-finite loss at the same step and stops together.
    func globalLoss(local loss: Double, rows: Int) -> (loss: Double, scale: Float, rows: Int) {
        guard let synchronizer, synchronizer.worldSize > 1 else { return (loss, 1, rows) }
        let sums = synchronizer.sum([rows > 0 ? loss * Double(rows) : 0, Double(rows)])
        let total = sums[1]
        let scale = Float(Double(rows * synchronizer.worldSize) / total)
        return (sums[0] / total, scale, Int(total))
    }

    /// Averages the gradients over ranks before the optimizer uses them.
    func synchronizeGradients() {
        guard let synchronizer, synchronizer.worldSize > 1 else { return }
        synchronizer.averageGradients(of: model.trainableParameters)
    }

    /// Makes `state.shouldStop` true on every rank when any rank wants to stop.
    func agreeOnStop() {
        guard let synchronizer, synchronizer.worldSize > 1 else { return }
        state.shouldStop = synchronizer.anyRank(state.shouldStop)
    }

    /// A rank that fails alone would leave the others waiting in the next collective: end the
    /// job. A non-finite loss is seen by every rank at once (it is the global loss), so that
    /// error is thrown on every rank instead and rank 0 reports it.
    func failDataParallel(_ error: any Error) {
        guard let synchronizer, synchronizer.worldSize > 1 else { return }
        if case TrainerError.nonFiniteLoss = error { return }
        synchronizer.abort(message: (error as? any LocalizedError)?.errorDescription ?? String(describing: error))
    }
}
