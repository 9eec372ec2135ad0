import FledgeData
import FledgeTensor
import Testing

/// Each rank of a data-parallel job reads its part of every global batch.
struct DistributedSamplerTests {
    private let dataset = TabularDataset(
        features: Tensor(shape: [23, 1], values: (0..<23).map(Float.init)), targets: .floats(Tensor(shape: [23, 1], values: (0..<23).map(Float.init))))

    @Test func ranksSplitEveryGlobalBatchIntoDisjointNearlyEqualParts() {
        for worldSize in [1, 2, 3, 4] {
            let whole = DataLoader(dataset: dataset, batchSize: 8, shuffle: true, seed: 5)
            let shards = (0..<worldSize).map { rank in
                DataLoader(dataset: dataset, batchSize: 8, shuffle: true, seed: 5,
                           sampler: DistributedSampler(rank: rank, worldSize: worldSize))
            }
            for epoch in 0..<3 {
                let global = whole.batches(epoch: epoch).map(\.rows)
                let perRank = shards.map { $0.batches(epoch: epoch).map(\.rows) }
                #expect(perRank.allSatisfy { $0.count == global.count })
                for (index, rows) in global.enumerated() {
                    let parts = perRank.map { $0[index] }
                    // Concatenated in rank order, the parts are the global batch.
                    #expect(parts.flatMap { $0 } == rows)
                    #expect(parts.map(\.count).max()! - parts.map(\.count).min()! <= 1)
                }
                // So over an epoch the ranks together see every row exactly once.
                #expect(perRank.flatMap { $0.flatMap { $0 } }.sorted() == Array(0..<23))
            }
        }
    }

    @Test func aShortLastBatchLeavesHighRanksEmptyRatherThanRepeatingRows() {
        let sampler = DistributedSampler(rank: 2, worldSize: 3)
        #expect(sampler.shardRange(count: 2) == 1..<2)
        #expect(DistributedSampler(rank: 0, worldSize: 3).shardRange(count: 2) == 0..<0)
        #expect(sampler.shard([9, 4]) == [4])
    }
}
