import FledgeNN

/// What the `Trainer` needs from a data-parallel backend (FledgeDistributed's `DataParallel`
/// over MPI implements it). With none set (`Trainer.synchronizer == nil`) training is one
/// process and none of these calls happen.
///
/// Every rank runs the same loop on its shard of each global batch and makes the same calls in
/// the same order; each call is collective (all ranks must make it).
public protocol GradientSynchronizer: AnyObject {
    /// This process's index, 0..<worldSize; rank 0 writes the logs, checkpoints and reports.
    var rank: Int { get }
    /// The number of processes training together.
    var worldSize: Int { get }
    /// Element-wise sums of `values` over all ranks (every rank receives them).
    func sum(_ values: [Double]) -> [Double]
    /// Replaces each parameter's gradient by its mean over the ranks. A rank without a gradient
    /// for a parameter contributes zeros; a parameter with no gradient on any rank keeps none.
    func averageGradients(of parameters: [Parameter])
    /// Copies rank 0's parameter values to every rank.
    func broadcastParameters(_ parameters: [Parameter])
    /// True on every rank when `flag` is true on any rank (stop together).
    func anyRank(_ flag: Bool) -> Bool
    /// Ends the whole job because this rank failed: prints `message` naming the rank and
    /// aborts every rank (MPI_Abort), so no rank waits forever for this one.
    func abort(message: String) -> Never
}

extension GradientSynchronizer {
    /// True on the rank that writes files and prints (rank 0).
    public var isPrimary: Bool { rank == 0 }
}
