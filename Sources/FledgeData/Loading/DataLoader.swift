import FledgeTensor

/// One mini-batch: the rows' features and targets, and which dataset rows they are.
public struct Batch: Sendable {
    /// Dense features `[B, F]`.
    public var features: Tensor
    /// Embedding ids `[B, K]` when the dataset has them.
    public var categoricalIndices: IndexTensor?
    /// Targets of the rows, when the dataset has them.
    public var targets: Targets?
    /// The dataset row of each batch row.
    public var rows: [Int]
    /// The number of rows.
    public var count: Int { rows.count }
}

/// Cuts a dataset into mini-batches in a seeded, per-epoch order.
///
/// The order of epoch `e` depends only on `(seed, e)`, so training can resume at any batch:
/// `batches(epoch: e, startingAt: b)` yields exactly the batches `b...` of that epoch.
/// Batches are assembled on a background thread, at most two ahead of the consumer.
public struct DataLoader: Sendable {
    /// The rows to batch.
    public let dataset: TabularDataset
    /// Rows per batch.
    public let batchSize: Int
    /// Whether each epoch visits the rows in a new seeded order (else in dataset order).
    public let shuffle: Bool
    /// Whether a final batch smaller than `batchSize` is dropped.
    public let dropLast: Bool
    /// The seed of the shuffling.
    public let seed: UInt64
    /// In a data-parallel job, the part of each (global) batch this rank reads; nil reads whole batches.
    public var sampler: DistributedSampler?

    /// Creates a loader.
    public init(
        dataset: TabularDataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0,
        sampler: DistributedSampler? = nil
    ) {
        precondition(batchSize > 0, "DataLoader: batchSize must be positive, not \(batchSize)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.sampler = sampler
    }

    /// Batches per epoch.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The row order of an epoch (a function of seed and epoch only).
    public func order(epoch: Int) -> [Int] {
        var rows = Array(0..<dataset.count)
        guard shuffle else { return rows }
        var generator = SeededGenerator(seed: seed).derived(stream: UInt64(truncatingIfNeeded: epoch))
        rows.shuffle(using: &generator)
        return rows
    }

    /// The rows of one batch of an epoch (this rank's shard of it when `sampler` is set).
    public func rows(epoch: Int, batch: Int) -> [Int] {
        rows(inOrder: order(epoch: epoch), batch: batch)
    }

    private func rows(inOrder order: [Int], batch: Int) -> [Int] {
        let start = batch * batchSize
        let global = Array(order[start..<Swift.min(start + batchSize, order.count)])
        return sampler?.shard(global) ?? global
    }

    /// Builds one batch synchronously.
    public func makeBatch(rows: [Int]) -> Batch {
        Batch(features: RowGathering.rows(rows, of: dataset.features),
              categoricalIndices: dataset.categoricalIndices.map { RowGathering.rows(rows, of: $0) },
              targets: dataset.targets?.subset(rows), rows: rows)
    }

    /// The batches of an epoch from `batchIndex` on, assembled on a background thread.
    ///
    /// Iteration starts the producer; dropping the iterator early stops it (no thread is left
    /// blocked).
    public func batches(epoch: Int, startingAt batchIndex: Int = 0) -> BatchSequence {
        precondition(batchIndex >= 0 && batchIndex <= batchCount,
                     "DataLoader.batches: startingAt \(batchIndex) outside 0...\(batchCount)")
        return BatchSequence(loader: self, epoch: epoch, firstBatch: batchIndex)
    }

    /// The work list the producer thread runs through.
    func batchRows(epoch: Int, from firstBatch: Int) -> [[Int]] {
        let order = order(epoch: epoch)
        return (firstBatch..<batchCount).map { rows(inOrder: order, batch: $0) }
    }
}

/// The batches of one epoch; each iterator runs its own prefetching producer.
public struct BatchSequence: Sequence, Sendable {
    let loader: DataLoader
    let epoch: Int
    let firstBatch: Int

    /// The number of batches this sequence yields.
    public var underestimatedCount: Int { loader.batchCount - firstBatch }

    public func makeIterator() -> BatchIterator {
        let channel = PrefetchChannel<Batch>(capacity: 2)
        let loader = loader
        let work = loader.batchRows(epoch: epoch, from: firstBatch)
        channel.startProducer { send in
            for rows in work {
                guard send(loader.makeBatch(rows: rows)) else { return }
            }
        }
        return BatchIterator(channel: channel)
    }
}

/// Hands out prefetched batches; stops the producer when the last copy is dropped.
public struct BatchIterator: IteratorProtocol {
    private let owner: ChannelOwner<Batch>

    init(channel: PrefetchChannel<Batch>) { owner = ChannelOwner(channel: channel) }

    public mutating func next() -> Batch? { owner.channel.receive() }
}
