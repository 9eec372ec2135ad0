/// Which rows of each global batch one rank of a data-parallel job reads.
///
/// Every rank computes the same seeded epoch order and cuts it into the same global batches (the
/// `DataLoader`'s `batch_size` is the global batch size); rank r takes the r-th of `worldSize`
/// contiguous, nearly equal parts of each batch (sizes differ by at most one row). The parts are
/// disjoint and together are the batch, so the ranks cover the dataset exactly once per epoch.
public struct DistributedSampler: Sendable, Equatable, Hashable {
    /// This process's index, 0..<worldSize.
    public let rank: Int
    /// The number of processes sharing each batch.
    public let worldSize: Int

    /// Creates the sampler of `rank` among `worldSize` processes.
    public init(rank: Int, worldSize: Int) {
        precondition(worldSize >= 1 && (0..<worldSize).contains(rank),
                     "DistributedSampler: rank \(rank) outside 0..<\(worldSize)")
        self.rank = rank
        self.worldSize = worldSize
    }

    /// The positions this rank takes from a global batch of `count` rows.
    public func shardRange(count: Int) -> Range<Int> {
        (count * rank / worldSize)..<(count * (rank + 1) / worldSize)
    }

    /// This rank's rows of the global batch `rows`.
    public func shard(_ rows: [Int]) -> [Int] {
        Array(rows[shardRange(count: rows.count)])
    }
}
