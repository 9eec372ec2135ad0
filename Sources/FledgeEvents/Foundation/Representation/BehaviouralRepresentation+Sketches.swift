import FledgeTensor
import Foundation

/// What a store's item column holds that the representation never saw (left out of every sketch).
public struct UnseenItems: Sendable, Equatable {
    /// Distinct values of the item column that are not in the vocabulary.
    public var values = 0
    /// Events carrying one of them.
    public var events = 0

    /// Creates counts.
    public init(values: Int = 0, events: Int = 0) {
        self.values = values
        self.events = events
    }
}

extension BehaviouralRepresentation {
    /// Input ("recency") sketches `[samples.count, inputWidth]`: for each sample and half-life `h`,
    /// the item events of the entity in `[dataStart, split)` weighted `2^(−age_days / h)`
    /// (age = split − event time) summed per partition bucket, each partition then L1-normalised
    /// (all zeros without item events). Sketch `h` fills columns `h·sketchWidth ..< (h+1)·sketchWidth`,
    /// partition `k` of it the `buckets` columns from `k·buckets`. Parallel over samples.
    public func inputSketches(store: EventStore, samples: [SplitSample], dataStart: Int64) -> Tensor {
        var result = Tensor.zeros([samples.count, inputWidth])
        result.withUnsafeMutableBufferPointer {
            writeInputSketches(store: store, samples: samples, dataStart: dataStart, to: $0.baseAddress!, rowStride: inputWidth)
        }
        return result
    }

    /// Adds the input sketches of `samples` (as `inputSketches` gives them) to the first
    /// `inputWidth` values of rows `rowStride` apart from `output`, which must be zero there; the
    /// rest of each row is left alone, so a wider matrix (features ⊕ sketches) is filled without a copy.
    func writeInputSketches(store: EventStore, samples: [SplitSample], dataStart: Int64,
                            to output: UnsafeMutablePointer<Float>, rowStride: Int) {
        precondition(rowStride >= inputWidth, "writeInputSketches: rows of \(rowStride) values cannot hold \(inputWidth) sketch values")
        guard !samples.isEmpty else { return }
        let map = itemMap(for: store)
        let sketch = sketchWidth, halfLives = halfLivesDays.map { 1 / ($0 * 86_400) }
        let slots = bucketSlots
        let output = SendablePointer(base: output)
        parallelChunks(samples.count, minimumPerChunk: 16) { range, _ in
            var weights = [Double](repeating: 0, count: halfLives.count)
            for index in range {
                let sample = samples[index], row = output.base + index * rowStride
                let start = store.firstRow(ofEntity: sample.entity, atOrAfter: dataStart)
                let end = store.firstRow(ofEntity: sample.entity, atOrAfter: sample.splitTimestamp)
                for h in weights.indices { weights[h] = 0 }
                for event in start..<max(start, end) {
                    let code = map.codes[event]
                    guard code >= 0 else { continue }
                    let item = map.itemOfCode[Int(code)]
                    guard item >= 0 else { continue }
                    let age = Double(sample.splitTimestamp - store.timestamps[event])
                    for (h, rate) in halfLives.enumerated() {
                        let weight = exp2(-age * rate)
                        weights[h] += weight
                        let target = row + h * sketch
                        for slot in slots[(Int(item) * partitions)..<((Int(item) + 1) * partitions)] {
                            target[Int(slot)] += Float(weight)
                        }
                    }
                }
                for (h, total) in weights.enumerated() where total > 0 {
                    // Every partition holds the same total weight, so one division normalises each.
                    let scale = Float(1 / total), target = row + h * sketch
                    for column in 0..<sketch { target[column] *= scale }
                }
            }
        }
    }

    /// Target sketches `[samples.count, sketchWidth]`: the item events of each sample's entity in
    /// `[split_i, until[i])` as per-partition distributions (each partition sums to 1); rows without
    /// an item event are all zero (callers skip them). Parallel over samples.
    public func targetSketches(store: EventStore, samples: [SplitSample], until: [Int64]) -> Tensor {
        precondition(until.count == samples.count, "targetSketches: \(until.count) window ends for \(samples.count) samples")
        let map = itemMap(for: store)
        let sketch = sketchWidth
        var result = Tensor.zeros([samples.count, sketch])
        guard !samples.isEmpty else { return result }
        let slots = bucketSlots
        result.withUnsafeMutableBufferPointer { buffer in
            let output = SendablePointer(base: buffer.baseAddress!)
            parallelChunks(samples.count, minimumPerChunk: 16) { range, _ in
                for index in range {
                    let sample = samples[index], row = output.base + index * sketch
                    let start = store.firstRow(ofEntity: sample.entity, atOrAfter: sample.splitTimestamp)
                    let end = store.firstRow(ofEntity: sample.entity, atOrAfter: until[index])
                    var count = 0
                    for event in start..<max(start, end) {
                        let code = map.codes[event]
                        guard code >= 0 else { continue }
                        let item = map.itemOfCode[Int(code)]
                        guard item >= 0 else { continue }
                        count += 1
                        for slot in slots[(Int(item) * partitions)..<((Int(item) + 1) * partitions)] { row[Int(slot)] += 1 }
                    }
                    if count > 0 {
                        let scale = 1 / Float(count)
                        for column in 0..<sketch { row[column] *= scale }
                    }
                }
            }
        }
        return result
    }

