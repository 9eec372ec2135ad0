@testable import FledgeData
import Dispatch
import FledgeTensor
import Testing

/// Batches follow a seeded per-epoch order, so resuming mid-epoch repeats training exactly.
struct DataLoaderTests {
    private func dataset(rows: Int = 23) -> TabularDataset {
        let features = Tensor(shape: [rows, 2], values: (0..<(rows * 2)).map(Float.init))
        return TabularDataset(features: features, targets: .classes(IndexTensor((0..<rows).map { $0 % 3 })))
    }

    @Test func batchCountFollowsTheLastBatchPolicy() {
        #expect(DataLoader(dataset: dataset(), batchSize: 5, dropLast: false).batchCount == 5)
        #expect(DataLoader(dataset: dataset(), batchSize: 5, dropLast: true).batchCount == 4)
        let kept = Array(DataLoader(dataset: dataset(), batchSize: 5, shuffle: false).batches(epoch: 0))
        #expect(kept.map(\.count) == [5, 5, 5, 5, 3])
        let dropped = Array(DataLoader(dataset: dataset(), batchSize: 5, shuffle: false, dropLast: true).batches(epoch: 0))
        #expect(dropped.map(\.count) == [5, 5, 5, 5])
    }

    @Test func batchesCarryTheirRowsFeaturesAndTargets() {
        let loader = DataLoader(dataset: dataset(), batchSize: 4, shuffle: true, seed: 7)
        for batch in loader.batches(epoch: 1) {
            #expect(batch.features.shape == [batch.count, 2])
            #expect(batch.features.scalars == batch.rows.flatMap { [Float($0 * 2), Float($0 * 2 + 1)] })
            guard case .classes(let classes) = batch.targets else { Issue.record("no targets"); continue }
            #expect(classes.indices == batch.rows.map { $0 % 3 })
        }
    }

    @Test func orderDependsOnlyOnSeedAndEpoch() {
        let loader = DataLoader(dataset: dataset(), batchSize: 4, shuffle: true, seed: 42)
        let again = DataLoader(dataset: dataset(), batchSize: 4, shuffle: true, seed: 42)
        let epoch3 = loader.batches(epoch: 3).map(\.rows)
        _ = again.batches(epoch: 0).map(\.rows)
        #expect(again.batches(epoch: 3).map(\.rows) == epoch3)
        #expect(loader.batches(epoch: 4).map(\.rows) != epoch3)
        #expect(epoch3.flatMap { $0 }.sorted() == Array(0..<23))
        #expect(DataLoader(dataset: dataset(), batchSize: 4, shuffle: true, seed: 43).order(epoch: 3) != loader.order(epoch: 3))
    }

    @Test func resumingAtABatchYieldsTheRemainingBatches() {
        let loader = DataLoader(dataset: dataset(), batchSize: 4, shuffle: true, seed: 5)
        let full = loader.batches(epoch: 2).map { $0.features.scalars }
        let resumed = loader.batches(epoch: 2, startingAt: 3).map { $0.features.scalars }
        #expect(resumed == Array(full[3...]))
        #expect(Array(loader.batches(epoch: 2, startingAt: loader.batchCount)).isEmpty)
    }

    @Test func abandonedIterationStopsItsProducer() {
        let loader = DataLoader(dataset: dataset(rows: 200), batchSize: 2, shuffle: true, seed: 1)
        for _ in 0..<50 {
            var iterator = loader.batches(epoch: 0).makeIterator()
            _ = iterator.next()
        }
        // Each abandoned producer was woken and ended; a full pass still works afterwards.
        #expect(loader.batches(epoch: 0).map(\.count).reduce(0, +) == 200)
    }
}

/// The prefetch hand-off ends its producer thread however the consumer stops.
struct PrefetchChannelTests {
    private func channel(items: Int) -> PrefetchChannel<Int> {
        let channel = PrefetchChannel<Int>(capacity: 2)
        channel.startProducer { send in
            for item in 0..<items where !send(item) { return }
        }
        return channel
    }

    @Test func producerEndsWhenTheConsumerIsDropped() {
        let channel = channel(items: 1_000)
        var owner: ChannelOwner<Int>? = ChannelOwner(channel: channel)
        #expect(owner?.channel.receive() == 0)
        owner = nil  // the producer is blocked on a full buffer here
        #expect(channel.producerEnded.wait(timeout: .now() + .seconds(60)) == .success)
    }

    @Test func producerEndsAfterTheLastItemAndTheEndRepeats() {
        let channel = channel(items: 3)
        #expect((0..<5).map { _ in channel.receive() } == [0, 1, 2, nil, nil])
        #expect(channel.producerEnded.wait(timeout: .now() + .seconds(60)) == .success)
    }
}