    /// `[N, items]` item weights (multi-hot targets) → `[N, sketchWidth]` sketches, each partition
    /// L1-normalised (zero rows stay zero): the same sketch `targetSketches` gives for those events.
    public func sketches(ofItemSets multiHot: Tensor) -> Tensor {
        precondition(multiHot.rank == 2 && multiHot.shape[1] == items.count,
                     "sketches(ofItemSets:): expected [N, \(items.count)] item weights, got \(multiHot.shape)")
        let rows = multiHot.shape[0], itemCount = items.count, sketch = sketchWidth
        var result = Tensor.zeros([rows, sketch])
        guard rows > 0 else { return result }
        let slots = bucketSlots
        multiHot.withUnsafeBufferPointer { input in
            let weights = UncheckedPointer(base: input.baseAddress!)
            result.withUnsafeMutableBufferPointer { buffer in
                let output = SendablePointer(base: buffer.baseAddress!)
                parallelChunks(rows, minimumPerChunk: 16) { range, _ in
                    for index in range {
                        let row = output.base + index * sketch, source = weights.base + index * itemCount
                        var total: Float = 0
                        for item in 0..<itemCount where source[item] != 0 {
                            let weight = source[item]
                            total += weight
                            for slot in slots[(item * partitions)..<((item + 1) * partitions)] { row[Int(slot)] += weight }
                        }
                        if total != 0 {
                            let scale = 1 / total
                            for column in 0..<sketch { row[column] *= scale }
                        }
                    }
                }
            }
        }
        return result
    }

    /// `[N, sketchWidth]` per-partition probabilities (a softmax within each partition) → `[N, items]`
    /// scores: item `i`'s score is the sum over partitions `k` of the probability of its bucket in `k`.
    public func itemScores(sketchProbabilities: Tensor) -> Tensor {
        precondition(sketchProbabilities.rank == 2 && sketchProbabilities.shape[1] == sketchWidth,
                     "itemScores: expected [N, \(sketchWidth)] sketch probabilities, got \(sketchProbabilities.shape)")
        let rows = sketchProbabilities.shape[0], itemCount = items.count, sketch = sketchWidth
        var result = Tensor(uninitializedShape: [rows, itemCount])
        guard rows > 0, itemCount > 0 else { return result }
        let slots = bucketSlots, partitionCount = partitions
        sketchProbabilities.withUnsafeBufferPointer { input in
            let probabilities = UncheckedPointer(base: input.baseAddress!)
            result.withUnsafeMutableBufferPointer { buffer in
                let output = SendablePointer(base: buffer.baseAddress!)
                slots.withUnsafeBufferPointer { slotBuffer in
                    let codes = UncheckedIndexPointer(base: slotBuffer.baseAddress)
                    parallelChunks(rows, minimumPerChunk: 4) { range, _ in
                        for index in range {
                            let source = probabilities.base + index * sketch, row = output.base + index * itemCount
                            for item in 0..<itemCount {
                                var score: Float = 0
                                let itemSlots = codes.base! + item * partitionCount
                                for k in 0..<partitionCount { score += source[Int(itemSlots[k])] }
                                row[item] = score
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Counts the values of the store's item column that the vocabulary lacks, and their events.
    public func unseenItems(in store: EventStore) -> UnseenItems {
        guard store.column(named: itemColumn) != nil else { return UnseenItems(values: 0, events: store.eventCount) }
        let map = itemMap(for: store)
        var unseen = UnseenItems()
        var counted = [Bool](repeating: false, count: map.itemOfCode.count)
        for code in map.codes where code >= 0 && map.itemOfCode[Int(code)] < 0 {
            unseen.events += 1
            if !counted[Int(code)] {
                counted[Int(code)] = true
                unseen.values += 1
            }
        }
        return unseen
    }

    /// Checks that `store` has the item column as a categorical or id column.
    /// - Throws: `EventsError.unknownColumn` / `.invalidSetup` naming the column.
    public func checkItemColumn(in store: EventStore) throws {
        var params = params
        params.itemColumn = itemColumn
        _ = try Self.itemColumn(of: store, params: params)
    }

    /// Per item and partition, the column of its bucket within one sketch: `k · buckets + code`.
    var bucketSlots: [Int32] {
        var slots = bucketCodes
        for index in slots.indices { slots[index] += Int32((index % partitions) * buckets) }
        return slots
    }

    /// The store's item codes and, per store code, the item index (-1 = unseen). A store without
    /// the item column yields no codes (every sketch is zero; `checkItemColumn` reports it).
    func itemMap(for store: EventStore) -> (codes: [Int32], itemOfCode: [Int32]) {
        guard let column = store.column(named: itemColumn) else { return ([Int32](repeating: -1, count: store.eventCount), []) }
        let (codes, vocabulary) = ItemGraph.codes(of: column)
        guard !codes.isEmpty else { return ([Int32](repeating: -1, count: store.eventCount), []) }
        return (codes, vocabulary.map { value in itemIndex(of: value).map { Int32($0) } ?? -1 })
    }
}
